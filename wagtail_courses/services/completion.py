"""Whether an attendee has completed their course, by the course's rule, and the CPD hours
their certificate gives.

The sessions that count are the course's live sessions that are not cancelled (a cancelled
session is nobody's absence). A "present" mark counts only for a session that has started:
the register can't know who came to a session still to come. So "present at every session"
completes once the last session has begun and the person was marked present at each, and
"present at N sessions" once they were present at N (or at every session, if cancellations
left fewer than N). "Marked complete by an organiser" never completes from the register:
only the booking's "Mark complete" action does (``services.certificates.mark_complete``).

Only a confirmed place of someone still on record completes (``attendance.is_on_register``):
the register may hold marks for a booking cancelled since.

CPD hours: the course's ``cpd_hours`` if the editor set it; else the total length of the
counted sessions the person was present at, to the nearest half hour (a quarter hour rounds
up). A course marked complete by hand with no one marked present in the register gives the
length of every counted session that has started: the organiser vouches for the whole course.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from wagtail_courses.models import Attendance, Booking, EventPage, SessionPage
from wagtail_courses.services.attendance import is_on_register

Completion = EventPage.Completion
HALF_HOUR = timedelta(minutes=30)


def counted_sessions(course: EventPage) -> list[SessionPage]:
    """The course's live sessions that are not cancelled, in the order they start: those
    that count, and those the register's export lists (``attendance_export``)."""
    return list(course.sessions().exclude(status=SessionPage.Status.CANCELLED))


@dataclass(frozen=True)
class Record:
    """One booking's record against its course's counted sessions."""

    counted: list[SessionPage]
    # The counted sessions that have started and that the person was marked present at.
    present: list[SessionPage]
    started: list[SessionPage]

    @property
    def all_started(self) -> bool:
        return len(self.started) == len(self.counted)


def present_ids(bookings: list[Booking]) -> dict[int, set[int]]:
    """For each booking, the sessions it is marked present at: one query for them all."""
    found: dict[int, set[int]] = {booking.pk: set() for booking in bookings}
    marks = Attendance.objects.filter(
        booking__in=bookings, mark=Attendance.Mark.PRESENT
    ).values_list("booking_id", "session_id")
    for booking_id, session_id in marks:
        found[booking_id].add(session_id)
    return found


def make_record(
    counted: list[SessionPage], present: set[int], *, now: datetime | None = None
) -> Record:
    now = now or timezone.now()
    started = [session for session in counted if session.start <= now]
    return Record(
        counted=counted,
        present=[session for session in started if session.pk in present],
        started=started,
    )


def record_of(booking: Booking, course: EventPage) -> Record:
    return make_record(counted_sessions(course), present_ids([booking])[booking.pk])


def sessions_needed(course: EventPage, counted: list[SessionPage]) -> int:
    """How many sessions a person must be present at under an "at least" rule."""
    return min(course.completion_minimum_sessions or len(counted), len(counted))


def completes(booking: Booking, course: EventPage, attended: Record) -> bool:
    """Whether the register's marks complete the booking under its course's rule."""
    if not is_on_register(booking) or not attended.counted:
        return False
    if course.completion_rule == Completion.ALL_SESSIONS:
        return attended.all_started and len(attended.present) == len(attended.counted)
    if course.completion_rule == Completion.AT_LEAST:
        return len(attended.present) >= sessions_needed(course, attended.counted)
    return False  # by hand: only an organiser's "Mark complete"


def sessions_attended(course: EventPage, attended: Record) -> list[SessionPage]:
    """The sessions a certificate names: those the person was present at, or (marked complete
    by hand, with no one's presence marked) every counted session that has started."""
    if attended.present or course.completion_rule != Completion.BY_HAND:
        return attended.present
    return attended.started


def to_half_hours(length: timedelta) -> Decimal:
    """A length in hours to the nearest half hour, a quarter hour rounding up."""
    halves = (length + HALF_HOUR / 2) // HALF_HOUR
    return (Decimal(halves) / 2).quantize(Decimal("0.1"))


def cpd_hours(course: EventPage, sessions: list[SessionPage]) -> Decimal:
    """The editor's CPD hours for the course, else the length of ``sessions``."""
    if course.cpd_hours is not None:
        return course.cpd_hours
    return to_half_hours(sum((session.end - session.start for session in sessions), timedelta()))
