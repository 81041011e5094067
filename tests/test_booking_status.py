"""A booking's status reads the same to staff wherever it is shown, and the same rule decides
which of their actions it offers as ``services.places`` enforces."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import BookingFactory
from wagtail_courses import transitions
from wagtail_courses.choices import BookingStatus
from wagtail_courses.models import Booking
from wagtail_courses.services import booking_actions
from wagtail_courses.services.booking_status import shown_as, shown_status

Status = BookingStatus
STATUSES = [status.value for status in BookingStatus]
# What a hold running out ends: the table's "expire".
EXPIRING = transitions.transition("expire").sources


@pytest.fixture
def course(make_course):
    return make_course(sessions=1, facilitators=0)


def in_status(status, hold):
    return BookingFactory.build(status=status, hold_expires_at=hold)


@pytest.mark.parametrize("status", STATUSES)
def test_a_booking_whose_hold_has_time_left_or_none_reads_as_stored(status):
    now = timezone.now()

    for hold in (None, now + timedelta(minutes=1)):
        assert shown_status(in_status(status, hold), now) == (status, Status(status).label)


@pytest.mark.parametrize("status", STATUSES)
def test_a_hold_that_ran_out_reads_expired_where_running_out_ends_it(status):
    now = timezone.now()

    for hold in (now, now - timedelta(days=1)):
        value, label = shown_status(in_status(status, hold), now)

        assert value == (Status.EXPIRED if status in EXPIRING else status)
        assert label == Status(value).label
        assert isinstance(label, str)


def test_a_status_no_longer_among_the_choices_is_shown_as_stored():
    assert shown_status(in_status("submitted", None)) == ("submitted", "submitted")


def test_the_filter_finds_exactly_the_bookings_shown_with_each_status(course):
    """Every status, with no hold, one with time left and one that ran out: ``shown_as`` (the
    list's filter) and ``shown_status`` (its column) agree on every booking."""
    now = timezone.now()
    for status in STATUSES:
        for hold in (None, now + timedelta(hours=1), now - timedelta(minutes=1)):
            BookingFactory(page=course, status=status, hold_expires_at=hold)
    bookings = list(Booking.objects.all())

    for status in STATUSES:
        found = set(Booking.objects.filter(shown_as(status, now)).values_list("pk", flat=True))
        shown = {booking.pk for booking in bookings if shown_status(booking, now)[0] == status}
        assert found == shown, status
    # Each booking is found under one status, and only one.
    assert sum(Booking.objects.filter(shown_as(s, now)).count() for s in STATUSES) == len(bookings)


# Which actions a booking allows


STAFF_ACTIONS = ["approve", "decline", "mark_paid", "offer_place", "cancel"]


@pytest.mark.parametrize("action", STAFF_ACTIONS)
@pytest.mark.parametrize("status", STATUSES)
def test_a_paid_place_allows_what_the_table_allows(action, status):
    booking = BookingFactory.build(status=status)

    assert booking_actions.allows(action, booking) == transitions.allows(action, status)


@pytest.mark.parametrize("status", STATUSES)
def test_a_staff_free_place_is_never_marked_paid(status):
    assert not booking_actions.allows("mark_paid", BookingFactory.build(status=status, staff=True))


def test_a_place_already_paid_has_nothing_more_to_pay():
    paid = BookingFactory.build(confirmed=True, paid=True)
    paid_early = BookingFactory.build(awaiting_approval=True, paid=True)

    assert booking_actions.already_paid(paid)
    assert not booking_actions.allows("mark_paid", paid)
    # Paid before approval: still awaiting approval, and with nothing more to pay either.
    assert booking_actions.already_paid(paid_early)
    assert not booking_actions.allows("mark_paid", paid_early)
