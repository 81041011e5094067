"""Listings run a fixed number of queries, however much there is to list.

Each test renders once to warm up (image renditions are made on first view), then counts the
queries of a second view, at two sizes of data: the count must be the same at both.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail import VERSION as WAGTAIL_VERSION

from tests.factories import EventFacilitatorFactory, FacilitatorPageFactory

# Wagtail's own serving of a page (site, route, view restrictions) is part of each count.
# The course page counts its live availability from the bookings in one query.
COURSE_PAGE_QUERIES = 13
EVENT_INDEX_QUERIES = 13
FACILITATOR_PAGE_QUERIES = 11
FACILITATOR_INDEX_QUERIES = 8
# Wagtail 7.0's database search backend reads its SQLite index in two queries, Wagtail 8's in one.
FILTERED_EVENT_INDEX_QUERIES = 11 if WAGTAIL_VERSION >= (8, 0) else 12


@pytest.mark.parametrize(("sessions", "facilitators"), [(3, 1), (30, 6)])
def test_course_page_queries_do_not_grow(
    client, make_course, django_assert_num_queries, sessions, facilitators
):
    course = make_course(sessions=sessions, facilitators=facilitators)
    client.get(course.url)

    with django_assert_num_queries(COURSE_PAGE_QUERIES):
        response = client.get(course.url)

    assert response.content.count(b'class="wc-schedule__item') == sessions
    assert response.content.count(b'class="wc-person"') == facilitators


@pytest.mark.parametrize("courses", [5, 60])
def test_event_index_queries_do_not_grow(
    client, make_course, event_index, django_assert_num_queries, courses
):
    now = timezone.now()
    for number in range(courses):
        # A third of them finished, so both sections are filled and paginated.
        offset = timedelta(days=number + 1) * (-1 if number % 3 == 0 else 1)
        make_course(sessions=2, facilitators=0, first_start=now + offset * 10)
    client.get(event_index.url)

    with django_assert_num_queries(EVENT_INDEX_QUERIES):
        response = client.get(event_index.url)

    past = len(range(0, courses, 3))
    shown = min(courses - past, 10) + min(past, 10)
    assert response.content.count(b'class="wc-card"') == shown


@pytest.mark.parametrize("courses", [1, 12])
def test_facilitator_page_queries_do_not_grow(
    client, make_course, facilitator_index, django_assert_num_queries, courses
):
    person = FacilitatorPageFactory(parent=facilitator_index)
    for _ in range(courses):
        EventFacilitatorFactory(page=make_course(sessions=2, facilitators=0), facilitator=person)
    client.get(person.url)

    with django_assert_num_queries(FACILITATOR_PAGE_QUERIES):
        response = client.get(person.url)

    assert response.content.count(b'class="wc-card"') == courses


@pytest.mark.parametrize("people", [1, 12])
def test_facilitator_index_queries_do_not_grow(
    client, facilitator_index, django_assert_num_queries, people
):
    for _ in range(people):
        FacilitatorPageFactory(parent=facilitator_index)
    client.get(facilitator_index.url)

    with django_assert_num_queries(FACILITATOR_INDEX_QUERIES):
        response = client.get(facilitator_index.url)

    assert response.content.count(b'class="wc-person"') == people


@pytest.mark.parametrize("courses", [10, 200])
def test_filtered_event_index_queries_do_not_grow(
    client,
    make_course,
    event_index,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
    courses,
):
    now = timezone.now()
    # Wagtail may update its search index in a task run after commit.
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(courses):
            make_course(
                sessions=1,
                facilitators=0,
                first_start=now + timedelta(days=number + 1),
                delivery_mode="online" if number % 2 else "in_person",
                summary="Compassionate leadership",
            )
    month = (now + timedelta(days=5)).strftime("%Y-%m")
    url = f"{event_index.url}?q=compassionate&mode=online&month={month}&when=upcoming"
    client.get(url)

    with django_assert_num_queries(FILTERED_EVENT_INDEX_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    assert b'class="wc-card"' in response.content
