"""Courses that need approval: an application proven by email waits for the facilitators, who
approve it (then payment, or a confirmed place) or decline it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.support.bookings import booking_of
from tests.support.holds import near
from tests.support.html import parse, text
from tests.support.mail import html_body, kinds_sent_to, manage_path_in, sent
from wagtail_courses.exceptions import InvalidStatusChange
from wagtail_courses.models import Booking
from wagtail_courses.services import places

Status = Booking.Status


@pytest.mark.parametrize(
    ("payment", "approved_status", "email_kind"),
    [
        (
            {"payment_method": "link", "payment_url": "https://pay.example/"},
            Status.AWAITING_PAYMENT,
            "application_approved",
        ),
        ({"payment_method": "none"}, Status.CONFIRMED, "place_confirmed"),
    ],
    ids=["with-payment", "without-payment"],
)
def test_approval_then_payment_or_confirmation(
    client, apply, paid_course, run, prove, payment, approved_status, email_kind
):
    course = paid_course(requires_approval=True, **payment)

    response = apply(course, wc_email="ada@example.org")

    booking = booking_of("ada@example.org")
    assert booking.status == Status.AWAITING_EMAIL_CONFIRMATION
    received = text(parse(client.get(response["Location"])))
    assert "What happens next" in received
    assert "Once you have confirmed it, the facilitators will read your application" in received

    booking = prove(booking)

    assert (booking.status, booking.hold_expires_at) == (Status.AWAITING_APPROVAL, None)
    link = manage_path_in(sent("application_confirmation", "ada@example.org"))
    assert "while the facilitators read your application" in text(parse(client.get(link)))
    # Nothing to pay yet, nor a place confirmed: the applicant is not emailed again till then.
    assert kinds_sent_to("ada@example.org") == ["application_confirmation"]

    run(places.approve, booking=booking)

    booking = booking_of("ada@example.org")
    assert booking.status == approved_status
    message = sent(email_kind, "ada@example.org")
    if approved_status == Status.AWAITING_PAYMENT:
        assert near(booking.hold_expires_at, timezone.now() + timedelta(days=14))
        assert f"https://pay.example/?reference={booking.reference}" in message.body
    else:
        assert "Your place is confirmed." in message.body


def test_a_declined_application_is_told_why_and_its_place_goes_to_the_first_waiting(
    client, apply, make_course, run, prove
):
    course = make_course(sessions=1, capacity=1, requires_approval=True)
    apply(course, wc_email="ada@example.org")
    apply(course, wc_email="grace@example.org", wc_place="paid_waitlist")
    apply(course, wc_email="mary@example.org", wc_place="paid_waitlist")
    assert prove(booking_of("ada@example.org")).status == Status.AWAITING_APPROVAL
    assert prove(booking_of("grace@example.org")).status == Status.WAITLISTED

    run(
        places.decline,
        booking=booking_of("ada@example.org"),
        reason="The course is for ward managers.",
    )

    assert booking_of("ada@example.org").status == Status.DECLINED
    declined = sent("application_declined", "ada@example.org")
    assert "The reason given: The course is for ward managers." in declined.body
    assert "The course is for ward managers." in html_body(declined)
    # The place is Grace's now (her address proven, to be approved in turn); Mary moves up.
    assert booking_of("grace@example.org").status == Status.AWAITING_APPROVAL
    assert sent("place_offered", "grace@example.org")
    assert booking_of("mary@example.org").status == Status.WAITLISTED
    mary_link = manage_path_in(sent("application_confirmation", "mary@example.org"))
    assert "You are number 1 on the waitlist" in text(parse(client.get(mary_link)))


def test_a_decided_application_cannot_be_decided_again(apply, paid_course, run):
    apply(paid_course(requires_approval=True))
    run(places.decline, booking=booking_of("ada@example.org"), reason="Full.")

    with pytest.raises(InvalidStatusChange):
        run(places.approve, booking=booking_of("ada@example.org"))
    assert booking_of("ada@example.org").status == Status.DECLINED
