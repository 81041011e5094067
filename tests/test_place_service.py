"""Edges of ``services.places`` that an editor can reach from the admin."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

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


def booking(course, email, **fields):
    return Booking.objects.create(page=course, name=email, email=email, form_data={}, **fields)


def lapsed_hold(course, email="late@example.org"):
    return booking(
        course,
        email,
        status=Status.AWAITING_PAYMENT,
        hold_expires_at=timezone.now() - timedelta(minutes=1),
    )


def test_offering_the_first_waiting_a_place_freed_by_a_lapsed_hold_offers_it_once(
    course, django_capture_on_commit_callbacks
):
    lapsed_hold(course)
    waiting = booking(
        course,
        "waiting@example.org",
        status=Status.WAITLISTED,
        email_confirmed_at=timezone.now() - timedelta(days=1),  # proven: straight to payment
    )

    with django_capture_on_commit_callbacks(execute=True):
        offered = places.offer_place(booking=waiting)

    assert offered.status == Status.AWAITING_PAYMENT
    assert [change.to_status for change in waiting.history.all()] == [Status.AWAITING_PAYMENT]
    offers = [message for message in mail.outbox if message.to == ["waiting@example.org"]]
    assert len(offers) == 1


def test_marking_paid_an_expired_booking_whose_applicant_applied_again_is_refused(course):
    expired = booking(course, "ada@example.org", status=Status.EXPIRED)
    booking(course, "Ada@example.org", status=Status.WAITLISTED)

    with pytest.raises(InvalidStatusChange, match="applied again"):
        places.mark_paid(booking=expired)

    expired.refresh_from_db()
    assert (expired.status, expired.paid_at) == (Status.EXPIRED, None)
    assert not expired.history.exists()
