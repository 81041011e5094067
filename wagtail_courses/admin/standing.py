"""Where a course stands, as the dashboard and the course's editor show it.

Every figure is ``services.availability``'s, the counting the booking path does under the
course's lock: this only lays it out, as a bar of confirmed, held and free places (drawn by
``wagtail_courses/admin/standing.css``) beside the same figures as text, and gives the way to
the course's bookings.
"""

from dataclasses import dataclass

from wagtail_courses.models import EventPage
from wagtail_courses.services.availability import Availability


@dataclass(frozen=True)
class Part:
    """One stretch of the bar: its kind (the CSS modifier), and its width in whole percent."""

    kind: str
    count: int
    percent: int


def shares(counts: list[int], whole: int) -> list[int]:
    """Each count's share of ``whole`` in whole percent, adding up to exactly 100 (each share
    is where its running total rounds to, less where the one before it did)."""
    if whole <= 0:
        return [0 for _count in counts]
    found, before, running = [], 0, 0
    for count in counts:
        running += count
        upto = round(100 * running / whole)
        found.append(upto - before)
        before = upto
    return found


@dataclass(frozen=True)
class Standing:
    """One course's places as counted, and where its bookings are (``bookings_url`` is "" for
    a user who may not see them)."""

    course: EventPage
    places: Availability
    bookings_url: str = ""

    @property
    def has_limit(self) -> bool:
        return self.places.capacity is not None

    @property
    def free(self) -> int | None:
        return self.places.places_left

    @property
    def over(self) -> int:
        """Places taken beyond the course's places (its places were lowered after)."""
        if self.places.capacity is None:
            return 0
        return max(0, self.places.taken - self.places.capacity)

    @property
    def bar(self) -> list[Part]:
        """Confirmed, held and free, as parts of the places (of the places taken, if more)."""
        if self.places.capacity is None:
            return []
        counts = [self.places.confirmed, self.places.held, self.free]
        whole = max(self.places.capacity, self.places.taken)
        return [
            Part(kind, count, percent)
            for kind, count, percent in zip(
                ["confirmed", "held", "free"], counts, shares(counts, whole), strict=True
            )
        ]
