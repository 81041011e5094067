"""One mailbox, one active application per course: asked the same way wherever it matters.

Applying again is refused while the mailbox's application holds or waits for a place
(tests/test_mailboxes.py); here, the other place that asks: marking paid a booking whose
hold ran out, after its applicant applied again.
"""

import pytest

from tests.factories import BookingFactory
from wagtail_courses.exceptions import InvalidStatusChange
from wagtail_courses.models import Booking
from wagtail_courses.services import places

Status = Booking.Status


@pytest.fixture
def course(make_course):
    return make_course(
        sessions=1,
        facilitators=0,
        capacity=2,
        price=100,
        payment_method="invoice",
        payment_instructions="We send an invoice.",
    )


@pytest.mark.parametrize(
    ("again", "status"),
    [
        ("ada@example.org", "waitlisted"),
        ("Ada@Example.org", "awaiting_email"),
        ("ada+course@example.org", "confirmed"),
    ],
)
def test_an_expired_booking_is_not_marked_paid_once_its_mailbox_applied_again(
    course, again, status
):
    expired = BookingFactory(page=course, email="ada@example.org", expired=True)
    BookingFactory(page=course, email=again, **{status: True})

    with pytest.raises(InvalidStatusChange, match="mark the newer booking paid instead"):
        places.mark_paid(booking=expired)

    expired.refresh_from_db()
    assert (expired.status, expired.paid_at) == (Status.EXPIRED, None)
    assert expired.history.count() == 1  # only its application: nothing was recorded


@pytest.mark.parametrize("status", ["cancelled", "declined", "expired"])
def test_an_ended_application_or_one_on_another_course_is_no_reason_to_refuse(
    make_course, course, run, status
):
    expired = BookingFactory(page=course, email="ada@example.org", expired=True)
    BookingFactory(page=course, email="ada@example.org", **{status: True})
    elsewhere = make_course(sessions=1, facilitators=0)
    BookingFactory(page=elsewhere, email="ada@example.org", confirmed=True)

    paid = run(places.mark_paid, booking=expired)

    assert (paid.status, paid.paid_at is not None) == (Status.CONFIRMED, True)
