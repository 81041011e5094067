"""An attendee's apologies for a session, sent from their manage page.

A confirmed place may send apologies for any session still to come that is going ahead. It is
written to the register as the facilitators' own marks are (``Attendance``, ``by_applicant``),
unless a facilitator has already marked that session: their mark stands. The facilitators are
told (``facilitator_updates.tell``: at once, even on a course summarised daily), and
completion hears of it (``marks_saved``).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail_courses.models import Attendance, Booking, EventPage, SessionPage
from wagtail_courses.services import facilitator_changes, facilitator_updates
from wagtail_courses.services.attendance import announce, is_on_register

Mark = Attendance.Mark


class ApologiesRefused(Exception):
    """Apologies that can't be sent, with why (for the applicant) and the page's status."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Upcoming:
    """A session still to come, as the manage page offers it: ``state`` is "open" (a form),
    "sent" (their apologies stand) or "marked" (a facilitator has marked it: ``mark_label``)."""

    session: SessionPage
    state: str
    mark_label: str = ""


def may_apologise(session: SessionPage, now: datetime) -> bool:
    """Apologies are for a session that is going ahead and has not started."""
    return not session.is_cancelled and session.start > now


def upcoming(booking: Booking, course: EventPage, now: datetime | None = None) -> list[Upcoming]:
    """The sessions a confirmed place may send apologies for, or has, each with the booking's
    mark on it (one query); none for a booking without a confirmed place."""
    if not is_on_register(booking):
        return []
    now = now or timezone.now()
    own = Attendance.objects.filter(booking=booking, session=OuterRef("pk"))
    sessions = (
        course.sessions()
        .filter(start__gt=now, status=SessionPage.Status.SCHEDULED)
        .annotate(
            own_mark=Subquery(own.values("mark")[:1]),
            own_sent=Exists(own.filter(mark=Mark.APOLOGIES, by_applicant=True)),
        )
    )
    return [upcoming_session(session) for session in sessions]


def upcoming_session(session: SessionPage) -> Upcoming:
    if not session.own_mark:
        return Upcoming(session, "open")
    if session.own_sent:
        return Upcoming(session, "sent")
    return Upcoming(session, "marked", str(Mark(session.own_mark).label))


def session_for(course: EventPage, session_id: str | None) -> SessionPage:
    """The course's published session the form named; ``ApologiesRefused`` for any other."""
    session = None
    if session_id and session_id.isdigit():
        session = course.sessions().filter(pk=int(session_id)).first()
    if session is None:
        raise ApologiesRefused(_("That is not one of this course's sessions."), 400)
    return session


def send(*, booking: Booking, course: EventPage, session_id: str | None) -> SessionPage:
    """Record the applicant's apologies for the session named; the session.

    ``ApologiesRefused`` (nothing saved) for a session not this course's, cancelled or
    already started, a booking without a confirmed place, or a session a facilitator has
    already marked. Sending them again changes nothing and says they are sent.
    """
    session = session_for(course, session_id)
    if not is_on_register(booking):
        raise ApologiesRefused(_("Only a confirmed place can send apologies."), 409)
    if not may_apologise(session, timezone.now()):
        raise ApologiesRefused(
            _("“%(session)s” is cancelled or has already started: no apologies are needed now.")
            % {"session": session.title},
            409,
        )
    with transaction.atomic():
        row, created = Attendance.objects.get_or_create(
            booking=booking,
            session=session,
            defaults={"mark": Mark.APOLOGIES, "by_applicant": True},
        )
        if created:
            announce(session, [booking], by=None)
            facilitator_updates.tell(
                booking, course, facilitator_changes.APOLOGIES, session_id=session.pk
            )
    if not created and not (row.by_applicant and row.mark == Mark.APOLOGIES):
        raise ApologiesRefused(
            _("Your attendance at “%(session)s” is already recorded, so no apologies were sent.")
            % {"session": session.title},
            409,
        )
    return session
