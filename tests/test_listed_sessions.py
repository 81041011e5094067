"""Listings show each course's own sessions, wherever in the page tree the course is.

The course cards (All events, a facilitator's page) and the index's calendar feed fetch the
sessions of all their courses in one query (``models.queries.live_sessions_by_course``).
"""

from datetime import UTC, datetime, timedelta

import pytest
from wagtail.models import Page

from tests.factories import (
    EventFacilitatorFactory,
    EventIndexPageFactory,
    FacilitatorPageFactory,
    SessionPageFactory,
)
from tests.support.html import parse
from wagtail_courses.formatting.schedule_summary import describe_schedule
from wagtail_courses.models.queries import live_sessions_by_course

FIRST_START = datetime(2031, 3, 4, 14, tzinfo=UTC)


@pytest.fixture
def regional_index(home):
    """An "All events" page a level further down the tree than the site's own."""
    region = home.add_child(instance=Page(title="Wales", slug="wales"))
    return EventIndexPageFactory(parent=region, title="Events in Wales", slug="events")


def test_a_facilitators_courses_in_two_indexes_each_show_their_dates(
    client, make_course, facilitator_index, regional_index
):
    person = FacilitatorPageFactory(parent=facilitator_index)
    here = make_course(title="Here", sessions=2, facilitators=0, first_start=FIRST_START)
    there = make_course(
        title="There",
        sessions=3,
        facilitators=0,
        parent=regional_index,
        first_start=FIRST_START + timedelta(days=1),
    )
    for course in (here, there):
        EventFacilitatorFactory(page=course, facilitator=person)

    soup = parse(client.get(person.url))

    dates = {
        card.select_one(".wc-card__title").get_text(strip=True): card.select_one(
            ".wc-card__dates"
        ).get_text(strip=True)
        for card in soup.select(".wc-card")
    }
    assert dates == {
        course.title: describe_schedule(list(course.sessions()), course.tzinfo)
        for course in (here, there)
    }


def test_each_course_gets_its_live_sessions_by_start_and_no_others(make_course):
    course = make_course(sessions=0, facilitators=0)
    other = make_course(sessions=1, facilitators=0)
    late = SessionPageFactory(parent=course, title="Late", start=FIRST_START + timedelta(days=7))
    early = SessionPageFactory(parent=course, title="Early", start=FIRST_START)
    SessionPageFactory(parent=course, title="Draft", live=False)

    sessions = live_sessions_by_course([course])

    assert sessions == {course.path: [early, late]}
    assert other.path not in sessions


def test_no_courses_need_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert live_sessions_by_course([]) == {}


def test_a_regional_index_feed_has_its_courses_sessions(client, make_course, regional_index):
    make_course(sessions=2, facilitators=0)  # on the site's own index, not this one
    make_course(title="There", sessions=3, facilitators=0, parent=regional_index)

    feed = client.get(regional_index.calendar_url).content.decode()

    assert feed.count("BEGIN:VEVENT") == 3
    assert feed.count("SUMMARY:There: Session") == 3
