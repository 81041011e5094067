"""Every change of a booking's status goes through here, and is written to its history."""

from django.db import transaction

from wagtail_courses.exceptions import InvalidStatusChange
from wagtail_courses.models import Booking, BookingStatusChange

Status = Booking.Status


def record_status(*, booking: Booking, to: str, by=None, reason: str = "", previous: str = ""):
    """Append one line to the booking's history (the booking itself is saved by the caller)."""
    return BookingStatusChange.objects.create(
        booking=booking, from_status=previous, to_status=to, changed_by=by, reason=reason
    )


def change_status(*, booking: Booking, to: str, by=None, reason: str = "") -> Booking:
    """Move the booking to ``to``, locking its row so two editors can't both move it."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if not booking.is_active:
            raise InvalidStatusChange(
                f"Booking {booking.reference} is {booking.status} and can no longer change."
            )
        previous = booking.status
        booking.status = to
        booking.save(update_fields=["status", "updated_at"])
        record_status(booking=booking, to=to, by=by, reason=reason, previous=previous)
    return booking


def cancel_booking(*, booking: Booking, by=None, reason: str = "") -> Booking:
    return change_status(booking=booking, to=Status.CANCELLED, by=by, reason=reason)
