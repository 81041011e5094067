"""Reminding confirmed attendees of each session: found and queued by ``manage.py
send_session_reminders``, run from cron (every 15 minutes, say).

A course sets how far ahead (``EventPage.reminder_days_before``, ``reminder_hours_before``;
either may be blank). A reminder is due from its time before the session (its start less the
days or hours) until the session starts: a run that cron missed, or a course that switched
reminders on late, still reminds, but never once the session has begun.

One reminder at a time: when both are set and the nearer one's time has come too (a run that
missed the days reminder until the morning of the session), only the nearer is sent, and the
further one is then never sent (it would only say the same again). With the usual settings
(two days and a few hours) the nearer one is the hours one; a tie goes to the hours one.

Who is reminded: confirmed places (a confirmed place whose invoice is still outstanding is
confirmed, and reminded), not anonymised, on live courses; of a course's live sessions, only
those scheduled (not cancelled). Held, waitlisted, cancelled, declined and expired bookings
are not.

Never twice: each reminder sent is a ``SentReminder`` row, unique per booking, session, kind
and the start it reminded of (a session moved to another day is reminded of again), written in
the same transaction as its outbox row. Two runs that overlap may both find a
reminder due; the database lets only one of them write it, and the other sends nothing.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail_courses.models import Booking, EventPage, OutboundEmail, SentReminder, SessionPage
from wagtail_courses.models.course_life import REMINDER_MAX_DAYS, REMINDER_MAX_HOURS
from wagtail_courses.services import outbox
from wagtail_courses.services.reminder_emails import KIND

Kind = SentReminder.Kind
# No reminder is set further ahead than this: sessions starting later are not read at all.
FURTHEST_AHEAD = max(timedelta(days=REMINDER_MAX_DAYS), timedelta(hours=REMINDER_MAX_HOURS))


@dataclass(frozen=True)
class DueReminder:
    booking: Booking
    session: SessionPage
    course: EventPage
    kind: str


def leads(course: EventPage) -> list[tuple[timedelta, str]]:
    """The course's reminders as (how long before the session, kind), nearest first."""
    found = []
    if course.reminder_hours_before:
        found.append((timedelta(hours=course.reminder_hours_before), Kind.HOURS))
    if course.reminder_days_before:
        found.append((timedelta(days=course.reminder_days_before), Kind.DAYS))
    # Stable: on a tie the hours reminder, listed first, stays first.
    return sorted(found, key=lambda lead: lead[0])


def due_kind(course: EventPage, start: datetime, now: datetime) -> str | None:
    """The one reminder due at ``now`` for a session starting at ``start``: the nearest whose
    time has come, until the session starts; ``None`` if none is."""
    if now >= start:
        return None
    for lead, kind in leads(course):
        if now >= start - lead:
            return kind
    return None


def due_reminders(*, now: datetime | None = None) -> list[DueReminder]:
    """Every reminder due at ``now`` and not yet sent, in four queries however many there are:
    the sessions coming up, their courses, the courses' confirmed places, the reminders sent."""
    now = now or timezone.now()
    sessions = list(
        SessionPage.objects.live()
        .filter(status=SessionPage.Status.SCHEDULED, start__gt=now)
        .filter(start__lte=now + FURTHEST_AHEAD)
        .order_by("start", "path")
    )
    if not sessions:
        return []
    courses = courses_by_path(parent_path(session) for session in sessions)
    places = confirmed_places([course.pk for course in courses.values()])
    sent = set(
        SentReminder.objects.filter(session__in=[session.pk for session in sessions]).values_list(
            "booking_id", "session_id", "kind", "session_start"
        )
    )
    return list(unsent(sessions, courses, places, sent, now))


def unsent(
    sessions: list[SessionPage],
    courses: dict[str, EventPage],
    places: dict[int, list[Booking]],
    sent: set[tuple[int, int, str, datetime]],
    now: datetime,
) -> Iterator[DueReminder]:
    """Each confirmed place of each session's course, for the reminder due, if not sent."""
    for session in sessions:
        course = courses.get(parent_path(session))
        kind = course and due_kind(course, session.start, now)
        if not kind:
            continue
        for booking in places.get(course.pk, ()):
            if (booking.pk, session.pk, kind, session.start) not in sent:
                yield DueReminder(booking=booking, session=session, course=course, kind=kind)


def parent_path(session: SessionPage) -> str:
    return session.path[: -SessionPage.steplen]


def courses_by_path(paths: Iterable[str]) -> dict[str, EventPage]:
    """The live courses at these paths that send any reminder, by path."""
    courses = EventPage.objects.live().filter(path__in=set(paths))
    courses = courses.exclude(reminder_days_before__isnull=True, reminder_hours_before__isnull=True)
    return {course.path: course for course in courses}


def confirmed_places(course_ids: list[int]) -> dict[int, list[Booking]]:
    """The courses' confirmed places (not anonymised), by course, in the order they came."""
    places = defaultdict(list)
    bookings = Booking.objects.attending().filter(page_id__in=course_ids)
    for booking in bookings.order_by("pk"):
        places[booking.page_id].append(booking)
    return places


def send_due(*, now: datetime | None = None) -> list[OutboundEmail]:
    """Queue every reminder due at ``now``; returns the emails queued (sent after commit)."""
    queued = (send(reminder) for reminder in due_reminders(now=now))
    return [email for email in queued if email is not None]


def send(reminder: DueReminder) -> OutboundEmail | None:
    """Record the reminder and queue its email in one transaction; ``None`` if another run
    recorded it first, or the place was given up since it was found (a long run's emails
    may take minutes to hand over)."""
    booking = reminder.booking
    try:
        with transaction.atomic():
            if not Booking.objects.attending().filter(pk=booking.pk).exists():
                return None
            SentReminder.objects.create(
                booking=booking,
                session=reminder.session,
                kind=reminder.kind,
                session_start=reminder.session.start,
            )
            email = outbox.queue(booking=booking, kind=KIND, session_id=reminder.session.pk)
            outbox.send_after_commit([email])
    except IntegrityError:
        return None
    return email
