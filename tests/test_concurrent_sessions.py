"""Adding sessions takes the course's lock, the one its places are taken under.

Real transactions, as in tests/test_busy_course.py: one thread holds the course's lock (as an
application being placed would), and editors press "Create sessions" meanwhile. They wait for
it, and the sessions are then made once, not once per editor; one that can't get it in time
is told to try again, and nothing is made. Runs on SQLite and on PostgreSQL
(``WAGTAIL_COURSES_TEST_DB=postgres``), where the lock is the course row's.
"""

import threading
import time
from datetime import date
from datetime import time as clock

import pytest
from django.db import connection
from django.urls import reverse

from tests.support.html import parse, text
from wagtail_courses.generator.plan import Schedule, plan
from wagtail_courses.generator.service import create_sessions
from wagtail_courses.models import SessionPage
from wagtail_courses.services.course_lock import course_locked

pytestmark = pytest.mark.django_db(transaction=True)  # committed: other connections see it

WEEKS = 6


@pytest.fixture
def course(make_course):
    return make_course(sessions=0, facilitators=0, time_zone="Europe/London")


@pytest.fixture
def held(course):
    """The course's lock, held by another connection until ``release`` is set."""
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with course_locked(course):
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(timeout=10)
    yield release
    release.set()
    holder.join(timeout=30)


def weekly(course):
    schedule = Schedule(
        first_date=date(2031, 5, 6), start_time=clock(15), end_time=clock(17), count=WEEKS
    )
    return plan(schedule, zone=course.tzinfo)


def test_two_editors_wait_for_the_lock_and_the_sessions_are_made_once(admin_user, course, held):
    # (admin_user first: it is made before the lock is held, which on SQLite holds every write.)
    planned, outcomes = weekly(course), []

    def press_create():
        try:
            outcomes.append(
                create_sessions(course=course, planned=planned, user=admin_user, publish=True)
            )
        finally:
            connection.close()

    editors = [threading.Thread(target=press_create) for _ in range(2)]
    for editor in editors:
        editor.start()
    time.sleep(0.5)
    assert outcomes == []  # both are waiting for the lock
    held.set()
    for editor in editors:
        editor.join(timeout=30)

    # The first made them all; the second, let in after, found them made.
    assert sorted((len(o.created), len(o.skipped)) for o in outcomes) == [(0, WEEKS), (WEEKS, 0)]
    assert SessionPage.objects.child_of(course).count() == WEEKS


def test_an_editor_who_cannot_get_the_lock_in_time_is_asked_to_try_again(
    admin_client, course, held
):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET lock_timeout = '200ms'")
        else:
            cursor.execute("PRAGMA busy_timeout = 200")

    response = admin_client.post(
        reverse("wagtail_courses_add_sessions", args=(course.pk,)),
        {
            "first_date": "2031-05-06",
            "start_time": "15:00",
            "end_time": "17:00",
            "interval": "1",
            "count": str(WEEKS),
            "state": "publish",
            "action": "create",
            "extra-TOTAL_FORMS": "0",
            "extra-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 503
    assert "so no sessions were created" in text(parse(response))
    assert not SessionPage.objects.child_of(course).exists()
