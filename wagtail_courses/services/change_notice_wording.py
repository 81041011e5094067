"""What a change notice says: a published session cancelled, moved or back on, or a course's
online joining link changed (``services.change_notices`` decides when one is sent).

A notice's outbox row keeps the change as it was published (``Notice.stored``: the session's
title and times then, and before), as every email keeps the booking's status when written:
what it says is fixed at the moment of the change, however late it is rendered. Its words are
made here once, for the emails' templates (``notice_context``) and the editor's preview alike.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.dateformat import format as format_date
from django.utils.translation import gettext_lazy as _

from wagtail_courses.formatting.schedule import local
from wagtail_courses.models import EventPage

# To each confirmed attendee (with the course's updated ``.ics``), and to the facilitators.
SESSION_CHANGED = "session_changed"
JOINING_LINK_CHANGED = "joining_link_changed"
FACILITATORS_KIND = "facilitator_session_changed"
TO_ATTENDEES = {SESSION_CHANGED, JOINING_LINK_CHANGED}

MOVED, CANCELLED, REINSTATED, JOINING_LINK = "moved", "cancelled", "reinstated", "joining_link"

SUBJECTS = {
    MOVED: _("Session moved: %(session)s of %(course)s"),
    CANCELLED: _("Session cancelled: %(session)s of %(course)s"),
    REINSTATED: _("Session back on: %(session)s of %(course)s"),
    JOINING_LINK: _("New joining link for %(course)s"),
}
SENTENCES = {
    MOVED: _("%(session)s of %(course)s has moved. It was on %(was)s. It is now on %(when)s."),
    CANCELLED: _("%(session)s of %(course)s, on %(when)s, has been cancelled."),
    REINSTATED: _(
        "%(session)s of %(course)s, on %(when)s, is going ahead after all: it is no longer "
        "cancelled."
    ),
    JOINING_LINK: _(
        "The link to join %(course)s online has changed. Please use the new link below from now on."
    ),
}
CALENDAR_SENTENCE = _(
    "The course's dates are attached as a calendar file: opening it updates the session in "
    "your calendar."
)


@dataclass(frozen=True)
class Notice:
    """One change to tell of; the session's title and times are as published."""

    change: str
    session_id: int | None = None
    title: str = ""
    start: datetime | None = None
    end: datetime | None = None
    was_start: datetime | None = None
    was_end: datetime | None = None

    @property
    def kind(self) -> str:
        return JOINING_LINK_CHANGED if self.change == JOINING_LINK else SESSION_CHANGED

    def stored(self) -> dict:
        """For the outbox row's context (JSON: times as ISO 8601)."""
        times = {"start": self.start, "end": self.end}
        times |= {"was_start": self.was_start, "was_end": self.was_end}
        return {
            "change": self.change,
            "session": self.session_id,
            "session_title": self.title,
            **{name: value.isoformat() if value else "" for name, value in times.items()},
        }

    @classmethod
    def from_stored(cls, stored: dict) -> "Notice":
        def time(name: str) -> datetime | None:
            value = stored.get(name)
            return datetime.fromisoformat(value) if value else None

        return cls(
            change=stored.get("change", ""),
            session_id=stored.get("session"),
            title=stored.get("session_title", ""),
            start=time("start"),
            end=time("end"),
            was_start=time("was_start"),
            was_end=time("was_end"),
        )


def when(start: datetime | None, end: datetime | None, course: EventPage) -> str:
    """ "Tuesday 18 May 2027, 15:00 to 17:00 (Europe/London)", in the course's time zone."""
    if start is None or end is None:
        return ""
    start, end = local(start, course.tzinfo), local(end, course.tzinfo)
    end_format = "H:i" if start.date() == end.date() else "l j F Y, H:i"
    return _("%(start)s to %(end)s (%(zone)s)") % {
        "start": format_date(start, "l j F Y, H:i"),
        "end": format_date(end, end_format),
        "zone": course.time_zone,
    }


def notice_context(course: EventPage, stored: dict) -> dict:
    """The change's subject and sentences, for a notice's templates."""
    notice = Notice.from_stored(stored)
    if notice.change not in SENTENCES:
        return {}
    values = {
        "course": course.title,
        "session": notice.title,
        "when": when(notice.start, notice.end, course),
        "was": when(notice.was_start, notice.was_end, course),
    }
    return {
        "change_subject": str(SUBJECTS[notice.change] % values),
        "change_sentence": str(SENTENCES[notice.change] % values),
        "calendar_sentence": "" if notice.change == JOINING_LINK else str(CALENDAR_SENTENCE),
    }
