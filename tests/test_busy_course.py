"""A course whose lock another request holds too long: the applicant is told to try again.

Real transactions: one thread holds the course's lock (as a slow request would) while a second
applies with a short lock timeout (PostgreSQL's ``lock_timeout``; SQLite's busy timeout). The
applicant gets the "busy" message and their answers back, never an error page, and nothing is
written.
"""

import threading

import pytest
from django.db import connection

from tests.support.applying import application_data
from tests.support.html import parse, text
from wagtail_courses.models import Booking, CourseSiteSettings
from wagtail_courses.services import places

pytestmark = pytest.mark.django_db(transaction=True)


def wait_no_longer_than_200ms() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET lock_timeout = '200ms'")
        else:
            cursor.execute("PRAGMA busy_timeout = 200")


@pytest.fixture
def course_held_by_another_request(make_course):
    course = make_course(sessions=1, facilitators=0, capacity=5)
    CourseSiteSettings.for_site(course.get_site())  # a live site has its settings row already
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with places.course_locked(course):
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(timeout=10)
    yield course
    release.set()
    holder.join(timeout=30)


def test_an_application_that_cannot_get_the_lock_is_asked_to_try_again(
    client, course_held_by_another_request
):
    wait_no_longer_than_200ms()

    response = client.post(course_held_by_another_request.url, application_data())

    assert response.status_code == 503
    assert "Please send it again in a moment." in text(parse(response))
    assert parse(response).select_one("#id_wc_name")["value"] == "Ada Lovelace"
    assert not Booking.objects.exists()
