"""A session's register: who is on it, and writing the marks a facilitator gives them.

The register is the course's confirmed places of people still on record
(``Booking.objects.attending()``: a place confirmed with its invoice still outstanding is
confirmed too; an anonymised booking has no one left to mark). A booking cancelled after it
was marked leaves the register, but its marks are kept: they are a record of who came, and
the course's export (``attendance_export``) still lists them. No row means not yet marked; a mark is
changed, never removed.

Marks are written in one transaction, a fixed number of queries however many there are;
``attendance_signals.marks_saved`` tells completion, once committed, of every booking the save
posted, changed or not: a "present" counts only once its session has started, so saving the
register again then completes those it should (a certificate is issued once).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from wagtail_courses.attendance_signals import marks_saved
from wagtail_courses.formatting.schedule import local, long_day
from wagtail_courses.models import Attendance, Booking, EventPage, SessionPage

Mark = Attendance.Mark


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
    return Booking.objects.attending().filter(page_id=course.pk).order_by("name", "pk")


def is_on_register(booking: Booking) -> bool:
    """One booking's ``Booking.objects.attending()``, read from the row already loaded."""
    return booking.status == Booking.Status.CONFIRMED and booking.anonymised_at is None


def register(session: SessionPage, course: EventPage) -> list[Entry]:
    """The session's register as it stands (two queries)."""
    marks = {
        row.booking_id: row
        for row in Attendance.objects.filter(session=session).only(
            "booking_id", "mark", "by_applicant"
        )
    }
    entries = []
    for booking in attendees(course):
        row = marks.get(booking.pk)
        entries.append(
            Entry(
                booking=booking,
                mark=row.mark if row else "",
                by_applicant=bool(row and row.by_applicant),
            )
        )
    return entries


def mark(*, session: SessionPage, course: EventPage, marks: dict[int, str], by) -> list[Booking]:
    """Give each booking (by id) in ``marks`` its mark for ``session``; the bookings whose mark
    changed (``marks_saved`` is sent with all of them). ``RegisterRefused`` if any can't be
    given: then none is.

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
        if bookings:
            announce(session, [bookings[pk] for pk in sorted(bookings)], by=by)
    return [bookings[pk] for pk in sorted(changed)]


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
    """One insert, or update where a row is already there (an apology sent meanwhile): the
    register's marks are never the applicant's own (``by_applicant``)."""
    if not marks:
        return
    Attendance.objects.bulk_create(
        [
            Attendance(booking_id=pk, session=session, mark=value, marked_by=by, by_applicant=False)
            for pk, value in marks.items()
        ],
        update_conflicts=True,
        unique_fields=["booking", "session"],
        update_fields=["mark", "marked_by", "by_applicant", "marked_at"],
    )


def announce(session: SessionPage, bookings: list[Booking], *, by) -> None:
    """``marks_saved`` once the marks are committed (never for marks rolled back)."""

    def send():
        marks_saved.send(sender=SessionPage, session=session, bookings=bookings, by=by)

    transaction.on_commit(send)


def not_started_notice(session: SessionPage, course: EventPage) -> str:
    """What the register says above its form before the session starts ("" once it has): a
    "present" given now is kept, but counts towards completion only from a save after the
    start (``services.completion``)."""
    if session.start <= timezone.now():
        return ""
    start = local(session.start, course.tzinfo)
    return _(
        "This session starts on %(day)s at %(time)s. Marks of present count towards completing "
        "the course once it has started: save the register again then if you mark it before."
    ) % {"day": long_day(start), "time": format_date(start, "H:i")}
