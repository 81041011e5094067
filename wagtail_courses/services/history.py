"""A booking's history: one line per change of status (the changes are made by ``places``)."""

from wagtail_courses.models import Booking, BookingStatusChange


def record_status(
    *, booking: Booking, to: str, by=None, reason: str = "", previous: str = ""
) -> BookingStatusChange:
    """Append one line to the booking's history (the booking itself is saved by the caller)."""
    return BookingStatusChange.objects.create(
        booking=booking, from_status=previous, to_status=to, changed_by=by, reason=reason
    )
