"""Places an editor adds to a course go to the people waiting for them, as a freed place does.

An editor who publishes a course with more places, or more staff free places (or no limit),
means the people on its waitlist to have them: ``signals`` calls ``offer_added_places`` when
a course is published with more than it had. Fewer places take nothing from anyone: a place
already given stays given, and the course is full until enough are freed.

The offering is ``places.fill_from_waitlist``'s, under the course's lock like every other
change of places, so each offer is in its booking's history and its applicant is emailed
"place_offered". A lock not granted in time is ``CourseBusy``; the publish goes ahead, and the
places wait for the course's next change or for ``manage.py release_expired_holds``
(``offer_all_free_places``), whichever comes first.
"""

from typing import NamedTuple

from django.utils import timezone

from wagtail_courses.exceptions import CourseBusy
from wagtail_courses.models import Booking, EventPage
from wagtail_courses.services import places
from wagtail_courses.services.availability import availability, still_waiting
from wagtail_courses.services.course_lock import course_locked

PlaceType = Booking.PlaceType


class Limits(NamedTuple):
    """A course's two limits on its places; ``capacity`` None means no limit."""

    capacity: int | None
    staff_free_places: int

    @classmethod
    def of(cls, course: EventPage) -> "Limits":
        return cls(course.capacity, course.staff_free_places)

    def raised_to(self, now: "Limits") -> bool:
        """Whether ``now`` lets more people in than these limits did, of either kind."""
        if now.staff_free_places > self.staff_free_places:
            return True
        if self.capacity is None:
            return False  # there was no limit to raise
        return now.capacity is None or now.capacity > self.capacity


def offer_added_places(course: EventPage) -> int:
    """Offer the course's free places to the people waiting for them, in order; how many.

    Holds that ran out are released first, as any change of places does. ``CourseBusy`` if the
    lock is not granted in time: nothing was changed.
    """
    with course_locked(course):
        now = timezone.now()
        places.release_lapsed_holds(course, now=now)
        return places.fill_from_waitlist(course, now=now)


def offer_all_free_places() -> int:
    """On each course where someone waits while a place of their kind is free (added while
    the course was busy, say), offer it; how many were offered. For ``manage.py
    release_expired_holds``.

    Each course is counted first without its lock, so a course with nothing to offer is never
    locked; a busy one is left to its next change, or to the next run.
    """
    now = timezone.now()
    waited_for = Booking.objects.filter(still_waiting(now)).values_list("page_id", flat=True)
    offered = 0
    for course in EventPage.objects.filter(pk__in=list(waited_for.distinct())):
        counted = availability(course, now=now)
        if not any(counted.waiting(kind) and counted.has_room(kind) for kind in PlaceType):
            continue
        try:
            with course_locked(course):
                offered += places.fill_from_waitlist(course, now=timezone.now())
        except CourseBusy:
            continue
    return offered
