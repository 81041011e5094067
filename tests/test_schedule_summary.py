"""A course's schedule reads as one natural sentence, in the course's own time zone."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from wagtail_courses.formatting.schedule_summary import describe_schedule

LONDON = ZoneInfo("Europe/London")


@dataclass
class Session:
    start: datetime
    end: datetime
    title: str = "Session"
    is_cancelled: bool = False


def session(day: date, start=time(15), end=time(17), **kwargs) -> Session:
    return Session(
        datetime.combine(day, start, tzinfo=LONDON),
        datetime.combine(day, end, tzinfo=LONDON),
        **kwargs,
    )


def weekly(first: date, offsets_in_weeks, **kwargs) -> list[Session]:
    return [
        session(first + timedelta(weeks=weeks), title=f"Session {number}", **kwargs)
        for number, weeks in enumerate(offsets_in_weeks, start=1)
    ]


SEED = weekly(date(2024, 5, 14), [0, 1, 3, 4, 6, 7]) + [
    session(date(2024, 9, 24), title="Consolidation session")
]


def test_the_reference_course_reads_as_its_editors_wrote_it():
    assert describe_schedule(SEED, LONDON) == (
        "6 weekly sessions on Tuesdays, 15:00 to 17:00, from 14 May to 2 July 2024 "
        "(no sessions on 28 May and 18 June), plus a consolidation session on 24 September 2024"
    )


def test_order_of_the_sessions_given_does_not_matter():
    assert describe_schedule(list(reversed(SEED)), LONDON) == describe_schedule(SEED, LONDON)


def test_times_stay_local_across_the_end_of_summer_time():
    # 15:00 London time on 22 October (BST) and 5 November (GMT): both read 15:00.
    sessions = weekly(date(2024, 10, 22), [0, 1, 2])
    assert describe_schedule(sessions, LONDON) == (
        "3 weekly sessions on Tuesdays, 15:00 to 17:00, from 22 October to 5 November 2024"
    )


def test_cancelled_sessions_are_named_not_dropped():
    sessions = weekly(date(2024, 5, 14), [0, 1, 2])
    sessions[1].is_cancelled = True
    sessions.append(session(date(2024, 9, 24), title="Consolidation session", is_cancelled=True))
    assert describe_schedule(sessions, LONDON) == (
        "3 weekly sessions on Tuesdays, 15:00 to 17:00, from 14 May to 28 May 2024 "
        "(the session on 21 May is cancelled), "
        "plus a consolidation session on 24 September 2024 (cancelled)"
    )


@pytest.mark.parametrize(
    ("offsets", "kind"),
    [
        ([0, 2, 4], "3 fortnightly sessions on Thursdays"),
        ([0, 3, 6], "3 sessions every 3 weeks on Thursdays"),
    ],
)
def test_runs_more_than_a_week_apart(offsets, kind):
    assert describe_schedule(weekly(date(2024, 1, 4), offsets), LONDON).startswith(kind + ", ")


def test_run_across_new_year_names_both_years():
    summary = describe_schedule(weekly(date(2024, 12, 17), [0, 1, 3]), LONDON)
    assert summary == (
        "3 weekly sessions on Tuesdays, 15:00 to 17:00, from 17 December 2024 to 7 January "
        "2025 (no sessions on 31 December 2024)"
    )


def test_an_extra_session_at_other_times_says_its_times():
    sessions = weekly(date(2024, 5, 14), [0, 1]) + [
        session(date(2024, 9, 24), start=time(10), end=time(12, 30), title="Session 3")
    ]
    assert describe_schedule(sessions, LONDON).endswith(
        ", plus a session on 24 September 2024, 10:00 to 12:30"
    )


def test_one_session():
    assert describe_schedule([session(date(2024, 5, 14))], LONDON) == (
        "One session on Tuesday 14 May 2024, 15:00 to 17:00"
    )


def test_irregular_schedule_is_listed():
    sessions = [
        session(date(2024, 5, 14)),
        session(date(2024, 5, 16), start=time(10), end=time(12)),
        session(date(2024, 5, 20), is_cancelled=True),
    ]
    assert describe_schedule(sessions, LONDON) == (
        "3 sessions: Tuesday 14 May 2024, 15:00 to 17:00; Thursday 16 May 2024, 10:00 to 12:00; "
        "Monday 20 May 2024, 15:00 to 17:00 (cancelled)"
    )


def test_long_irregular_schedule_gives_its_range():
    sessions = [session(date(2024, 5, day)) for day in (1, 2, 6, 9, 20)]
    assert describe_schedule(sessions, LONDON) == "5 sessions from 1 May to 20 May 2024"


def test_no_sessions_reads_as_nothing():
    assert describe_schedule([], LONDON) == ""
