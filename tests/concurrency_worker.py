"""Applications sent from a process of their own, for tests/test_concurrent_places.py.

Run as ``python -m tests.concurrency_worker '<job as JSON>'`` from the repository's root, with
``DJANGO_SETTINGS_MODULE=tests.settings``, the test run's ``WAGTAIL_COURSES_TEST_DB``, and
``WAGTAIL_COURSES_WORKER_DB_NAME`` set to the test database's real name (the SQLite file's path
or the PostgreSQL database), since the settings alone name the development database. The job::

    {"course": "/events/course-1/", "pause": 0.2, "unlocked": false,
     "applicants": [["ada@trust.nhs.uk", "staff_free", "10.0.0.1"], ...]}

The worker starts Django, loads the course page once (so the first application is not slowed
by a cold start), writes ``ready`` and waits for a line on stdin: the test starts every worker,
waits for all of them to be ready, then lets them all go at once. Each applicant is then sent
through ``django.test.Client``, one after another, and the worker writes one line of JSON, the
outcome for each email (see ``apply``).

The helpers here are shared with the threaded tests, which import them once Django is set up.
"""

import contextlib
import json
import os
import sys
import time
import traceback

PLACED = "placed"  # redirected to the "application received" page: a booking was made
NO_PLACE = "no place"  # 400, asked to choose again: no place of that kind was left
BUSY = "busy"  # 503: the database stayed locked (SQLite)

DB_NAME_VARIABLE = "WAGTAIL_COURSES_WORKER_DB_NAME"


def pausing_after_counting(pause):
    """``places.availability`` that, called by ``place_application``, runs ``pause()`` after
    counting: a race window between counting the places and writing the booking."""
    from wagtail_courses.services import places

    count = places.availability

    def availability(course, **kwargs):
        counted = count(course, **kwargs)
        # Only there: the view counts too, to draw the form, outside any lock.
        if sys._getframe(1).f_code.co_name == "place_application":
            pause()
        return counted

    return availability


def without_lock(course):
    """``places.course_locked`` with neither transaction nor lock: what the tests must catch."""
    return contextlib.nullcontext()


def no_place_messages() -> list[str]:
    from wagtail_courses.exceptions import FULLY_BOOKED, PAID_PLACES_GONE, STAFF_PLACES_GONE

    return [str(message) for message in (STAFF_PLACES_GONE, PAID_PLACES_GONE, FULLY_BOOKED)]


def apply(client, course_path: str, email: str, place: str) -> str:
    """Send one application; PLACED, NO_PLACE or BUSY, or else what went wrong."""
    from tests.support.applying import application_data

    data = application_data(wc_name=email.split("@")[0], wc_email=email, wc_place=place)
    try:
        response = client.post(course_path, data)
    except Exception as error:  # a 500: the client re-raises the view's exception
        traceback.print_exc()
        return f"raised {type(error).__name__}: {error}"
    if response.status_code == 302:
        return PLACED
    if response.status_code == 503:
        return BUSY
    page = response.content.decode()
    if response.status_code == 400 and any(text in page for text in no_place_messages()):
        return NO_PLACE
    return f"HTTP {response.status_code}"


def start_django() -> None:
    from django.conf import settings

    # The test database, not the one the settings name; before anything connects.
    settings.DATABASES["default"]["NAME"] = os.environ[DB_NAME_VARIABLE]
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # as in the test run: emails kept in memory, "testserver" allowed


def main(job: dict) -> dict[str, str]:
    start_django()
    from django.test import Client

    from wagtail_courses.services import places

    if job.get("unlocked"):
        places.course_locked = without_lock
    if job.get("pause"):
        places.availability = pausing_after_counting(lambda: time.sleep(job["pause"]))

    warm_up = Client().get(job["course"])
    if warm_up.status_code != 200:
        raise SystemExit(f"GET {job['course']} answered {warm_up.status_code}")
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    sys.stdin.readline()  # everyone is ready: go

    return {
        email: apply(Client(REMOTE_ADDR=address), job["course"], email, place)
        for email, place, address in job["applicants"]
    }


if __name__ == "__main__":
    outcomes = main(json.loads(sys.argv[1]))
    sys.stdout.write(json.dumps(outcomes) + "\n")
