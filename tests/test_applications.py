"""Applying for a place on the course page: what the applicant and the facilitators get."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from tests.support.applying import add_questions, application_data
from tests.support.html import assert_accessible_structure, parse, text
from wagtail_courses.models import Booking, OutboundEmail


@pytest.fixture
def course(make_course):
    course = make_course(sessions=3, facilitators=2, title="Compassionate leadership")
    add_questions(course)
    return course


def apply(client, course, capture, **overrides):
    with capture(execute=True):
        return client.post(course.url, application_data(**overrides))


def test_application_is_saved_and_lands_on_a_confirmation_with_its_reference(
    client, course, django_capture_on_commit_callbacks, prove
):
    response = apply(client, course, django_capture_on_commit_callbacks)

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{course.url}application/{booking.reference}/"
    assert (booking.name, booking.email, booking.status) == (
        "Ada Lovelace",
        "ada@example.org",
        Booking.Status.AWAITING_EMAIL_CONFIRMATION,  # held until the address is proven
    )
    assert booking.form_data == {
        "your_role": "Ward manager",
        "why_do_you_want_to_attend": "To lead with compassion.",
    }
    assert [(h.from_status, h.to_status) for h in booking.history.all()] == [("", "awaiting_email")]

    landing = parse(client.get(response["Location"]))
    assert_accessible_structure(landing)
    assert booking.reference in text(landing)
    assert "Application received" in landing.h1.get_text()
    assert "Confirm your email address" in text(landing)

    # No limit, approval or payment on this course: proven, the place is confirmed.
    assert prove(booking).status == Booking.Status.CONFIRMED
    landing = parse(client.get(response["Location"]))
    assert "Your place is confirmed" in text(landing)
    assert "Confirm your email address" not in text(landing)


def test_the_applicant_is_emailed_after_commit_and_the_facilitators_once_proven(
    client, course, django_capture_on_commit_callbacks, prove
):
    apply(client, course, django_capture_on_commit_callbacks)
    booking = Booking.objects.get()
    facilitators = [link.facilitator.contact_email for link in course.facilitators()]

    (to_applicant,) = mail.outbox
    assert to_applicant.to == ["ada@example.org"]
    assert booking.reference in to_applicant.subject and booking.reference in to_applicant.body
    assert "Confirm your email address" in to_applicant.body
    assert to_applicant.attachments[0][0] == f"{course.slug}.ics"

    prove(booking)

    to_facilitators = next(m for m in mail.outbox if m.to == facilitators)
    assert to_facilitators.reply_to == ["ada@example.org"]
    assert booking.reference in to_facilitators.subject
    assert "Ward manager" in to_facilitators.body
    assert "To lead with compassion." in to_facilitators.body
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_form_is_on_the_course_page_under_apply(client, course):
    soup = parse(client.get(course.url))

    form = soup.select_one("#apply form")
    assert form["method"] == "post" and form["action"] == course.url
    labels = [label.get_text(" ", strip=True) for label in form.select("label")]
    assert labels[:3] == [
        "Full name (required)",
        "Email address (required)",
        "Your role (required)",
    ]
    assert any("privacy notice" in label for label in labels)
    # Hidden by its own attribute, whatever stylesheet loads or fails to.
    assert form.select_one(".wc-field--trap").has_attr("hidden")


def test_errors_are_shown_by_their_fields_with_a_summary(client, course):
    response = client.post(course.url, application_data(wc_email="not an email", wc_consent=None))
    soup = parse(response)

    assert response.status_code == 400
    summary = soup.select_one(".wc-error-summary")
    assert summary.has_attr("autofocus")
    assert [a["href"] for a in summary.select("a")] == ["#id_wc_email", "#id_wc_consent"]
    email = soup.select_one("#id_wc_email")
    assert email["aria-invalid"] == "true"
    assert "id_wc_email-error" in email["aria-describedby"]
    assert soup.select_one("#id_wc_email")["value"] == "not an email"
    assert Booking.objects.count() == 0


def test_same_email_cannot_apply_twice(client, course, django_capture_on_commit_callbacks):
    apply(client, course, django_capture_on_commit_callbacks)
    response = apply(client, course, django_capture_on_commit_callbacks, wc_email="ADA@example.org")

    assert response.status_code == 400
    assert "already has an application for this course" in text(parse(response))
    assert Booking.objects.count() == 1


def test_a_cancelled_application_does_not_block_a_new_one(
    client, course, django_capture_on_commit_callbacks
):
    apply(client, course, django_capture_on_commit_callbacks)
    Booking.objects.update(status=Booking.Status.CANCELLED)

    assert apply(client, course, django_capture_on_commit_callbacks).status_code == 302
    assert Booking.objects.count() == 2


def test_a_form_posted_twice_gives_one_booking(client, course, django_capture_on_commit_callbacks):
    first = apply(client, course, django_capture_on_commit_callbacks, token="same-form")
    second = apply(client, course, django_capture_on_commit_callbacks, token="same-form")

    assert first["Location"] == second["Location"]
    assert Booking.objects.count() == 1
    assert len(mail.outbox) == 1  # the applicant's confirmation, once


def test_a_cached_form_sent_by_two_people_gives_two_bookings(
    client, course, django_capture_on_commit_callbacks
):
    apply(client, course, django_capture_on_commit_callbacks, token="cached")
    apply(
        client,
        course,
        django_capture_on_commit_callbacks,
        token="cached",
        wc_email="grace@example.org",
        wc_name="Grace Hopper",
    )

    assert sorted(Booking.objects.values_list("email", flat=True)) == [
        "ada@example.org",
        "grace@example.org",
    ]


def test_closed_course_shows_a_message_instead_of_the_form(client, course):
    course.booking_closes_at = timezone.now() - timedelta(minutes=1)
    course.save()

    page = parse(client.get(course.url))
    post = client.post(course.url, application_data())

    assert page.select_one("#apply form") is None
    assert "Applications for this course are closed." in text(page)
    assert post.status_code == 403
    assert Booking.objects.count() == 0


def test_applications_close_when_the_first_session_starts(client, make_course):
    started = make_course(
        sessions=2, facilitators=0, first_start=timezone.now() - timedelta(hours=1)
    )
    assert "Applications for this course are closed." in text(parse(client.get(started.url)))


def test_not_yet_open(client, course):
    course.booking_opens_at = timezone.now() + timedelta(days=1)
    course.save()
    assert client.post(course.url, application_data()).status_code == 403
    assert Booking.objects.count() == 0


@pytest.mark.parametrize(
    "overrides",
    [{"wc_leave_empty": "http://spam.example"}, {"seconds_ago": 0.5}, {"wc_shown_at": "forged"}],
)
def test_simple_bots_are_turned_away(client, course, overrides):
    response = client.post(course.url, application_data(**overrides))

    assert response.status_code == 400
    assert "could not be sent" in text(parse(response))
    assert Booking.objects.count() == 0 and not mail.outbox


def test_many_unproven_applications_from_one_address_are_refused_until_proven(
    client, course, settings, prove
):
    settings.WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = 2
    for number in range(2):
        client.post(course.url, application_data(wc_email=f"person{number}@example.org"))

    response = client.post(course.url, application_data(wc_email="third@example.org"))

    assert response.status_code == 429
    assert "from your connection" in text(parse(response))
    assert Booking.objects.count() == 2

    # A proven address no longer counts against the connection it applied from.
    prove(Booking.objects.get(email="person0@example.org"))
    response = client.post(course.url, application_data(wc_email="third@example.org"))
    assert response.status_code == 302
    assert Booking.objects.count() == 3


# Serving the page (Wagtail's routing), writing the booking, its history and one email (the
# applicant's: the facilitators' waits for the proof), then rendering and sending it after
# commit, as the immediate task backend does (an earlier application is looked for only when
# the database refuses a second one; the email's site is read for its contact details, which
# come from the cache). Places: one count, under the course's lock (the
# posted form is read with every place open, and nothing has lapsed). The lock is one query
# more where the database has row locks (PostgreSQL); SQLite's transaction took its write lock.
SUBMISSION_QUERIES = 22


@pytest.mark.parametrize(("sessions", "facilitators"), [(1, 1), (12, 6)])
def test_submitting_runs_a_fixed_number_of_queries(
    client,
    make_course,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
    sessions,
    facilitators,
):
    course = make_course(sessions=sessions, facilitators=facilitators)
    add_questions(course)
    client.get(course.url)  # the site's course settings are made on first use

    lock = 1 if connection.features.has_select_for_update else 0
    with django_assert_num_queries(SUBMISSION_QUERIES + lock):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(course.url, application_data())

    assert response.status_code == 302
