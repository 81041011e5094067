"""How a booking's status reads to staff: the same word on every page and export that shows it.

A hold whose time ran out stops counting at once (``services.availability``), but its row is
marked expired only when something next works on its course under the lock
(``places.release_lapsed_holds``) or ``release_expired_holds`` runs. Until then its stored
status still says "Awaiting payment". The Bookings list, a booking's page, the Forms view and
their exports all show ``shown_status``, which already says "Expired"; the list's status
filter finds bookings the same way (``shown_as``).
"""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from wagtail_courses.models import Booking
from wagtail_courses.services.availability import EXPIRING_STATUSES, lapsed, not_lapsed

Status = Booking.Status
LABELS = dict(Status.choices)


def has_lapsed(booking: Booking, now: datetime) -> bool:
    """For one booking what ``availability.lapsed`` is for a query: a hold (or an unproven
    place in a waitlist's queue) whose time ran out, not yet marked expired."""
    return booking.hold_has_lapsed(now)


def shown_status(booking: Booking, now: datetime | None = None) -> tuple[str, str]:
    """The status to show for ``booking`` at ``now``, as ``(value, label)``: a lapsed hold is
    expired, whatever its row still says."""
    now = now or timezone.now()
    value = Status.EXPIRED if has_lapsed(booking, now) else booking.status
    # A value no longer among the choices (an old row) is shown as it is stored.
    return str(value), str(LABELS.get(value, value))


def shown_as(value: str, now: datetime | None = None) -> Q:
    """The bookings that ``shown_status`` shows as ``value`` at ``now``, as a query."""
    now = now or timezone.now()
    if value == Status.EXPIRED:
        return Q(status=Status.EXPIRED) | lapsed(now)
    if value in EXPIRING_STATUSES:
        return Q(status=value) & not_lapsed(now)
    return Q(status=value)
