"""The booking record: its reference, the rule behind "one application per address", its history."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from tests.factories import BookingFactory
from wagtail_courses.exceptions import InvalidStatusChange
from wagtail_courses.models import Booking, BookingStatusChange
from wagtail_courses.services import places
from wagtail_courses.services.history import record_status


@pytest.fixture
def course(make_course):
    return make_course(sessions=1, facilitators=0)


def test_references_are_short_unambiguous_and_unique(course):
    references = {BookingFactory(page=course).reference for _n in range(50)}

    assert len(references) == 50
    assert all(re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", reference) for reference in references)


def test_the_database_refuses_a_second_active_booking_for_an_address(course):
    BookingFactory(page=course, email="ada@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(page=course, email="ADA@EXAMPLE.ORG")


def test_an_inactive_booking_leaves_the_address_free(course, make_course):
    BookingFactory(page=course, email="ada@example.org", cancelled=True)
    BookingFactory(page=course, email="ada@example.org")
    # Another course: always free.
    BookingFactory(page=make_course(sessions=1, facilitators=0), email="ada@example.org")

    assert Booking.objects.filter(email="ada@example.org").count() == 3


def test_cancelling_is_recorded_with_who_and_why(course, admin_user):
    booking = BookingFactory(page=course, awaiting_email=True)

    places.cancel(booking=booking, by=admin_user, reason="Asked to by phone")

    booking.refresh_from_db()
    applied, change = booking.history.all()
    assert booking.status == Booking.Status.CANCELLED
    assert (change.from_status, change.to_status, change.changed_by, change.reason) == (
        "awaiting_email",
        "cancelled",
        admin_user,
        "Asked to by phone",
    )
    assert (applied.to_status, applied.changed_by, applied.reason) == ("awaiting_email", None, "")


def test_a_cancelled_booking_cannot_be_cancelled_again(course):
    booking = places.cancel(booking=BookingFactory(page=course))

    with pytest.raises(InvalidStatusChange):
        places.cancel(booking=booking)
    # The application's row and the one cancelling.
    assert list(booking.history.values_list("to_status", flat=True)) == [
        "awaiting_email",
        "cancelled",
    ]


@pytest.fixture
def cancelled(course, admin_user):
    return places.cancel(booking=BookingFactory(page=course), by=admin_user, reason="Rang: unwell")


def test_a_history_row_cannot_be_changed_or_deleted(cancelled):
    change = cancelled.history.last()

    change.reason = "rewritten"
    with pytest.raises(PermissionDenied, match="cannot be changed"):
        change.save()
    with pytest.raises(PermissionDenied, match="cannot be deleted"):
        change.delete()
    assert cancelled.history.last().reason == "Rang: unwell"


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

    assert list(BookingStatusChange.objects.values_list("to_status", "reason")) == [
        ("awaiting_email", ""),
        ("cancelled", "Rang: unwell"),
    ]


def test_anonymising_replaces_the_reasons_and_nothing_else(cancelled, course, admin_user):
    other = places.cancel(booking=BookingFactory(page=course), reason="Bob's own")
    record_status(booking=cancelled, to=cancelled.status, previous=cancelled.status)  # no reason
    before = list(BookingStatusChange.objects.values_list("pk", "to_status", "changed_at"))

    changed = BookingStatusChange.objects.filter(booking=cancelled).anonymise_reasons("(Gone.)")

    assert changed == 1  # a blank reason stays blank: nothing was typed to remove
    assert list(cancelled.history.values_list("reason", "changed_by")) == [
        ("", None),
        ("(Gone.)", admin_user.pk),
        ("", None),
    ]
    assert list(other.history.values_list("reason", flat=True)) == ["", "Bob's own"]
    after = list(BookingStatusChange.objects.values_list("pk", "to_status", "changed_at"))
    assert after == before


def test_a_user_who_changed_a_booking_can_still_be_deleted(cancelled, admin_user):
    admin_user.delete()

    change = cancelled.history.last()
    assert (change.changed_by, change.reason) == (None, "Rang: unwell")
