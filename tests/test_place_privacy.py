"""A course's online joining link is private: only a confirmed attendee is ever given it."""

import json
import time
from datetime import timedelta
from unittest.mock import patch

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import BookingFactory
from tests.support.applying import application_data
from tests.support.bookings import booking_of
from tests.support.giving_up import give_up
from tests.support.holds import lapse
from tests.support.html import parse, parse_html
from tests.support.mail import manage_path_in, sent
from wagtail_courses.models import Booking, OutboundEmail
from wagtail_courses.services import places
from wagtail_courses.services.applicant import manage_token

SECRET = "secret-room-42"
JOINING_LINK = f"https://meet.example/{SECRET}?pwd=x7"
Status = Booking.Status


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = 10_000


@pytest.fixture
def course(make_course):
    """Two staff free places, two paid places paid by link; joined online."""
    return make_course(
        sessions=3,
        facilitators=1,
        capacity=4,
        staff_free_places=2,
        staff_email_domains="nhs.net",
        price=30,
        payment_method="link",
        payment_url="https://pay.example/",
        joining_link=JOINING_LINK,
        summary="Joined online.",
    )


@pytest.fixture
def apply(client, django_capture_on_commit_callbacks):
    def apply(course, email, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(course.url, application_data(wc_email=email, **overrides))

    return apply


def assert_private(content, where: str) -> None:
    body = content.decode() if isinstance(content, bytes) else content
    assert SECRET not in body, f"the joining link is on {where}"
    assert "meet.example" not in body, f"the joining link is on {where}"


def assert_not_in_message(message, where: str) -> None:
    assert_private(message.body, where)
    for html, _mimetype in message.alternatives:
        assert_private(html, where)
    for _filename, content, _mimetype in message.attachments:
        assert_private(content, f"{where}'s attachment")


def test_the_joining_link_is_on_no_public_page(client, course, event_index, apply):
    # Someone is confirmed: the course now has attendees the link is for.
    apply(course, "ada@nhs.net", wc_place="staff_free")
    client.post(
        manage_path_in(sent("application_confirmation", "ada@nhs.net")), {"action": "confirm"}
    )
    assert booking_of("ada@nhs.net").status == Status.CONFIRMED
    sessions = list(course.sessions())
    public = {
        "the course page": course.url,
        "the course's calendar": f"{course.url}calendar/",
        "All events": event_index.url,
        "All events, filtered": f"{event_index.url}?mode=online&when=upcoming",
        "the calendar feed": f"{event_index.url}calendar/",
        **{f"session {number}": session.url for number, session in enumerate(sessions, 1)},
    }
    for where, url in public.items():
        response = client.get(url)
        assert response.status_code == 200, where
        assert_private(response.content, where)

    course_page = parse(client.get(course.url))
    (structured,) = course_page.select('script[type="application/ld+json"]')
    assert_private(json.dumps(json.loads(structured.string)), "the JSON-LD")


def test_the_joining_link_is_not_on_the_course_page_with_form_errors(client, course, apply):
    response = apply(course, "ada@gmail.com", wc_place="staff_free")

    assert response.status_code == 400
    assert_private(response.content, "the course page with an error")


def test_the_application_received_page_never_shows_it(client, make_course, apply, prove):
    """Even once the place is confirmed: that page is reached by its reference alone."""
    course = make_course(sessions=1, joining_link=JOINING_LINK)

    response = apply(course, "ada@example.org")
    assert prove(booking_of("ada@example.org")).status == Status.CONFIRMED

    received = client.get(response["Location"])
    assert received.status_code == 200
    assert_private(received.content, "the application received page")


@pytest.mark.parametrize(
    ("email", "choice", "proven", "status"),
    [
        ("ada@nhs.net", "staff_free", False, Status.AWAITING_EMAIL_CONFIRMATION),
        ("ada@example.org", "paid", False, Status.AWAITING_EMAIL_CONFIRMATION),
        ("ada@example.org", "paid", True, Status.AWAITING_PAYMENT),
    ],
)
def test_a_held_place_is_not_given_the_link(
    client, course, apply, prove, email, choice, proven, status
):
    apply(course, email, wc_place=choice)
    if proven:
        prove(booking_of(email))
    assert booking_of(email).status == status

    confirmation = sent("application_confirmation", email)
    assert_not_in_message(confirmation, "the confirmation of a held place")
    assert_private(client.get(manage_path_in(confirmation)).content, "a held place's manage page")
    to_applicant = [m for m in mail.outbox if m.to == [email]]
    for message in to_applicant:
        assert_not_in_message(message, "an email about a held place")
    # The facilitators hear of the application once the address is proven.
    facilitators = [m for m in mail.outbox if m.to != [email]]
    assert bool(facilitators) == proven
    for message in facilitators:
        assert_not_in_message(message, "the facilitators' email")


def test_awaiting_approval_or_waitlisted_is_not_given_the_link(
    client, make_course, apply, run, prove
):
    course = make_course(sessions=1, capacity=1, requires_approval=True, joining_link=JOINING_LINK)
    apply(course, "ada@example.org")
    apply(course, "grace@example.org", wc_place="paid_waitlist")
    prove(booking_of("ada@example.org"))
    prove(booking_of("grace@example.org"))
    assert booking_of("ada@example.org").status == Status.AWAITING_APPROVAL
    assert booking_of("grace@example.org").status == Status.WAITLISTED

    for email in ("ada@example.org", "grace@example.org"):
        confirmation = sent("application_confirmation", email)
        assert_not_in_message(confirmation, f"{email}'s confirmation")
        assert_private(client.get(manage_path_in(confirmation)).content, f"{email}'s manage page")

    for message in mail.outbox:
        assert_not_in_message(message, f"an email to {message.to}")

    # Ada is declined: Grace (proven) is offered the place, still to be approved.
    run(places.decline, booking=booking_of("ada@example.org"), reason="Not eligible.")
    assert_not_in_message(sent("application_declined", "ada@example.org"), "a declined email")
    assert booking_of("grace@example.org").status == Status.AWAITING_APPROVAL
    assert_not_in_message(sent("place_offered", "grace@example.org"), "an offer to approve")

    run(places.approve, booking=booking_of("grace@example.org"))
    confirmed = sent("place_confirmed", "grace@example.org")
    assert JOINING_LINK in confirmed.body


def test_the_place_confirmed_email_and_the_confirmed_manage_page_have_it(
    client, course, apply, run, prove
):
    apply(course, "ada@example.org", wc_place="paid")
    link = manage_path_in(sent("application_confirmation", "ada@example.org"))
    assert prove(booking_of("ada@example.org")).status == Status.AWAITING_PAYMENT
    assert_not_in_message(sent("address_confirmed", "ada@example.org"), "the email to pay")
    assert_private(client.get(link).content, "the manage page of a place to pay for")

    run(places.mark_paid, booking=booking_of("ada@example.org"))

    message = sent("place_confirmed", "ada@example.org")
    assert f"Join the sessions online with this link: {JOINING_LINK}" in message.body
    (html, _mimetype) = message.alternatives[0]
    assert parse_html(html).find("a", href=JOINING_LINK)
    page = parse(client.get(link))
    assert page.find("a", href=JOINING_LINK)
    assert "Join the sessions online with this link:" in page.get_text(" ")
    # The calendar file sent with the confirmation is the public one: no link in it either.
    for _filename, content, _mimetype in sent(
        "application_confirmation", "ada@example.org"
    ).attachments:
        assert_private(content, "the calendar attachment")


def test_a_place_confirmed_by_proving_the_address_gets_the_link_in_that_email(
    client, make_course, apply, prove
):
    """A free course with no approval: the place is confirmed once the address is proven, and
    the "place confirmed" email then sent has the link; the first confirmation, sent before,
    doesn't."""
    course = make_course(sessions=1, joining_link=JOINING_LINK)

    apply(course, "ada@example.org")
    confirmation = sent("application_confirmation", "ada@example.org")
    assert_not_in_message(confirmation, "the confirmation of an unproven place")
    assert prove(booking_of("ada@example.org")).status == Status.CONFIRMED

    message = sent("place_confirmed", "ada@example.org")
    assert JOINING_LINK in message.body
    assert client.get(manage_path_in(message)).content.decode().count(SECRET) == 2  # href and text


def test_a_cancelled_or_lapsed_booking_loses_the_link(client, course, apply, run, prove):
    apply(course, "ada@nhs.net", wc_place="staff_free")
    ada = manage_path_in(sent("application_confirmation", "ada@nhs.net"))
    client.post(ada, {"action": "confirm"})
    assert SECRET in client.get(ada).content.decode()

    give_up(client, ada)

    assert booking_of("ada@nhs.net").status == Status.CANCELLED
    assert_private(client.get(ada).content, "a cancelled booking's manage page")
    cancelled = OutboundEmail.objects.get(kind="booking_cancelled")
    assert_private(cancelled.body_text + cancelled.body_html, "the cancellation email")

    apply(course, "grace@example.org", wc_place="paid")
    grace = prove(booking_of("grace@example.org"))
    assert grace.status == Status.AWAITING_PAYMENT
    lapse(grace)
    assert_private(
        client.get(manage_path_in(sent("application_confirmation", grace.email))).content,
        "a lapsed hold",
    )
    run(places.release_all_lapsed_holds)
    assert_not_in_message(sent("hold_expired", "grace@example.org"), "the hold expired email")


def test_bad_links_do_not_show_it(client, course, settings):
    booking = BookingFactory(page=course, confirmed=True)
    token = manage_token(booking)
    with patch("time.time", return_value=time.time() - 2 * 24 * 3600):
        old_token = manage_token(booking)  # sent two days ago
    settings.WAGTAIL_COURSES_MANAGE_LINK_MAX_AGE = 24 * 3600

    tampered = client.get(f"{course.url}manage/{token[:-1]}{'B' if token[-1] == 'A' else 'A'}/")
    expired = client.get(f"{course.url}manage/{old_token}/")

    assert (tampered.status_code, expired.status_code) == (404, 410)
    assert_private(tampered.content, "the invalid link page")
    assert_private(expired.content, "the expired link page")


def test_the_link_stays_off_the_course_page_once_the_course_is_running(client, make_course):
    course = make_course(
        sessions=2,
        joining_link=JOINING_LINK,
        first_start=timezone.now() - timedelta(hours=1),
    )

    response = client.get(course.url)

    assert response.status_code == 200
    assert_private(response.content, "a running course's page")
