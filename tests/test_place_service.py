"""Edges of ``services.places`` that an editor can reach from the admin."""

import pytest
from django.core import mail

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
        capacity=1,
        price=100,
        payment_method="invoice",
        payment_instructions="We send an invoice.",
    )


def test_offering_the_first_waiting_a_place_freed_by_a_lapsed_hold_offers_it_once(
    course, django_capture_on_commit_callbacks
):
    BookingFactory(page=course, email="late@example.org", awaiting_payment=True, lapsed=True)
    # Proven (as the trait makes it): offered a place, it goes straight on to payment.
    waiting = BookingFactory(page=course, email="waiting@example.org", waitlisted=True)

    with django_capture_on_commit_callbacks(execute=True):
        offered = places.offer_place(booking=waiting)

    assert offered.status == Status.AWAITING_PAYMENT
    assert [change.to_status for change in waiting.history.all()] == [
        Status.WAITLISTED,
        Status.AWAITING_PAYMENT,
    ]
    offers = [message for message in mail.outbox if message.to == ["waiting@example.org"]]
    assert len(offers) == 1


def test_marking_paid_an_expired_booking_whose_applicant_applied_again_is_refused(course):
    expired = BookingFactory(page=course, email="ada@example.org", expired=True)
    BookingFactory(page=course, email="Ada@example.org", waitlisted=True)

    with pytest.raises(InvalidStatusChange, match="applied again"):
        places.mark_paid(booking=expired)

    expired.refresh_from_db()
    assert (expired.status, expired.paid_at) == (Status.EXPIRED, None)
    assert [change.to_status for change in expired.history.all()] == [Status.EXPIRED]
