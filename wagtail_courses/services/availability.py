"""Counting a course's places from its bookings: what is free, of which kind, for whom.

Nothing is kept in a counter: every count reads the booking rows, and a hold past its
``hold_expires_at`` stops counting at once, whatever its status still says (so does an
unproven place in a waitlist's queue). Taking and freeing
places is ``places``' job; it counts with this, under the course's lock. The admin's
listings count many courses at once (``availability_by_course``) with the same counting.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wagtail_courses.models import Booking, EventPage
from wagtail_courses.transitions import transition

Status = Booking.Status
PlaceType = Booking.PlaceType
STAFF = PlaceType.STAFF_FREE


@dataclass(frozen=True)
class Availability:
    """A course's places as counted at one moment; ``None`` means no limit."""

    capacity: int | None
    staff_quota: int
    taken: int = 0
    staff_taken: int = 0
    staff_waiting: int = 0
    paid_waiting: int = 0
    # Holds (and unproven waitlist entries) past their time but not yet marked expired.
    lapsed: int = 0
    # Of the places taken, by status (the rest of ``taken`` awaits email confirmation).
    confirmed: int = 0
    awaiting_approval: int = 0
    awaiting_payment: int = 0

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.taken)

    @property
    def held(self) -> int:
        """Places taken but not yet confirmed: awaiting email confirmation, approval or
        payment (a lapsed hold is in none of them)."""
        return self.taken - self.confirmed

    @property
    def awaiting_email(self) -> int:
        return self.held - self.awaiting_approval - self.awaiting_payment

    @property
    def waitlisted(self) -> int:
        return self.staff_waiting + self.paid_waiting

    def left(self, place_type: str) -> int | None:
        """Places of this kind a newcomer could have, before anyone waiting is counted."""
        total_left = self.places_left
        if place_type == PlaceType.STAFF_FREE:
            staff_left = max(0, self.staff_quota - self.staff_taken)
            return staff_left if total_left is None else min(staff_left, total_left)
        if self.capacity is None:
            return None
        paid_taken = self.taken - self.staff_taken
        # Staff free places are kept for staff: paid places are the rest of the capacity.
        return min(max(0, self.capacity - self.staff_quota - paid_taken), total_left)

    def waiting(self, place_type: str) -> int:
        return self.staff_waiting if place_type == PlaceType.STAFF_FREE else self.paid_waiting

    def has_room(self, place_type: str) -> bool:
        left = self.left(place_type)
        return left is None or left > 0

    def open_to_newcomers(self, place_type: str) -> int | None:
        """Places of this kind free for a new applicant: those nobody is waiting for."""
        left = self.left(place_type)
        return None if left is None else max(0, left - self.waiting(place_type))

    def can_take(self, place_type: str) -> bool:
        left = self.open_to_newcomers(place_type)
        return left is None or left > 0

    @property
    def staff_free_left(self) -> int:
        return self.open_to_newcomers(PlaceType.STAFF_FREE)

    @property
    def paid_left(self) -> int | None:
        return self.open_to_newcomers(PlaceType.PAID)

    @property
    def is_full(self) -> bool:
        staff_open = self.staff_quota and self.can_take(PlaceType.STAFF_FREE)
        return not (staff_open or self.can_take(PlaceType.PAID))


def not_lapsed(now: datetime) -> Q:
    """Bookings with no time limit, or whose time has not yet run out at ``now``."""
    return Q(hold_expires_at__isnull=True) | Q(hold_expires_at__gt=now)


def holds_a_place(now: datetime) -> Q:
    """Bookings that hold a place at ``now``: a lapsed hold doesn't, whatever its status."""
    return Q(status__in=Booking.HOLDING_STATUSES) & not_lapsed(now)


def still_waiting(now: datetime) -> Q:
    """Bookings waiting for a place at ``now``: an unproven one past its time isn't."""
    return Q(status=Status.WAITLISTED) & not_lapsed(now)


# The statuses whose ``hold_expires_at``, once past, ends the booking.
EXPIRING_STATUSES = sorted(transition("expire").sources)


def any_place(course: EventPage) -> Availability:
    """Every kind of place open, counted from nothing: for reading a posted form, whose place
    question accepts whatever the course offers. The service counts for real, under the lock.
    """
    return Availability(capacity=None, staff_quota=course.staff_free_places)


