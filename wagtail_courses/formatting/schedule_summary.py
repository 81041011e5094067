"""A course's schedule in one sentence, as an editor would write it.

"6 weekly sessions on Tuesdays, 15:00 to 17:00, from 14 May to 2 July 2024 (no sessions on
28 May and 18 June), plus a consolidation session on 24 September 2024".

A run of sessions on one weekday, at one time, a whole number of weeks apart, is summarised as a
run; sessions after it are named one by one ("plus …"). Anything less regular is listed. All
dates and times are read in the course's time zone, so daylight saving never shifts them.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# Beyond this many, an irregular schedule is summarised by its range rather than listed.
MAX_LISTED = 4

WEEKDAYS_PLURAL = [
    gettext_lazy("Mondays"),
    gettext_lazy("Tuesdays"),
    gettext_lazy("Wednesdays"),
    gettext_lazy("Thursdays"),
    gettext_lazy("Fridays"),
    gettext_lazy("Saturdays"),
    gettext_lazy("Sundays"),
]
DEFAULT_TITLE = re.compile(r"^Session \d+$")


@dataclass(frozen=True)
class LocalSession:
    start: datetime
    end: datetime
    title: str
    cancelled: bool

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def times(self) -> tuple[time, time]:
        return self.start.time(), self.end.time()


def describe_schedule(sessions, zone: tzinfo) -> str:
    """The sentence for these sessions (``SessionPage``s or alike), or "" when there are none."""
    local = sorted(
        (
            LocalSession(
                start=timezone.localtime(session.start, zone),
                end=timezone.localtime(session.end, zone),
                title=session.title,
                cancelled=session.is_cancelled,
            )
            for session in sessions
        ),
        key=lambda session: session.start,
    )
    if not local:
        return ""
    if len(local) == 1:
        return _one_session(local[0])
    run_length, weeks = _regular_run(local)
    if run_length >= 2:
        return _run_with_extras(local[:run_length], weeks, local[run_length:])
    return _listed(local)


def _regular_run(sessions: list[LocalSession]) -> tuple[int, int]:
    """How many leading sessions form a regular run, and how many weeks apart they are.

    The step is the first gap; a later gap may be several steps (a skipped week), never less.
    """
    first, second = sessions[0], sessions[1]
    gap_days = (second.day - first.day).days
    if gap_days <= 0 or gap_days % 7 or second.times != first.times:
        return 1, 0
    step = gap_days
    length = 2
    for previous, current in zip(sessions[1:], sessions[2:], strict=False):
        gap = (current.day - previous.day).days
        # A gap of more than four steps reads as a separate, later session (a follow-up).
        if current.times != first.times or gap % step or gap > 4 * step:
            break
        length += 1
    return length, step // 7


def _run_with_extras(run: list[LocalSession], weeks: int, extras: list[LocalSession]) -> str:
    first, last = run[0], run[-1]
    step = timedelta(weeks=weeks)
    held = {session.day for session in run}
    skipped = []
    day = first.day
    while day < last.day:
        day += step
        if day not in held:
            skipped.append(day)

    sentence = _("%(count)s, %(times)s, %(dates)s") % {
        "count": _run_kind(len(run), weeks, first.day.weekday()),
        "times": _times(first),
        "dates": _date_range(first.day, last.day),
    }
    spans_years = first.day.year != last.day.year
    notes = []
    if skipped:
        notes.append(
            _("no sessions on %(dates)s") % {"dates": _day_list(skipped, with_year=spans_years)}
        )
    cancelled = [session.day for session in run if session.cancelled]
    if cancelled:
        notes.append(
            ngettext(
                "the session on %(dates)s is cancelled",
                "the sessions on %(dates)s are cancelled",
                len(cancelled),
            )
            % {"dates": _day_list(cancelled, with_year=spans_years)}
        )
    if notes:
        sentence += " (" + "; ".join(notes) + ")"
    for extra in extras:
        sentence += _extra(extra, same_times=extra.times == first.times)
    return sentence


def _run_kind(count: int, weeks: int, weekday: int) -> str:
    values = {"count": count, "weekdays": WEEKDAYS_PLURAL[weekday], "weeks": weeks}
    if weeks == 1:
        return (
            ngettext(
                "%(count)d weekly session on %(weekdays)s",
                "%(count)d weekly sessions on %(weekdays)s",
                count,
            )
            % values
        )
    if weeks == 2:
        return (
            ngettext(
                "%(count)d fortnightly session on %(weekdays)s",
                "%(count)d fortnightly sessions on %(weekdays)s",
                count,
            )
            % values
        )
    return (
        ngettext(
            "%(count)d session every %(weeks)d weeks on %(weekdays)s",
            "%(count)d sessions every %(weeks)d weeks on %(weekdays)s",
            count,
        )
        % values
    )


def _extra(session: LocalSession, *, same_times: bool) -> str:
    # "Consolidation session" reads as "a consolidation session"; "Session 7" as "a session".
    name = _("session") if DEFAULT_TITLE.match(session.title) else session.title
    name = name[:1].lower() + name[1:]
    values = {"name": name, "date": _day(session.day), "times": _times(session)}
    if session.cancelled:
        return _(", plus a %(name)s on %(date)s (cancelled)") % values
    if same_times:
        return _(", plus a %(name)s on %(date)s") % values
    return _(", plus a %(name)s on %(date)s, %(times)s") % values


def _one_session(session: LocalSession) -> str:
    values = {"date": format_date(session.start, "l j F Y"), "times": _times(session)}
    if session.cancelled:
        return _("One session on %(date)s, %(times)s (cancelled)") % values
    return _("One session on %(date)s, %(times)s") % values


def _listed(sessions: list[LocalSession]) -> str:
    count = len(sessions)
    if count > MAX_LISTED:
        return ngettext("%(count)d session %(dates)s", "%(count)d sessions %(dates)s", count) % {
            "count": count,
            "dates": _date_range(sessions[0].day, sessions[-1].day),
        }
    items = []
    for session in sessions:
        item = _("%(date)s, %(times)s") % {
            "date": format_date(session.start, "l j F Y"),
            "times": _times(session),
        }
        if session.cancelled:
            item = _("%(session)s (cancelled)") % {"session": item}
        items.append(item)
    return ngettext("%(count)d session: %(list)s", "%(count)d sessions: %(list)s", count) % {
        "count": count,
        "list": "; ".join(items),
    }


def _times(session: LocalSession) -> str:
    return _("%(start)s to %(end)s") % {
        "start": format_date(session.start, "H:i"),
        "end": format_date(session.end, "H:i"),
    }


def _day(day: date) -> str:
    return format_date(day, "j F Y")


def _day_list(days: list[date], *, with_year: bool) -> str:
    return str(
        get_text_list([format_date(day, "j F Y" if with_year else "j F") for day in days], _("and"))
    )


def _date_range(first: date, last: date) -> str:
    if first.year == last.year:
        return _("from %(first)s to %(last)s") % {
            "first": format_date(first, "j F"),
            "last": format_date(last, "j F Y"),
        }
    return _("from %(first)s to %(last)s") % {
        "first": format_date(first, "j F Y"),
        "last": format_date(last, "j F Y"),
    }
