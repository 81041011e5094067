"""A session's register: who is on it, and writing the marks a facilitator gives them.

The register is the course's confirmed places (a place confirmed with its invoice still
outstanding is confirmed too: ``booking_status``). A booking cancelled after it was marked
leaves the register, but its marks are kept: they are a record of who came, and the course's
export (``attendance_export``) still lists them. No row means not yet marked; a mark is
changed, never removed.

Marks are written in one transaction, a fixed number of queries however many there are;
``attendance_signals.marks_saved`` tells completion which bookings' marks changed, once
committed.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wagtail_courses.attendance_signals import marks_saved
from wagtail_courses.models import Attendance, Booking, EventPage, SessionPage

Mark = Attendance.Mark
# The statuses of a place on the register: a confirmed one (paid, free, or invoiced).
ON_REGISTER = (Booking.Status.CONFIRMED,)


class RegisterRefused(Exception):
    """Marks that can't be saved, and why (shown to the facilitator); nothing was saved."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Entry:
    """One attendee's line of a session's register: their booking and its mark ("" if none)."""

    booking: Booking
    mark: str
    by_applicant: bool  # the mark is the applicant's own apologies


def attendees(course: EventPage) -> QuerySet[Booking]:
    """The course's bookings on every session's register, in the order the register lists them."""
    return Booking.objects.filter(page_id=course.pk, status__in=ON_REGISTER).order_by("name", "pk")


def register(session: SessionPage, course: EventPage) -> list[Entry]:
    """The session's register as it stands (two queries)."""
    marks = {
        row.booking_id: row
        for row in Attendance.objects.filter(session=session).only(
            "booking_id", "mark", "marked_by_id"
        )
    }
    entries = []
    for booking in attendees(course):
        row = marks.get(booking.pk)
        entries.append(
            Entry(
                booking=booking,
                mark=row.mark if row else "",
                by_applicant=bool(row and row.marked_by_id is None),
            )
        )
    return entries


def mark(*, session: SessionPage, course: EventPage, marks: dict[int, str], by) -> list[Booking]:
    """Give each booking (by id) in ``marks`` its mark for ``session``; the bookings whose mark
    changed. ``RegisterRefused`` if any can't be given: then none is.

    ``course`` is the session's. A booking not on the register (another course's, or no
    longer confirmed) or an unknown mark refuses the whole save: a register half saved would
    look saved.
    """
    if session.is_cancelled:
        raise RegisterRefused(_("This session was cancelled: its register takes no marks."))
    unknown = sorted({value for value in marks.values() if value not in Mark.values})
    if unknown:
        raise RegisterRefused(
            _("“%(mark)s” is not a mark: choose present, absent or apologies. Nothing was saved.")
            % {"mark": unknown[0]}
        )
    with transaction.atomic():
        bookings = {b.pk: b for b in attendees(course).filter(pk__in=list(marks))}
        if missing := set(marks) - set(bookings):
            raise RegisterRefused(not_on_register(len(missing)))
        stored = dict(
            Attendance.objects.filter(session=session, booking_id__in=list(marks)).values_list(
                "booking_id", "mark"
            )
        )
        changed = [pk for pk, value in marks.items() if stored.get(pk) != value]
        write(session, {pk: marks[pk] for pk in changed}, by=by)
        changed_bookings = [bookings[pk] for pk in sorted(changed)]
        if changed_bookings:
            announce(session, changed_bookings, by=by)
    return changed_bookings


def not_on_register(count: int) -> str:
    if count == 1:
        return _(
            "One of the people marked is not on this session's register (their place may have "
            "been cancelled since the page was opened). Nothing was saved."
        )
    return _(
        "%(count)d of the people marked are not on this session's register (their places may "
        "have been cancelled since the page was opened). Nothing was saved."
    ) % {"count": count}


def write(session: SessionPage, marks: dict[int, str], *, by) -> None:
    """One insert, or update where a row is already there (an apology sent meanwhile)."""
    if not marks:
        return
    Attendance.objects.bulk_create(
        [
            Attendance(booking_id=pk, session=session, mark=value, marked_by=by)
            for pk, value in marks.items()
        ],
        update_conflicts=True,
        unique_fields=["booking", "session"],
        update_fields=["mark", "marked_by", "marked_at"],
    )


def announce(session: SessionPage, bookings: list[Booking], *, by) -> None:
    """``marks_saved`` once the marks are committed (never for marks rolled back)."""

    def send():
        marks_saved.send(sender=SessionPage, session=session, bookings=bookings, by=by)

    transaction.on_commit(send)