def lapsed(now: datetime) -> Q:
    """Holds and unproven waitlist entries whose time ran out (``places`` marks them expired)."""
    return Q(status__in=EXPIRING_STATUSES, hold_expires_at__lte=now)


def counted(bookings: QuerySet, *, now: datetime) -> QuerySet:
    """The active ones among ``bookings`` by course, status and kind of place: how many there
    are (``total``) and how many of them still count at ``now`` (``current``, not lapsed).

    The one count, whether of one course under its lock or of a listing of many; ``tally``
    reads the figures from its rows. Grouping, with one filtered count, asks the database
    less than a filtered count for each figure did (a row for each status and kind, at most
    ten a course).
    """
    return (
        bookings.filter(status__in=Booking.ACTIVE_STATUSES)
        .values("page_id", "status", "place_type")
        .annotate(current=Count("pk", filter=not_lapsed(now)), total=Count("pk"))
        .order_by()
    )


# The places taken, counted by their status as well (``Availability``'s fields of those names).
BY_STATUS = {
    Status.CONFIRMED: "confirmed",
    Status.AWAITING_APPROVAL: "awaiting_approval",
    Status.AWAITING_PAYMENT: "awaiting_payment",
}


def tally(rows: Iterable[dict]) -> dict[str, int]:
    """A course's figures (``Availability``'s counts) from its rows of ``counted``.

    What still counts: a place is taken by a holding status (``holds_a_place``), waited for by
    a waitlisted one (``still_waiting``); what no longer does, of the statuses that expire, has
    lapsed (``lapsed``).
    """
    counts = dict.fromkeys(
        ["taken", "staff_taken", "staff_waiting", "paid_waiting", "lapsed", *BY_STATUS.values()],
        0,
    )
    for row in rows:
        status, current, staff = row["status"], row["current"], row["place_type"] == STAFF
        if status in Booking.HOLDING_STATUSES:
            counts["taken"] += current
            counts["staff_taken"] += current if staff else 0
        if status in BY_STATUS:
            counts[BY_STATUS[status]] += current
        if status == Status.WAITLISTED:
            counts["staff_waiting" if staff else "paid_waiting"] += current
        if status in EXPIRING_STATUSES:
            counts["lapsed"] += row["total"] - current
    return counts


@dataclass(frozen=True)
class CountQuery:
    """The count's SQL for one course at one moment, compiled ahead of running it."""

    sql: str
    params: tuple
    names: tuple[str, ...]


def count_query(course: EventPage, *, now: datetime) -> CountQuery:
    """Compile the count of the course's places as at ``now``, to run it later.

    Building the ORM's query takes longer than the database takes to answer it: a booking
    compiles it before taking the course's lock, and runs it under the lock
    (``availability(..., query=...)``), so the lock is held for less time. The database still
    counts when it runs it, after the lock was granted: nothing is counted early.
    """
    counting = counted(Booking.objects.filter(page_id=course.pk), now=now)
    sql, params = counting.query.sql_with_params()
    names = (*counting.query.values_select, *counting.query.annotation_select)
    return CountQuery(sql, tuple(params), names)


def availability(
    course: EventPage, *, now: datetime | None = None, query: CountQuery | None = None
) -> Availability:
    """Count the course's places from its bookings, in one query (``query``, if compiled
    already by ``count_query``)."""
    query = query or count_query(course, now=now or timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(query.sql, query.params)
        rows = [dict(zip(query.names, row, strict=True)) for row in cursor.fetchall()]
    return Availability(
        capacity=course.capacity, staff_quota=course.staff_free_places, **tally(rows)
    )


def availability_by_course(
    courses: Iterable[EventPage], *, now: datetime | None = None
) -> dict[int, Availability]:
    """Each course's places by its id, counted as ``availability`` counts one course's: in one
    query however many courses and bookings there are (none for no courses)."""
    courses = list(courses)
    if not courses:
        return {}
    bookings = Booking.objects.filter(page_id__in=[course.pk for course in courses])
    rows_by_course: dict[int, list[dict]] = {course.pk: [] for course in courses}
    for row in counted(bookings, now=now or timezone.now()):
        rows_by_course[row["page_id"]].append(row)
    return {
        course.pk: Availability(
            capacity=course.capacity,
            staff_quota=course.staff_free_places,
            **tally(rows_by_course[course.pk]),
        )
        for course in courses
    }
