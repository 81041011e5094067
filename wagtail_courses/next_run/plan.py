"""Move a course's sessions to a new run, without touching the database.

Every session moves by the same whole number of days, on the calendar of the course's own
zone, keeping its wall-clock times: a run copied from May to November keeps 15:00 at 15:00
although the clocks went back in between. Moving UTC instants instead would drift by an hour.
A whole number of weeks keeps every weekday, every gap and the consolidation session's
distance from the others.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from wagtail_courses.formatting.schedule import long_day

NO_SESSIONS = _("This course has no sessions to move: use Wagtail's “Copy” instead.")


@dataclass(frozen=True)
class OldSession:
    """A session of the run being copied, as much of it as the plan needs."""

    pk: int
    title: str
    start: datetime
    end: datetime
    cancelled: bool = False


@dataclass(frozen=True)
class MovedSession:
    source: OldSession
    start: datetime
    end: datetime

    @property
    def title(self) -> str:
        return self.source.title


@dataclass(frozen=True)
class NewRun:
    """What "Copy for a new run" will create: shown in the preview, then created as shown."""

    title: str
    days: int
    sessions: tuple[MovedSession, ...]
    booking_opens_at: datetime | None
    booking_closes_at: datetime | None


class MoveError(ValueError):
    """A run that cannot be moved to this date; the message says why and what to do."""


def first_local_date(sessions: Sequence[OldSession], zone: ZoneInfo) -> date:
    """The date of the run's first session by start, cancelled or not, in the course's zone.

    A cancelled session is carried to the new run as scheduled (the pattern is the course's,
    not the old run's mishap), so the first one counts even if it was cancelled.
    """
    return min(session.start for session in sessions).astimezone(zone).date()


def moved(moment: datetime, days: int, zone: ZoneInfo) -> datetime:
    """The same wall-clock time ``days`` later in the zone (the first passing, if twice)."""
    local = moment.astimezone(zone).replace(tzinfo=None, fold=0)
    return (local + timedelta(days=days)).replace(tzinfo=zone)


def exists(moment: datetime) -> bool:
    """Whether the clocks show this wall-clock time at all (not skipped when they go forward)."""
    wall_clock = moment.replace(tzinfo=None)
    return moment.astimezone(UTC).astimezone(moment.tzinfo).replace(tzinfo=None) == wall_clock


def plan_new_run(
    *,
    title: str,
    sessions: Sequence[OldSession],
    first_date: date,
    zone: ZoneInfo,
    booking_opens_at: datetime | None = None,
    booking_closes_at: datetime | None = None,
) -> NewRun:
    """The new run whose first session falls on ``first_date``, or ``MoveError``."""
    if not sessions:
        raise MoveError(NO_SESSIONS)
    old_first = first_local_date(sessions, zone)
    check_weekday(old_first, first_date)
    days = (first_date - old_first).days
    return NewRun(
        title=title,
        days=days,
        sessions=tuple(
            move_session(session, days, zone)
            for session in sorted(sessions, key=lambda session: (session.start, session.pk))
        ),
        # Moved with the sessions, so applications open and close as long before them.
        booking_opens_at=booking_opens_at and moved(booking_opens_at, days, zone),
        booking_closes_at=booking_closes_at and moved(booking_closes_at, days, zone),
    )


def check_weekday(old_first: date, first_date: date) -> None:
    """The new first date must be the old one's weekday: the issue asks for weekdays kept,
    and another weekday says the editor picked the wrong day, not that the pattern changes."""
    if first_date.weekday() == old_first.weekday():
        return
    raise MoveError(
        _(
            "%(new)s is a %(new_weekday)s, and the first session was on a %(weekday)s "
            "(%(old)s): choose a %(weekday)s."
        )
        % {
            "new": date_format(first_date, "j F Y"),
            "new_weekday": date_format(first_date, "l"),
            "weekday": date_format(old_first, "l"),
            "old": long_day(old_first),
        }
    )


def move_session(session: OldSession, days: int, zone: ZoneInfo) -> MovedSession:
    start, end = moved(session.start, days, zone), moved(session.end, days, zone)
    for moment in (start, end):
        if not exists(moment):
            raise MoveError(
                _(
                    "“%(title)s” would be at %(time)s on %(date)s, which does not exist in "
                    "%(zone)s (the clocks go forward then): choose another date."
                )
                % {
                    "title": session.title,
                    "time": moment.strftime("%H:%M"),
                    "date": long_day(moment.date()),
                    "zone": zone.key,
                }
            )
    return MovedSession(source=session, start=start, end=end)
