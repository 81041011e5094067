"""Courses' sessions in people's calendars: iCalendar files and feeds, and web links.

Anyone with a course's address can download its calendar, so an event is built from a short,
explicit list of fields (see ``session_event``): titles, times, status, the course's address and
its venue. Nothing else on the pages, such as a future online joining link or a session's own
notes, can reach a calendar by accident.

Editors' text is put on one line (``text.single_line``) before it goes in, whatever is stored:
icalendar escapes line breaks only in TEXT properties (SUMMARY, DESCRIPTION, LOCATION), not in
the calendar's NAME and X-WR-CALNAME, which it types as ``vUnknown`` and writes verbatim, so a
title with a line break fails its assertion that a content line holds no newline (a 500; with
``python -O``, a file with a line break where it must not be). Nor does it drop the other
control characters, which RFC 5545 allows in no TEXT value.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote, urlencode, urlsplit

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar, Event
from icalendar.enums import STATUS

from wagtail_courses.formatting.schedule import local
from wagtail_courses.models import EventIndexPage, EventPage, SessionPage
from wagtail_courses.models.queries import live_sessions_by_course
from wagtail_courses.text import single_line

PRODID = "-//wagtail_courses//Course calendar//EN"

# How often a subscribed calendar should fetch the feed again (a hint; clients may ignore it).
FEED_REFRESH = timedelta(hours=12)

GOOGLE_CALENDAR_URL = "https://calendar.google.com/calendar/render"
# Microsoft 365 (work and school accounts, as most NHS staff have) and Outlook.com (personal).
OUTLOOK_OFFICE_URL = "https://outlook.office.com/calendar/deeplink/compose"
OUTLOOK_LIVE_URL = "https://outlook.live.com/calendar/deeplink/compose"


@dataclass(frozen=True)
class CourseSchedule:
    """A course with its live sessions (ordered by start) and its full public address."""

    course: EventPage
    url: str
    sessions: Sequence[SessionPage]


@dataclass(frozen=True)
class CalendarLinks:
    """What the "add to calendar" links need; the web links are ``None`` with nothing ahead."""

    ics_url: str
    first_session: SessionPage | None = None
    google_url: str | None = None
    outlook_office_url: str | None = None
    outlook_live_url: str | None = None


def session_uid(*, session: SessionPage, course_url: str) -> str:
    """The UID by which calendars recognise a session they already hold.

    Made from the page's id and the site's host, never from anything an editor can change, so
    an edited session replaces itself in a calendar instead of appearing twice, and the course
    file and the index feed name the same session the same way.
    """
    host = urlsplit(course_url).hostname or "localhost"
    return f"wagtail-courses-session-{session.pk}@{host}"


def session_summary(*, course: EventPage, session: SessionPage) -> str:
    summary = _("%(course)s: %(session)s") % {
        "course": single_line(course.title),
        "session": single_line(session.title),
    }
    if session.is_cancelled:
        # Not every calendar shows STATUS:CANCELLED; the title says it to everyone.
        summary = _("Cancelled: %(summary)s") % {"summary": summary}
    return str(summary)


def session_description(*, schedule: CourseSchedule, session: SessionPage) -> str:
    lines = [single_line(schedule.course.title)]
    if session.is_cancelled:
        lines.append(str(_("This session has been cancelled.")))
    lines += ["", str(_("Course details and all dates: %(url)s") % {"url": schedule.url})]
    return "\n".join(lines)


def session_event(*, schedule: CourseSchedule, session: SessionPage, stamp: datetime) -> Event:
    """One VEVENT, from the listed fields only (see the module's docstring)."""
    course = schedule.course
    zone = course.tzinfo
    return Event.new(
        uid=session_uid(session=session, course_url=schedule.url),
        stamp=stamp,
        # Calendars replace an event they hold only when its SEQUENCE rises; the model raises it.
        sequence=session.sequence,
        start=local(session.start, zone),
        end=local(session.end, zone),
        status=STATUS.CANCELLED if session.is_cancelled else STATUS.CONFIRMED,
        summary=session_summary(course=course, session=session),
        description=session_description(schedule=schedule, session=session),
        url=schedule.url,
        location=single_line(course.location_label) or None,
    )


def _calendar(
    *, name: str, uid: str, events: list[Event], refresh_interval: timedelta | None = None
) -> Calendar:
    calendar = Calendar.new(
        prodid=PRODID, name=single_line(name), uid=uid, refresh_interval=refresh_interval
    )
    if refresh_interval is not None:
        # Outlook reads the older, non-standard name of REFRESH-INTERVAL.
        calendar.add("X-PUBLISHED-TTL", refresh_interval)
    for event in events:
        calendar.add_component(event)
    if events:
        add_time_zones(calendar, events)
    return calendar


def add_time_zones(calendar: Calendar, events: list[Event]) -> None:
    """A VTIMEZONE for each zone the events' times are in, covering every year from the first
    session to the last (a few lines each, not decades).

    icalendar writes into each one "COMMENT:This timezone only works from … to …", a note
    for a developer that calendars show to people: it is taken out again.
    """
    first = min(event.start for event in events)
    last = max(event.end for event in events)
    calendar.add_missing_timezones(
        first_date=date(first.year, 1, 1), last_date=date(last.year + 1, 1, 1)
    )
    for zone in calendar.timezones:
        zone.pop("COMMENT", None)


def course_calendar(*, schedule: CourseSchedule, now: datetime | None = None) -> Calendar:
    """Every live session of one course, cancelled ones included and marked."""
    stamp = now or timezone.now()
    host = urlsplit(schedule.url).hostname or "localhost"
    return _calendar(
        name=schedule.course.title,
        uid=f"wagtail-courses-course-{schedule.course.pk}@{host}",
        events=[
            session_event(schedule=schedule, session=session, stamp=stamp)
            for session in schedule.sessions
        ],
    )


def index_calendar(
    *,
    index: EventIndexPage,
    index_url: str,
    schedules: Iterable[CourseSchedule],
    now: datetime | None = None,
) -> Calendar:
    """A feed to subscribe to: the sessions of several courses, each in its course's zone."""
    stamp = now or timezone.now()
    host = urlsplit(index_url).hostname or "localhost"
    return _calendar(
        name=index.title,
        uid=f"wagtail-courses-index-{index.pk}@{host}",
        events=[
            session_event(schedule=schedule, session=session, stamp=stamp)
            for schedule in schedules
            for session in schedule.sessions
        ],
        refresh_interval=FEED_REFRESH,
    )


def upcoming_course_sessions(
    *, index: EventIndexPage, now: datetime | None = None
) -> list[tuple[EventPage, list[SessionPage]]]:
    """The index's upcoming courses, each with all its live sessions, in two queries
    (``live_sessions_by_course``), however many courses and sessions there are."""
    courses = list(index.courses().upcoming(now or timezone.now()))
    sessions = live_sessions_by_course(courses)
    return [(course, sessions[course.path]) for course in courses]


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _session_line(*, session: SessionPage, course: EventPage) -> str:
    start, end = local(session.start, course.tzinfo), local(session.end, course.tzinfo)
    parts = {
        "title": session.title,
        "date": format_date(start, "l j F Y"),
        "start": format_date(start, "H:i"),
        "end_date": format_date(end, "l j F Y"),
        "end": format_date(end, "H:i"),
    }
    if start.date() == end.date():
        line = _("%(title)s: %(date)s, %(start)s to %(end)s") % parts
    else:
        line = _("%(title)s: %(date)s, %(start)s to %(end_date)s, %(end)s") % parts
    if session.is_cancelled:
        line = _("%(line)s (cancelled)") % {"line": line}
    return f"- {line}"


def schedule_text(*, schedule: CourseSchedule) -> str:
    """The whole schedule as plain text, for web links that can add only one event."""
    course = schedule.course
    lines = [
        course.title,
        "",
        str(_("This adds the next session only. All the sessions:")),
        *(_session_line(session=session, course=course) for session in schedule.sessions),
        str(_("Times are in the %(zone)s time zone.") % {"zone": course.time_zone}),
        "",
        str(_("Course details and all dates: %(url)s") % {"url": schedule.url}),
    ]
    return "\n".join(lines)


def first_upcoming_session(
    *, sessions: Iterable[SessionPage], now: datetime | None = None
) -> SessionPage | None:
    now = now or timezone.now()
    ahead = [s for s in sessions if not s.is_cancelled and s.start >= now]
    return min(ahead, key=lambda session: session.start, default=None)


def google_calendar_url(*, schedule: CourseSchedule, session: SessionPage) -> str:
    """Google Calendar's "create event" form, filled in with one session (UTC times)."""
    course = schedule.course
    params = {
        "action": "TEMPLATE",
        "text": session_summary(course=course, session=session),
        "dates": "{}/{}".format(
            _utc(session.start).strftime("%Y%m%dT%H%M%SZ"),
            _utc(session.end).strftime("%Y%m%dT%H%M%SZ"),
        ),
        "details": schedule_text(schedule=schedule),
        "ctz": course.time_zone,
    }
    if course.location_label:
        params["location"] = course.location_label
    return f"{GOOGLE_CALENDAR_URL}?{urlencode(params, quote_via=quote)}"


def outlook_calendar_url(*, schedule: CourseSchedule, session: SessionPage, base_url: str) -> str:
    """Outlook on the web's "new event" form, filled in with one session (UTC times)."""
    course = schedule.course
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": session_summary(course=course, session=session),
        "startdt": _utc(session.start).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "enddt": _utc(session.end).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "body": schedule_text(schedule=schedule),
    }
    if course.location_label:
        params["location"] = course.location_label
    # %20 rather than +: Outlook shows a + in the form as it is.
    return f"{base_url}?{urlencode(params, quote_via=quote)}"


def calendar_links(
    *, schedule: CourseSchedule, ics_url: str, now: datetime | None = None
) -> CalendarLinks:
    """The .ics link always; web links only while a scheduled session is still ahead."""
    session = first_upcoming_session(sessions=schedule.sessions, now=now)
    if session is None:
        return CalendarLinks(ics_url=ics_url)
    return CalendarLinks(
        ics_url=ics_url,
        first_session=session,
        google_url=google_calendar_url(schedule=schedule, session=session),
        outlook_office_url=outlook_calendar_url(
            schedule=schedule, session=session, base_url=OUTLOOK_OFFICE_URL
        ),
        outlook_live_url=outlook_calendar_url(
            schedule=schedule, session=session, base_url=OUTLOOK_LIVE_URL
        ),
    )
