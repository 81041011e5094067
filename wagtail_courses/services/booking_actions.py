"""Whether a booking, as it stands, allows an action: the one answer for the Bookings admin's
buttons and confirmation pages, and for ``services.places``, which checks it again under the
course's lock before it changes anything.

The table of transitions (``wagtail_courses.transitions``) says which statuses allow which
action, and who may take it. Marking paid also needs something to pay for: a paid place that
is not already paid (``already_paid``). The stored status is what counts, as ``places`` reads
it: a lapsed hold, shown as expired (``booking_status``), may still be paid for or cancelled
until it is marked expired.

The admin shows an action's button only where it can be done now: offering a place also
needs one of the booking's kind free on its course (``room_for``). That is not a question of
the booking's status, so it is not ``allows``: the action's page and the service still take the
booking as the table allows, and the service, counting again under the lock, refuses with
``NoPlaceLeft`` if the place went in the meantime.
"""

from collections.abc import Callable

from wagtail_courses import transitions
from wagtail_courses.models import Booking, EventPage
from wagtail_courses.services.availability import Availability, availability

Status = Booking.Status
PlaceType = Booking.PlaceType


def already_paid(booking: Booking) -> bool:
    """A place marked paid, confirmed or (paid early) awaiting approval: marking it paid again
    changes nothing, so its amount and reference stay as recorded."""
    return bool(booking.paid_at) and booking.status in (Status.AWAITING_APPROVAL, Status.CONFIRMED)


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


# The actions that need a place of the booking's kind free on its course.
NEED_A_FREE_PLACE = {"offer_place"}


class FreePlaces:
    """Whether a place of a booking's kind is free on its course, counted once per course.

    For a page of buttons, such as the Bookings list, whose rows share a few courses: one
    count per course on the page, however many of its bookings are waiting. Make one for each
    request, since a count is true only for the moment it was made.
    """

    def __init__(self):
        self.counted: dict[int, Availability] = {}

    def has_room(self, booking: Booking) -> bool:
        places = self.counted.get(booking.page_id)
        if places is None:
            course = EventPage.objects.get(pk=booking.page_id)  # its places, for the count
            places = self.counted[booking.page_id] = availability(course)
        return places.has_room(booking.place_type)


def room_for(action: str, booking: Booking, free_places: FreePlaces | None = None) -> bool:
    """Whether the course has room for ``action`` on ``booking`` now, beyond what its status
    allows: a place of its kind free, for offering one; counted by ``free_places`` if given."""
    if action not in NEED_A_FREE_PLACE:
        return True
    return (free_places or FreePlaces()).has_room(booking)
