"""Whether a booking, as it stands, allows an action: the one answer for the Bookings admin's
buttons and confirmation pages, and for ``services.places``, which checks it again under the
course's lock before it changes anything.

The table of transitions (``wagtail_courses.transitions``) says which statuses allow which
action, and who may take it. Marking paid also needs something to pay for: a paid place that
is not already both paid and confirmed. The stored status is what counts, as ``places`` reads
it: a lapsed hold, shown as expired (``booking_status``), may still be paid for or cancelled
until it is marked expired.
"""

from collections.abc import Callable

from wagtail_courses import transitions
from wagtail_courses.models import Booking

Status = Booking.Status
PlaceType = Booking.PlaceType


def already_paid(booking: Booking) -> bool:
    """A confirmed place marked paid: marking it paid again changes nothing."""
    return bool(booking.paid_at) and booking.status == Status.CONFIRMED


def has_something_to_pay_for(booking: Booking) -> bool:
    """A staff free place is never paid for; a confirmed, paid one has nothing more to pay."""
    return booking.place_type == PlaceType.PAID and not already_paid(booking)


# What an action needs of a booking beyond its status.
NEEDS: dict[str, Callable[[Booking], bool]] = {"mark_paid": has_something_to_pay_for}


def allows(action: str, booking: Booking) -> bool:
    """Whether ``action`` (a name in the table of transitions) may be taken on ``booking``."""
    needs = NEEDS.get(action)
    if needs is not None and not needs(booking):
        return False
    return transitions.allows(action, booking.status)
