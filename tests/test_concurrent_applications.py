"""Two applications from one address at the same moment: one booking, and no error page.

Real concurrent transactions, each thread on its own database connection, with the race
window forced open: every request is about to take its place before any has written, so only
the database's unique constraint stands between them and several bookings.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from tests.support.applying import application_data
from wagtail_courses.models import Booking
from wagtail_courses.services import applications

THREADS = 4


@pytest.fixture
def course(make_course, transactional_db):
    return make_course(sessions=1, facilitators=0)


def test_the_same_address_at_the_same_moment_gets_one_booking(course, monkeypatch):
    barrier = threading.Barrier(THREADS, timeout=10)
    place = applications.places.place_application

    def wait_then_place(**kwargs):
        barrier.wait()  # every request got this far before any writes
        return place(**kwargs)

    monkeypatch.setattr(applications.places, "place_application", wait_then_place)
    statuses = []

    def apply():
        try:
            statuses.append(Client().post(course.url, application_data()).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert Booking.objects.count() == 1
    assert sorted(statuses).count(302) == 1
    # The others are told they already applied (400), or, on SQLite, that it was busy (503).
    assert set(statuses) - {302} <= {400, 503}
