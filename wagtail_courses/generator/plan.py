"""Turn a course's repeating schedule into dated sessions, without touching the database.

Dates come from ``dateutil.rrule`` on plain calendar dates; each date is then given the
wall-clock times in the course's own zone, one date at a time, so a 15:00 session stays at
15:00 when the clocks change. Working on UTC instants instead would drift by an hour.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.rrule import WEEKLY, rrule
from django.utils.formats import time_format
from django.utils.translation import gettext_lazy as _

from wagtail_courses.formatting.schedule import long_day

#: The most sessions one schedule may add: a typo in a year ("2204") must not make thousands.
MAX_SESSIONS = 100


@dataclass(frozen=True)
class ExtraSession:
    """A one-off session outside the repeating pattern, such as a consolidation session."""

    date: date
    start_time: time
    end_time: time
    title: str = ""


@dataclass(frozen=True)
class Schedule:
    """What an editor asks for. Field names match the form's, so problems map onto fields."""

    first_date: date
    start_time: time
    end_time: time
    interval: int = 1
    weekday: int | None = None  # Monday is 0; None means the first date's weekday
    until: date | None = None
    count: int | None = None
    skip_dates: frozenset[date] = frozenset()
    extras: tuple[ExtraSession, ...] = ()


@dataclass(frozen=True)
class PlannedSession:
    start: datetime
    end: datetime
    title: str = ""  # blank: numbered "Session N" when it is created
    repeating: bool = True


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a schedule, tied to the field (and extra row) that caused it."""

    field: str  # a field of Schedule or ExtraSession; "" for the schedule as a whole
    message: str
    extra: int | None = None  # the index of the extra session, for its fields


class PlanError(ValueError):
    """Every problem found, so an editor can fix them all in one go rather than one a time."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(problem.message) for problem in problems))


def plan(schedule: Schedule, *, zone: ZoneInfo, limit: int = MAX_SESSIONS) -> list[PlannedSession]:
    """The sessions a schedule gives, in start order, or ``PlanError`` listing what is wrong."""
    problems = _check_input(schedule, limit)
    if problems:
        raise PlanError(problems)

    dates, problems = _repeating_dates(schedule, limit)
    sessions: list[PlannedSession] = []
    for day in dates:
        start, end = _aware(day, schedule.start_time, zone), _aware(day, schedule.end_time, zone)
        problems += _gap_problems(day, schedule, start, end, zone)
        if start and end:
            sessions.append(PlannedSession(start=start, end=end))

    starts = {session.start for session in sessions}
    for index, extra in enumerate(schedule.extras):
        start, end = (
            _aware(extra.date, extra.start_time, zone),
            _aware(extra.date, extra.end_time, zone),
        )
        problems += _gap_problems(extra.date, extra, start, end, zone, extra=index)
        if start in starts:
            problems.append(
                Problem(
                    "start_time",
                    _("Another session in this schedule starts at the same time."),
                    extra=index,
                )
            )
        elif start and end:
            starts.add(start)
            sessions.append(
                PlannedSession(start=start, end=end, title=extra.title.strip(), repeating=False)
            )

    if not problems and not sessions:
        problems.append(Problem("", _("This schedule gives no sessions.")))
    if len(sessions) > limit:
        problems.append(Problem("", _too_many(limit)))
    if problems:
        raise PlanError(problems)
    return sorted(sessions, key=lambda session: session.start)


def _check_input(schedule: Schedule, limit: int) -> list[Problem]:
    """The mistakes that need no dates worked out: found before any are."""
    problems = []
    if schedule.end_time <= schedule.start_time:
        problems.append(Problem("end_time", _("The end time must be after the start time.")))
    if schedule.until is not None and schedule.count is not None:
        problems.append(
            Problem("until", _("Give either an end date or a number of sessions, not both."))
        )
    elif schedule.until is None and schedule.count is None:
        problems.append(Problem("until", _("Give either an end date or a number of sessions.")))
    if schedule.until is not None and schedule.until < schedule.first_date:
        problems.append(Problem("until", _("The end date must not be before the first date.")))
    if schedule.count is not None and schedule.count < 1:
        problems.append(Problem("count", _("Give at least one session.")))
    if schedule.count is not None and schedule.count > limit:
        problems.append(Problem("count", _too_many(limit)))
    if schedule.interval < 1:
        problems.append(Problem("interval", _("Repeat every one week or more.")))
    if schedule.weekday is not None and schedule.weekday not in range(7):
        problems.append(Problem("weekday", _("Choose a day of the week.")))
    for index, extra in enumerate(schedule.extras):
        if extra.end_time <= extra.start_time:
            problems.append(
                Problem("end_time", _("The end time must be after the start time."), extra=index)
            )
    return problems


def _occurrences(schedule: Schedule) -> Iterator[date]:
    weekday = schedule.first_date.weekday() if schedule.weekday is None else schedule.weekday
    rule = rrule(
        WEEKLY,
        dtstart=datetime.combine(schedule.first_date, time()),
        interval=schedule.interval,
        byweekday=weekday,
        until=datetime.combine(schedule.until, time()) if schedule.until else None,
    )
    return (moment.date() for moment in rule)


def _repeating_dates(schedule: Schedule, limit: int) -> tuple[list[date], list[Problem]]:
    """The pattern's dates less the skipped ones, and any problem with the skipped dates."""
    skip = schedule.skip_dates
    if schedule.count is not None:
        # A number of sessions counts the sessions held: a skipped week moves the end on.
        seen, held = [], []
        for day in _occurrences(schedule):
            seen.append(day)
            if day not in skip:
                held.append(day)
            if len(held) == schedule.count:
                break
    else:
        # Never more than the limit (plus the skipped ones) are looked at, however far away
        # the end date is.
        seen = list(islice(_occurrences(schedule), limit + len(skip) + 1))
        held = [day for day in seen if day not in skip]
        if not seen:
            return [], [Problem("until", _("No session falls on or before this end date."))]
        if len(held) > limit:
            return [], [Problem("until", _too_many(limit))]

    problems = []
    first, last = seen[0], seen[-1]
    for day in sorted(skip):
        if not first <= day <= last:
            message = _(
                "%(date)s is outside the repeating sessions, which run from %(first)s to %(last)s."
            )
        elif day not in seen:
            message = _("%(date)s is not the date of one of the repeating sessions.")
        else:
            continue
        problems.append(
            Problem(
                "skip_dates",
                message % {"date": long_day(day), "first": long_day(first), "last": long_day(last)},
            )
        )
    return held, problems


def _aware(day: date, clock: time, zone: ZoneInfo) -> datetime | None:
    """The moment at this wall-clock time on this day in the zone; None if the clocks skip it.

    A time the clocks pass twice (when they go back) is taken at its first passing.
    """
    naive = datetime.combine(day, clock)
    moment = naive.replace(tzinfo=zone)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return None
    return moment


def _gap_problems(
    day: date,
    times: Schedule | ExtraSession,
    start: datetime | None,
    end: datetime | None,
    zone: ZoneInfo,
    *,
    extra: int | None = None,
) -> list[Problem]:
    problems = []
    for name, moment in (("start_time", start), ("end_time", end)):
        if moment is None:
            message = _(
                "%(time)s does not exist on %(date)s in %(zone)s: the clocks go forward then."
            ) % {
                "time": time_format(getattr(times, name), "H:i"),
                "date": long_day(day),
                "zone": zone.key,
            }
            problems.append(Problem(name, message, extra=extra))
    return problems


def _too_many(limit: int) -> str:
    return _("This gives more than %(limit)d sessions, the most that can be added at once.") % {
        "limit": limit
    }
