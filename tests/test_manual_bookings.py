"""Bookings taken by hand: an organiser adds the application of someone who phoned or wrote in,
with the same rules, duplicate checks and emails as one sent from the course page.

People: a coordinator whose group has ``manage_places`` on every course; a facilitator with it
on one course only; a viewer who may only view bookings.
"""

import secrets
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from tests.admin_users import assert_refused, booking_admin_url, user_in_group
from tests.factories import BookingFactory
from tests.support.applying import add_questions
from tests.support.html import parse, text
from tests.support.mail import kinds_sent_to, sent
from wagtail_courses.models import Booking, CourseSiteSettings, OutboundEmail

Status = Booking.Status
CHOOSE = reverse("wagtail_courses_booking_add")


def add_url(course) -> str:
    return reverse("wagtail_courses_booking_add_for_course", args=[course.pk])


def booking_data(**overrides) -> dict:
    """The form as an organiser fills it in: no hidden timing, no bot trap."""
    data = {
        "wc_name": "Ada Lovelace",
        "wc_email": "ada@example.org",
        "your_role": "Ward manager",
        "why_do_you_want_to_attend": "Asked on the phone.",
        "wc_consent": "on",
        "wc_notify": "on",
        "wc_token": secrets.token_urlsafe(24),
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


# People and courses


@pytest.fixture
def coordinator(db):
    return user_in_group("coordinator", "wagtail_courses.manage_places")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def make(make_course):
    def make(**fields):
        course = make_course(sessions=1, facilitators=1, **fields)
        add_questions(course)
        return course

    return make


@pytest.fixture
def course(make):
    return make(title="Compassionate leadership")


@pytest.fixture
def add(coordinator_client, django_capture_on_commit_callbacks):
    """Post the form for ``course``; the emails it causes are sent."""

    def add(course, client=None, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return (client or coordinator_client).post(add_url(course), booking_data(**overrides))

    return add


def messages_on(response) -> str:
    return text(parse(response).select_one(".messages") or parse(response))


def field_error(response, name: str) -> str:
    error = parse(response).select_one(f"#id_{name}-errors")
    return error.get_text(" ", strip=True) if error else ""


def assert_descriptions_shown(soup) -> None:
    """Every help text or error an input names (``aria-describedby``) is on the page."""
    for described in soup.select("[aria-describedby]"):
        for element_id in described["aria-describedby"].split():
            assert soup.find(id=element_id), element_id


def facilitators_of(course) -> list[str]:
    return [link.facilitator.contact_email for link in course.facilitators()]


# The way in


def test_the_bookings_list_offers_add_a_booking_to_whoever_manages_places(
    coordinator_client, client, course
):
    soup = parse(coordinator_client.get(booking_admin_url("index")))

    button = soup.find("a", href=CHOOSE)
    assert button.get_text(" ", strip=True) == "Add a booking"
    filtered = parse(
        coordinator_client.get(booking_admin_url("index"), {"page__id__exact": course.pk})
    )
    assert filtered.find("a", href=add_url(course))


def test_a_viewer_is_not_offered_it_and_is_refused_it(client, course):
    client.force_login(user_in_group("viewer", "wagtail_courses.view_booking"))

    assert "Add a booking" not in text(parse(client.get(booking_admin_url("index"))))
    assert_refused(client.get(CHOOSE))
    assert_refused(client.get(add_url(course)))
    assert_refused(client.post(add_url(course), booking_data()))
    assert not Booking.objects.exists()


def test_the_chooser_lists_only_the_courses_whose_places_the_user_manages(client, make):
    mine, theirs = make(title="Mine"), make(title="Theirs")
    client.force_login(user_in_group("facilitator", "wagtail_courses.manage_places", edits=[mine]))

    response = client.get(CHOOSE)

    # The courses offered, past the empty choice (whose wording differs between Django versions).
    options = parse(response).select("#id_course option")
    assert [o.get_text(strip=True) for o in options if o.get("value")] == ["Mine"]
    assert client.get(CHOOSE, {"course": mine.pk})["Location"] == add_url(mine)
    refused = client.get(CHOOSE, {"course": theirs.pk})
    assert refused.status_code == 400
    assert "not one whose places you manage" in field_error(refused, "course")


@pytest.mark.parametrize("which", ["theirs", "none"])
def test_a_course_the_user_may_not_manage_takes_no_booking(client, make, which, add):
    mine, theirs = make(title="Mine"), make(title="Theirs")
    client.force_login(user_in_group("facilitator", "wagtail_courses.manage_places", edits=[mine]))
    url = add_url(theirs) if which == "theirs" else add_url(mine).replace(str(mine.pk), "999999")

    response = client.post(url, booking_data(), follow=True)

    assert response.redirect_chain[-1][0] == CHOOSE
    assert "not one whose places you manage" in messages_on(response)
    assert not Booking.objects.exists()
    assert not mail.outbox


# The form


def test_the_form_has_the_course_questions_and_the_staff_fields(coordinator_client, course):
    response = coordinator_client.get(add_url(course))
    soup = parse(response)

    assert response.status_code == 200
    labels = [label.get_text(" ", strip=True) for label in soup.select("form label")]
    assert labels[:2] == ["Full name *", "Email address *"]
    assert "Your role *" in labels
    assert "Email the applicant" in labels
    assert soup.select_one("#id_wc_notify").has_attr("checked")  # on, unless unticked
    assert not soup.select("#id_wc_leave_empty")  # no bot trap for staff
    assert_descriptions_shown(soup)


def test_a_booking_taken_by_hand_is_proven_and_goes_straight_on(coordinator, add, course):
    response = add(course)

    booking = Booking.objects.get()
    assert response["Location"] == booking_admin_url("inspect", booking.pk)
    assert (booking.name, booking.status, booking.hold_expires_at) == (
        "Ada Lovelace",
        Status.CONFIRMED,
        None,
    )
    assert booking.email_confirmed_at is not None
    assert booking.form_data == {
        "your_role": "Ward manager",
        "why_do_you_want_to_attend": "Asked on the phone.",
    }
    (change,) = booking.history.all()
    assert (change.to_status, change.changed_by, change.reason) == (
        Status.CONFIRMED,
        coordinator,
        "Taken by coordinator",
    )
    assert "The applicant agrees" in booking.consent_text
    # The applicant hears once, with nothing to confirm; the facilitators at once.
    assert kinds_sent_to("ada@example.org") == ["application_confirmation"]
    message = sent("application_confirmation", "ada@example.org")
    assert "Your place is confirmed." in message.body
    assert "Confirm your email address" not in message.body
    assert [m for m in mail.outbox if m.to == facilitators_of(course)]


def test_the_inspect_page_says_it_was_added(coordinator_client, add, course):
    response = coordinator_client.get(add(course)["Location"])

    assert "Booking" in messages_on(response) and "added for Ada Lovelace" in messages_on(response)
    assert "Taken by coordinator" in text(parse(response))


def test_unticked_the_applicant_is_not_emailed_but_the_facilitators_are(add, course):
    add(course, wc_notify=None)

    assert Booking.objects.get().status == Status.CONFIRMED
    assert kinds_sent_to("ada@example.org") == []
    assert [m.to for m in mail.outbox] == [facilitators_of(course)]


@pytest.mark.parametrize(
    ("fields", "status", "email_says"),
    [
        ({"requires_approval": True}, Status.AWAITING_APPROVAL, "read your application"),
        (
            {"price": 75, "payment_method": "link", "payment_url": "https://pay.example/"},
            Status.AWAITING_PAYMENT,
            "Pay for your place: https://pay.example/?reference=",
        ),
    ],
    ids=["approval", "payment"],
)
def test_it_goes_on_as_the_course_says(add, make, fields, status, email_says):
    add(make(**fields))

    booking = Booking.objects.get()
    assert booking.status == status
    assert email_says in sent("application_confirmation", "ada@example.org").body
    if status == Status.AWAITING_PAYMENT:
        assert booking.hold_expires_at > timezone.now() + timedelta(days=13)


def test_the_invoice_details_are_asked_and_kept(add, make):
    course = make(price=75, payment_method="invoice", payment_instructions="Invoice to follow.")

    add(course, wc_invoice_organisation="Leeds Teaching Hospitals", wc_purchase_order="PO-1")

    booking = Booking.objects.get()
    assert (booking.invoice_organisation, booking.purchase_order) == (
        "Leeds Teaching Hospitals",
        "PO-1",
    )


def test_the_same_form_sent_twice_is_one_booking_emailed_once(add, course):
    data = {"wc_token": "one-form"}

    add(course, **data)
    second = add(course, **data)

    booking = Booking.objects.get()
    assert second["Location"] == booking_admin_url("inspect", booking.pk)
    assert OutboundEmail.objects.filter(kind="application_confirmation").count() == 1
    assert OutboundEmail.objects.filter(kind="application_received").count() == 1


# The same rules


def test_a_full_course_takes_no_booking_unless_the_organiser_chooses_the_waitlist(add, make):
    course = make(capacity=1)
    BookingFactory(page=course, confirmed=True)

    refused = add(course, wc_place="paid")

    assert refused.status_code == 400
    assert "fully booked" in text(parse(refused))
    assert "The booking was not added" in messages_on(refused)
    assert Booking.objects.count() == 1
    assert not mail.outbox

    add(course, wc_place="paid_waitlist")

    booking = Booking.objects.get(email="ada@example.org")
    assert (booking.status, booking.hold_expires_at) == (Status.WAITLISTED, None)
    assert booking.email_confirmed_at is not None  # waits as long as it takes
    assert "waitlist" in sent("application_confirmation", "ada@example.org").body


def test_an_address_that_has_applied_already_is_refused(add, course):
    BookingFactory(page=course, email="Ada@Example.org", awaiting_approval=True)

    response = add(course)

    assert response.status_code == 400
    assert "already has an application for this course" in field_error(response, "wc_email")
    assert Booking.objects.count() == 1
    assert not mail.outbox


@pytest.fixture
def staff_course(make, home):
    site_settings = CourseSiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.staff_email_domains = "nhs.net"
    site_settings.save()
    return make(capacity=4, staff_free_places=1)


def test_a_staff_free_place_needs_a_staff_address(add, staff_course):
    refused = add(staff_course, wc_place="staff_free")

    assert "needs your work email address" in field_error(refused, "wc_email")
    assert not Booking.objects.exists()

    add(staff_course, wc_place="staff_free", wc_email="ada@nhs.net")

    booking = Booking.objects.get()
    assert (booking.place_type, booking.status) == ("staff_free", Status.CONFIRMED)


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        ({"wc_name": ""}, "wc_name", "This field is required."),
        ({"wc_email": "not an email"}, "wc_email", "Enter a valid email address."),
        ({"wc_consent": None}, "wc_consent", "Tick this box once the applicant has agreed."),
        ({"your_role": ""}, "your_role", "This field is required."),
    ],
    ids=["no-name", "bad-email", "no-consent", "unanswered-question"],
)
def test_bad_input_is_shown_by_its_field_and_nothing_is_saved(add, course, posted, field, message):
    response = add(course, **posted)

    assert response.status_code == 400
    assert message in field_error(response, field)
    assert "The booking was not added" in messages_on(response)
    assert (
        parse(response)
        .select_one(f"#id_{field}")["aria-describedby"]
        .startswith(f"id_{field}-errors")
    )
    assert_descriptions_shown(parse(response))
    assert not Booking.objects.exists()
    assert not mail.outbox


def test_a_course_whose_applications_have_closed_takes_none(add, make):
    course = make(booking_closes_at=timezone.now() - timedelta(days=1))

    response = add(course)

    assert response.status_code == 400
    assert "Applications for this course are closed." in text(parse(response))
    assert not Booking.objects.exists()
