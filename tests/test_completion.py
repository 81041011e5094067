"""When an attendee completes their course, by its rule, and the CPD hours their certificate
gives: the register's marks (sent as ``marks_saved``) or an organiser's "Mark complete"."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from tests.admin_users import assert_refused, booking_admin_url, user_in_group
from tests.support.certificates import attendee, mark, register_saved, weeks_ago
from tests.support.form_data import course_form_data
from tests.support.html import parse, text
from wagtail_courses.models import (
    Attendance,
    Booking,
    Certificate,
    EventPage,
    OutboundEmail,
    SessionPage,
)
from wagtail_courses.services import certificates
from wagtail_courses.services.completion import to_half_hours

ALL, AT_LEAST, BY_HAND = "all_sessions", "at_least", "by_hand"
REFERENCE = re.compile(r"^WC-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def course_with(make_course):
    """A course of three two-hour sessions, all started (weekly, from four weeks ago)."""

    def make(rule=ALL, **fields):
        return make_course(
            sessions=3, facilitators=1, first_start=weeks_ago(4), completion_rule=rule, **fields
        )

    return make


def sessions_of(course) -> list[SessionPage]:
    return list(course.sessions())


def certificate_of(booking) -> Certificate | None:
    return Certificate.objects.filter(booking=booking).first()


def stated(sessions) -> list[dict]:
    """The sessions as a certificate keeps them, fixed when it is issued."""
    return [{"title": session.title, "start": session.start.isoformat()} for session in sessions]


def certificate_emails(booking) -> list[OutboundEmail]:
    return list(booking.emails.filter(kind="certificate"))


# The rules


def test_present_at_every_session_completes_and_sends_the_certificate(course_with, capture):
    course = course_with(ALL)
    first, second, third = sessions_of(course)
    ada = attendee(course, email="ada@example.org")
    mark(ada, [first, second])
    register_saved(capture, second, [ada])

    assert certificate_of(ada) is None
    assert mail.outbox == []

    mark(ada, [third])
    register_saved(capture, third, [ada])

    certificate = certificate_of(ada)
    assert REFERENCE.match(certificate.reference)
    assert certificate.hours == Decimal("6.0")  # three sessions of two hours
    assert certificate.issued_by is None  # the register completed it
    assert certificate.sessions_attended == stated([first, second, third])
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert course.title in message.subject
    assert "Completed the course" in ada.history.order_by("-pk").first().reason


@pytest.mark.parametrize("other_mark", [Attendance.Mark.ABSENT, Attendance.Mark.APOLOGIES])
def test_absence_or_apologies_at_one_session_does_not_complete_all_sessions(
    course_with, capture, other_mark
):
    course = course_with(ALL)
    first, second, third = sessions_of(course)
    ada = attendee(course)
    mark(ada, [first, second])
    mark(ada, [third], other_mark)
    register_saved(capture, third, [ada])

    assert certificate_of(ada) is None
    assert not certificate_emails(ada)


def test_every_session_means_every_one_so_a_session_still_to_come_waits(make_course, capture):
    # Two sessions have run; the third is tomorrow.
    first_start = weeks_ago(2) + timedelta(days=1)
    course = make_course(sessions=3, first_start=first_start, completion_rule=ALL)
    first, second, third = sessions_of(course)
    ada = attendee(course)
    mark(ada, [first, second])
    # A "present" for a session not yet begun is a slip of the register: it doesn't count.
    mark(ada, [third])
    register_saved(capture, second, [ada])

    assert certificate_of(ada) is None


def test_a_cancelled_session_is_nobodys_absence(course_with, capture):
    course = course_with(ALL)
    first, second, third = sessions_of(course)
    SessionPage.objects.filter(pk=third.pk).update(status=SessionPage.Status.CANCELLED)
    ada = attendee(course)
    mark(ada, [first, second])
    register_saved(capture, second, [ada])

    assert certificate_of(ada).hours == Decimal("4.0")


def test_present_at_a_number_of_sessions(course_with, capture):
    course = course_with(AT_LEAST, completion_minimum_sessions=2)
    first, second, third = sessions_of(course)
    ada, bob = attendee(course), attendee(course)
    mark(ada, [first])
    mark(ada, [second], Attendance.Mark.ABSENT)
    mark(bob, [first, third])
    register_saved(capture, third, [ada, bob])

    assert certificate_of(ada) is None
    # Bob's hours are the sessions he came to, not the course's whole length.
    assert certificate_of(bob).hours == Decimal("4.0")


def test_fewer_sessions_left_than_asked_for_means_every_one_left(course_with, capture):
    course = course_with(AT_LEAST, completion_minimum_sessions=3)
    first, second, third = sessions_of(course)
    SessionPage.objects.filter(pk=first.pk).update(status=SessionPage.Status.CANCELLED)
    ada = attendee(course)
    mark(ada, [second, third])
    register_saved(capture, third, [ada])

    assert certificate_of(ada) is not None


def test_a_course_completed_by_hand_is_never_completed_by_the_register(course_with, capture):
    course = course_with(BY_HAND)
    ada = attendee(course)
    mark(ada, sessions_of(course))
    register_saved(capture, sessions_of(course)[-1], [ada])

    assert certificate_of(ada) is None


@pytest.mark.parametrize("status", ["cancelled", "waitlisted", "awaiting_payment"])
def test_only_a_confirmed_place_completes(course_with, capture, status):
    course = course_with(ALL)
    ada = attendee(course)
    Booking.objects.filter(pk=ada.pk).update(status=status)
    mark(ada, sessions_of(course))
    register_saved(capture, sessions_of(course)[-1], [ada])

    assert certificate_of(ada) is None


def test_an_anonymised_booking_never_completes(course_with, capture):
    course = course_with(ALL)
    ada = attendee(course)
    mark(ada, sessions_of(course))
    Booking.objects.filter(pk=ada.pk).update(anonymised_at=weeks_ago(0))

    register_saved(capture, sessions_of(course)[-1], [ada])

    assert certificate_of(ada) is None
    assert mail.outbox == []


def test_a_booking_of_another_course_sent_with_the_marks_is_left_alone(course_with, capture):
    course, other = course_with(ALL), course_with(ALL)
    stranger = attendee(other)
    mark(stranger, sessions_of(other))
    register_saved(capture, sessions_of(course)[-1], [stranger])

    assert certificate_of(stranger) is None


def test_a_certificate_is_issued_once_however_often_the_register_is_saved(course_with, capture):
    course = course_with(ALL)
    ada = attendee(course)
    mark(ada, sessions_of(course))
    for session in sessions_of(course):
        register_saved(capture, session, [ada])

    assert Certificate.objects.filter(booking=ada).count() == 1
    assert len(certificate_emails(ada)) == 1
    assert len(mail.outbox) == 1


def test_a_second_issue_at_the_same_moment_writes_nothing(course_with, capture):
    course = course_with(ALL)
    ada = attendee(course)

    with capture(execute=True):
        first = certificates.issue(booking=ada, hours=Decimal("2.0"))
    # As a second worker would, having checked before the first wrote.
    Certificate.objects.filter(pk=first.pk).update(reference="WC-AAAA-AAAA-AAAA")
    assert certificates.issue(booking=ada, hours=Decimal("2.0")) is None

    assert Certificate.objects.filter(booking=ada).count() == 1
    assert len(certificate_emails(ada)) == 1


def test_references_are_unguessable_and_unambiguous():
    references = {certificates.new_reference() for _ in range(2000)}

    assert len(references) == 2000
    assert all(REFERENCE.match(reference) for reference in references)
    assert not set("01IO") & set("".join(references).replace("WC-", ""))


@pytest.mark.parametrize("people", [1, 10])
def test_the_register_costs_the_same_queries_for_one_person_or_many(
    course_with, capture, django_assert_num_queries, people
):
    course = course_with(ALL)
    first = sessions_of(course)[0]
    bookings = [attendee(course) for _ in range(people)]
    for booking in bookings:
        mark(booking, [first])
    first = SessionPage.objects.get(pk=first.pk)
    first.course  # noqa: B018 (the register has its course already)

    with django_assert_num_queries(3):
        register_saved(capture, first, bookings)

    assert not Certificate.objects.exists()


# CPD hours


@pytest.mark.parametrize(
    ("minutes", "hours"),
    [(120, "2.0"), (100, "1.5"), (104, "1.5"), (105, "2.0"), (14, "0.0"), (15, "0.5")],
)
def test_the_sessions_length_is_given_to_the_nearest_half_hour(minutes, hours):
    assert to_half_hours(timedelta(minutes=minutes)) == Decimal(hours)


def test_the_editors_cpd_hours_win_over_the_sessions_length(course_with, capture):
    course = course_with(ALL, cpd_hours=Decimal("7.5"))
    ada = attendee(course)
    mark(ada, sessions_of(course))
    register_saved(capture, sessions_of(course)[-1], [ada])

    assert certificate_of(ada).hours == Decimal("7.5")


# Marked complete by an organiser


@pytest.fixture
def organiser(db):
    return user_in_group(
        "organiser", "wagtail_courses.view_booking", "wagtail_courses.manage_places"
    )


def buttons(response) -> list[str]:
    return [text(link) for link in parse(response).select("a.button")]


def mark_complete(client, booking, capture):
    with capture(execute=True):
        return client.post(booking_admin_url("mark_complete", booking.pk), follow=True)


def test_an_organiser_marks_a_booking_complete_and_it_is_emailed(
    client, course_with, capture, organiser
):
    course = course_with(BY_HAND)
    first, second, _third = sessions_of(course)
    ada = attendee(course, email="ada@example.org")
    mark(ada, [first, second])
    client.force_login(organiser)

    assert "Mark complete" in buttons(client.get(booking_admin_url("inspect", ada.pk)))
    page = client.get(booking_admin_url("mark_complete", ada.pk))
    assert "completed" in text(parse(page))
    assert certificate_of(ada) is None  # the page only asks

    response = mark_complete(client, ada, capture)

    assert "marked complete" in text(parse(response))
    certificate = certificate_of(ada)
    assert certificate.issued_by == organiser
    assert certificate.hours == Decimal("4.0")  # the two sessions she was marked present at
    assert certificate.sessions_attended == stated([first, second])
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert "Mark complete" not in buttons(client.get(booking_admin_url("inspect", ada.pk)))


def test_marked_complete_with_no_register_gives_the_whole_course(
    client, course_with, capture, organiser
):
    course = course_with(BY_HAND)
    ada = attendee(course)
    client.force_login(organiser)
    mark_complete(client, ada, capture)

    assert certificate_of(ada).hours == Decimal("6.0")
    assert certificate_of(ada).sessions_attended == stated(sessions_of(course))


def test_marking_complete_twice_is_refused_and_changes_nothing(
    client, course_with, capture, organiser
):
    course = course_with(BY_HAND)
    ada = attendee(course)
    client.force_login(organiser)
    mark_complete(client, ada, capture)
    mail.outbox.clear()

    response = mark_complete(client, ada, capture)

    assert "can't be marked complete" in text(parse(response))
    assert Certificate.objects.filter(booking=ada).count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("rule", "status"), [(ALL, "confirmed"), (AT_LEAST, "confirmed"), (BY_HAND, "waitlisted")]
)
def test_mark_complete_is_only_for_a_confirmed_place_on_a_course_completed_by_hand(
    client, course_with, capture, organiser, rule, status
):
    course = course_with(rule, completion_minimum_sessions=1)
    ada = attendee(course)
    Booking.objects.filter(pk=ada.pk).update(status=status)
    client.force_login(organiser)

    assert "Mark complete" not in buttons(client.get(booking_admin_url("inspect", ada.pk)))
    response = mark_complete(client, ada, capture)

    assert "can't be marked complete" in text(parse(response))
    assert certificate_of(ada) is None
    assert mail.outbox == []


def test_mark_complete_needs_the_permission_to_manage_places(client, course_with, capture):
    course = course_with(BY_HAND)
    ada = attendee(course)
    viewer = user_in_group("viewer", "wagtail_courses.view_booking")
    client.force_login(viewer)

    assert "Mark complete" not in buttons(client.get(booking_admin_url("inspect", ada.pk)))
    assert_refused(client.post(booking_admin_url("mark_complete", ada.pk)))
    assert certificate_of(ada) is None


def test_mark_complete_is_not_offered_on_the_bookings_list(admin_client, course_with):
    course = course_with(BY_HAND)
    attendee(course)

    assert "Mark complete" not in buttons(admin_client.get(booking_admin_url("index")))


# The editor's completion settings


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"completion_rule": "at_least", "completion_minimum_sessions": ""},
            "completion_minimum_sessions",
            "Enter how many sessions an attendee must be present at.",
        ),
        (
            {"completion_rule": "at_least", "completion_minimum_sessions": "0"},
            "completion_minimum_sessions",
            "Ensure this value is greater than or equal to 1.",
        ),
        ({"cpd_hours": "0"}, "cpd_hours", "Ensure this value is greater than or equal to 0.5."),
        ({"cpd_hours": "six"}, "cpd_hours", "Enter a number."),
        ({"completion_rule": "whenever"}, "completion_rule", "Select a valid choice."),
    ],
)
def test_a_bad_completion_setting_is_refused_with_a_message(
    admin_client, event_index, fields, field, message
):
    url = reverse("wagtailadmin_pages:add", args=("wagtail_courses", "eventpage", event_index.pk))

    response = admin_client.post(url, course_form_data(**fields))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not EventPage.objects.filter(slug="compassionate-leadership").exists()
