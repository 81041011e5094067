"""The booking record: its reference, the rule behind "one application per address", its history."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from wagtail_courses.exceptions import InvalidStatusChange
from wagtail_courses.models import Booking, BookingStatusChange
from wagtail_courses.services import places


@pytest.fixture
def course(make_course):
    return make_course(sessions=1, facilitators=0)


def book(course, email="ada@example.org", **fields):
    return Booking.objects.create(page=course, name="Ada", email=email, form_data={}, **fields)


def test_references_are_short_unambiguous_and_unique(course):
    references = {book(course, email=f"p{n}@example.org").reference for n in range(50)}

    assert len(references) == 50
    assert all(re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", reference) for reference in references)


def test_the_database_refuses_a_second_active_booking_for_an_address(course):
    book(course)

    with pytest.raises(IntegrityError), transaction.atomic():
        book(course, email="ADA@EXAMPLE.ORG")


def test_an_inactive_booking_leaves_the_address_free(course, make_course):
    book(course, status=Booking.Status.CANCELLED)
    book(course)
    book(make_course(sessions=1, facilitators=0))  # another course: always free

    assert Booking.objects.filter(email="ada@example.org").count() == 3


def test_cancelling_is_recorded_with_who_and_why(course, admin_user):
    booking = book(course)

    places.cancel(booking=booking, by=admin_user, reason="Asked to by phone")

    booking.refresh_from_db()
    change = booking.history.get()
    assert booking.status == Booking.Status.CANCELLED
    assert (change.from_status, change.to_status, change.changed_by, change.reason) == (
        "awaiting_email",
        "cancelled",
        admin_user,
        "Asked to by phone",
    )


def test_a_cancelled_booking_cannot_be_cancelled_again(course):
    booking = places.cancel(booking=book(course))

    with pytest.raises(InvalidStatusChange):
        places.cancel(booking=booking)
    assert booking.history.count() == 1


def test_history_is_append_only(course):
    booking = places.cancel(booking=book(course))
    change = BookingStatusChange.objects.get(booking=booking)

    change.reason = "rewritten"
    with pytest.raises(ValidationError, match="cannot be changed"):
        change.save()
    with pytest.raises(ValidationError, match="cannot be deleted"):
        change.delete()
    assert BookingStatusChange.objects.get().reason == ""
