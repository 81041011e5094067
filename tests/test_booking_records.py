"""The booking record: its reference, the rule behind "one application per address", its history."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from wagtail_courses.exceptions import InvalidStatusChange
from wagtail_courses.models import Booking, BookingStatusChange
from wagtail_courses.services import places
from wagtail_courses.services.history import record_status


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


@pytest.fixture
def cancelled(course, admin_user):
    return places.cancel(booking=book(course), by=admin_user, reason="Rang: unwell")


def test_a_history_row_cannot_be_changed_or_deleted(cancelled):
    change = BookingStatusChange.objects.get(booking=cancelled)

    change.reason = "rewritten"
    with pytest.raises(PermissionDenied, match="cannot be changed"):
        change.save()
    with pytest.raises(PermissionDenied, match="cannot be deleted"):
        change.delete()
    assert BookingStatusChange.objects.get().reason == "Rang: unwell"


@pytest.mark.parametrize(
    "rows",
    [
        lambda booking: BookingStatusChange.objects.filter(booking=booking),
        lambda booking: BookingStatusChange.objects.all(),
        lambda booking: booking.history.all(),
        lambda booking: booking.history,
    ],
    ids=["filtered", "all", "a booking's", "its manager"],
)
def test_history_cannot_be_rewritten_or_deleted_in_bulk(cancelled, rows):
    with pytest.raises(PermissionDenied, match="cannot be changed"):
        rows(cancelled).update(reason="rewritten")
    with pytest.raises(PermissionDenied, match="cannot be deleted"):
        rows(cancelled).delete()

    change = BookingStatusChange.objects.get()
    assert (change.to_status, change.reason) == ("cancelled", "Rang: unwell")


def test_anonymising_replaces_the_reasons_and_nothing_else(cancelled, course, admin_user):
    other = places.cancel(booking=book(course, email="bob@example.org"), reason="Bob's own")
    record_status(booking=cancelled, to=cancelled.status, previous=cancelled.status)  # no reason
    before = list(BookingStatusChange.objects.values_list("pk", "to_status", "changed_at"))

    changed = BookingStatusChange.objects.filter(booking=cancelled).anonymise_reasons("(Gone.)")

    assert changed == 1  # a blank reason stays blank: nothing was typed to remove
    assert list(cancelled.history.values_list("reason", "changed_by")) == [
        ("(Gone.)", admin_user.pk),
        ("", None),
    ]
    assert list(other.history.values_list("reason", flat=True)) == ["Bob's own"]
    after = list(BookingStatusChange.objects.values_list("pk", "to_status", "changed_at"))
    assert after == before


def test_a_user_who_changed_a_booking_can_still_be_deleted(cancelled, admin_user):
    admin_user.delete()

    change = BookingStatusChange.objects.get()
    assert (change.changed_by, change.reason) == (None, "Rang: unwell")
