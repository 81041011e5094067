"""Listings run a fixed number of queries, however much there is to list.

Each test renders once to warm up (image renditions are made on first view), then counts the
queries of a second view, at two sizes of data: the count must be the same at both.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import BookingFactory, EventFacilitatorFactory, FacilitatorPageFactory

# Wagtail's own serving of a page (site, route, view restrictions) is part of each count.
# The course page counts its live availability from the bookings in one query; its questions
# and the site's course settings come from the shared cache.
COURSE_PAGE_QUERIES = 11
EVENT_INDEX_QUERIES = 13
FACILITATOR_PAGE_QUERIES = 11
FACILITATOR_INDEX_QUERIES = 8
# The filter's search reads Wagtail's database search index in one query.
FILTERED_EVENT_INDEX_QUERIES = 11


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


# A booking POST, as production makes it: Wagtail's serving of the page (7 queries here; 8 on a
# site whose home page has a type of its own, as the demo's), the course's first session (is
# it open?), then in the transaction the course's lock, the count, and the booking, its
# history and its outbox row; after the commit, the task's row (django-tasks' database
# backend). The questions and the site's settings come from the shared cache, an earlier
# application is looked for only when the database refuses a second one, and no email is
# rendered or sent in the request. Django also logs the transaction's BEGIN and COMMIT (or
# ROLLBACK) as statements: they are counted on top.
BOOKING_POST_QUERIES = 14
TRANSACTION_STATEMENTS = 2
# The same form again, when the kind of place chosen has gone: only the form is drawn.
CHOOSE_AGAIN_QUERIES = 12


def sqlite_difference() -> int:
    """SQLite has no row lock to take: its BEGIN IMMEDIATE took the database's write lock."""
    from django.db import connection

    return -1 if connection.vendor == "sqlite" else 0


def rush_course(make_course, *, bookings: int, sessions: int, questions: int):
    from tests.support.applying import add_questions
    from wagtail_courses.models import CourseFormField

    course = make_course(
        sessions=sessions, facilitators=3, capacity=40, staff_free_places=12, requires_approval=True
    )
    add_questions(course)
    for n in range(questions - 2):
        CourseFormField.objects.create(
            page=course, sort_order=10 + n, label=f"Question {n}", field_type="singleline"
        )
    for n in range(bookings):
        BookingFactory(page=course, awaiting_email=True, staff=n < 12)
    return course


@pytest.mark.django_db(transaction=True)  # committed, as in production: on-commit tasks run
@pytest.mark.parametrize(
    ("bookings", "sessions", "questions"), [(2, 3, 2), (39, 12, 10)], ids=["small", "large"]
)
def test_a_booking_post_makes_14_queries_however_busy_the_course(
    client,
    make_course,
    settings,
    django_assert_num_queries,
    bookings,
    sessions,
    questions,
):
    from tests.support.applying import application_data
    from wagtail_courses.models import Booking, OutboundEmail

    # The database task backend, as production: enqueueing the task writes its row.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    course = rush_course(make_course, bookings=bookings, sessions=sessions, questions=questions)
    client.get(course.url)  # the page once, as the applicant did before filling it in
    data = application_data(wc_email="new@example.org", wc_place="paid")
    data.update({f"question_{n}": "An answer" for n in range(questions - 2)})

    expected = BOOKING_POST_QUERIES + TRANSACTION_STATEMENTS + sqlite_difference()
    with django_assert_num_queries(expected):
        response = client.post(course.url, data)

    assert response.status_code == 302
    booking = Booking.objects.get(email="new@example.org")
    # Its email waits for the worker, unrendered: nothing was sent from the request.
    email = OutboundEmail.objects.get(booking=booking)
    assert (email.status, email.rendered_at, email.body_text) == ("pending", None, "")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("bookings", "sessions", "questions"), [(12, 3, 2), (40, 12, 10)], ids=["small", "large"]
)
def test_choosing_again_is_a_bounded_page(
    client, make_course, django_assert_num_queries, bookings, sessions, questions
):
    from tests.support.applying import application_data

    course = rush_course(make_course, bookings=bookings, sessions=sessions, questions=questions)
    client.get(course.url)
    data = application_data(wc_email="late@trust.nhs.uk", wc_place="staff_free")
    data.update({f"question_{n}": "An answer" for n in range(questions - 2)})
    course.staff_email_domains = "trust.nhs.uk"
    course.save_revision().publish()
    client.get(course.url)

    expected = CHOOSE_AGAIN_QUERIES + TRANSACTION_STATEMENTS + sqlite_difference()
    with django_assert_num_queries(expected):
        response = client.post(course.url, data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose your place again" in page
    assert "The staff free places have all been taken" in page
    assert "Ward manager" in page  # what they typed is kept
    assert page.count('class="wc-schedule__item') == 0  # not the whole course page again
