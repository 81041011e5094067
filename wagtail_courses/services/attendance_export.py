"""A course's register as one table, for a trust's learning records (an ESR/OLM import).

One row per person, one column per session (its title and start, in the course's time zone)
holding Present, Absent, Apologies or nothing. The people are the course's confirmed places
and anyone else with a mark: a place cancelled after its sessions were marked still says who
came. Anonymised bookings (no person left to record) and cancelled sessions (nothing to
attend) are left out. Three queries, however large the course.
"""

from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from wagtail_courses.formatting.schedule import local
from wagtail_courses.models import Attendance, Booking, EventPage, SessionPage
from wagtail_courses.services.booking_status import shown_status
from wagtail_courses.services.completion import counted_sessions

LABELS = dict(Attendance.Mark.choices)


def people(course: EventPage):
    """Whoever is on the register or has been marked on it, by name."""
    marked = Booking.objects.filter(anonymised_at__isnull=True, attendance__isnull=False)
    return (
        (Booking.objects.attending() | marked)
        .filter(page_id=course.pk)
        .distinct()
        .order_by("name", "pk")
    )


def heading(session: SessionPage, course: EventPage) -> str:
    """E.g. "Session 2 (2027-06-09 14:00)": it sorts and reads the same in a spreadsheet."""
    when = format_date(local(session.start, course.tzinfo), "Y-m-d H:i")
    return f"{session.title} ({when})"


def table(course: EventPage) -> list[list[str]]:
    """The heading row, then one row per person."""
    sessions = counted_sessions(course)
    marks = {
        (booking_id, session_id): mark
        for booking_id, session_id, mark in Attendance.objects.filter(
            booking__page_id=course.pk, session__in=sessions
        ).values_list("booking_id", "session_id", "mark")
    }
    rows = [
        [
            _("Reference"),
            _("Name"),
            _("Email"),
            _("Status"),
            *(heading(session, course) for session in sessions),
        ]
    ]
    for booking in people(course):
        rows.append(
            [
                booking.reference,
                booking.name,
                booking.email,
                shown_status(booking, course=course)[1],
                *(str(LABELS.get(marks.get((booking.pk, session.pk)), "")) for session in sessions),
            ]
        )
    return rows
