"""The staff bulletin: hundreds of staff apply at once, all from the trust's one network address.

Through the views, with real concurrent transactions (threads, and processes of their own), at
the app's default abuse settings: nobody is refused for the address they share, every applicant
gets a held place or a place in the queue, first come first served, and a hold nobody proves
passes its place on, in order of application.
"""

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.concurrency_worker import (
    BUSY,
    DB_NAME_VARIABLE,
    NO_PLACE,
    PLACED,
    pausing_after_counting,
)
from tests.settings import CACHE_VARIABLE, RATE_LIMIT_VARIABLE, REDIS_URL, redis_is_up
from tests.support.applying import application_data
from tests.support.bookings import booking_of
from wagtail_courses.models import Booking
from wagtail_courses.services import places
from wagtail_courses.services.applicant import waitlist_position

pytestmark = pytest.mark.django_db(transaction=True)  # committed: other connections see it

ROOT = Path(__file__).resolve().parent.parent
STAFF_DOMAIN = "trust.nhs.uk"
TRUST_NETWORK = "10.20.30.40"  # what the site sees of every member of staff
STAFF = 300
CAPACITY, STAFF_FREE_PLACES = 40, 12  # the reference course's
CLIENTS = 16  # requests in flight at once (each thread its own database connection)
Status = Booking.Status


def needs_redis():
    """Redis for the shared cache: skipped without it, unless WAGTAIL_COURSES_REDIS_TESTS is
    "required" (as in CI, which starts it), where its absence is a failure."""
    if redis_is_up():
        return
    message = "needs Redis on 127.0.0.1:6379 for the shared cache"
    if os.environ.get("WAGTAIL_COURSES_REDIS_TESTS") == "required":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def course(make_course):
    return make_course(
        sessions=1,
        facilitators=1,
        capacity=CAPACITY,
        staff_free_places=STAFF_FREE_PLACES,
        staff_email_domains=STAFF_DOMAIN,
        requires_approval=True,
    )


def staff_member(n: int) -> str:
    return f"staff.{n:03}@{STAFF_DOMAIN}"


def apply_as_staff(course, n: int) -> int:
    """One member of staff applies for a staff free place, happy to wait if none is left, and
    sends again if told the site is busy, as a person would. The last response's status."""
    data = application_data(
        wc_name=f"Staff {n}", wc_email=staff_member(n), wc_place="staff_free", wc_waitlist="on"
    )
    client = Client(REMOTE_ADDR=TRUST_NETWORK)
    try:
        for _attempt in range(5):
            response = client.post(course.url, data)
            if response.status_code != 503:
                return response.status_code
            time.sleep(0.1)
        return response.status_code
    finally:
        connection.close()


def test_300_staff_from_one_address_each_get_a_hold_or_a_queue_place_in_arrival_order(
    course, monkeypatch
):
    # A forced race window: each request pauses between counting the places and writing its
    # booking, with the course's lock held, so that the others pile up behind it.
    monkeypatch.setattr(places, "availability", pausing_after_counting(lambda: time.sleep(0.002)))

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(lambda n: apply_as_staff(course, n), range(STAFF)))

    # Nobody refused for the address they share, no error: each was taken (302).
    assert answers == [302] * STAFF
    bookings = list(Booking.objects.filter(page=course).order_by("submit_time", "pk"))
    assert sorted(booking.email for booking in bookings) == sorted(map(staff_member, range(STAFF)))
    # First come, first served: the first twelve to arrive hold the staff free places, for
    # them to prove their address; everyone after them waits, in the order they arrived.
    held, waiting = bookings[:STAFF_FREE_PLACES], bookings[STAFF_FREE_PLACES:]
    assert {booking.status for booking in held} == {Status.AWAITING_EMAIL_CONFIRMATION}
    assert {booking.status for booking in waiting} == {Status.WAITLISTED}
    assert [waitlist_position(booking) for booking in waiting] == list(range(1, len(waiting) + 1))
    assert all(booking.hold_expires_at for booking in bookings)


def test_a_hold_nobody_proves_passes_its_place_on_in_order_of_application(course, client, prove):
    def apply(n):
        assert apply_as_staff(course, n) == 302
        return booking_of(staff_member(n))

    invented = [apply(n) for n in range(STAFF_FREE_PLACES)]  # addresses nobody reads
    first_waiting, second_waiting, third_waiting = (apply(n) for n in (100, 101, 102))
    prove(first_waiting)
    prove(third_waiting)
    # The proof window passes for the invented addresses' holds; the people waiting applied
    # later, and the two who proved their address wait on.
    Booking.objects.filter(pk__in=[booking.pk for booking in invented]).update(
        hold_expires_at=timezone.now() - timedelta(seconds=1)
    )
    Booking.objects.filter(pk=second_waiting.pk).update(
        hold_expires_at=timezone.now() + timedelta(minutes=30)
    )

    call_command("release_expired_holds", stdout=open(os.devnull, "w"))

    assert {
        booking.status for booking in Booking.objects.filter(pk__in=[b.pk for b in invented])
    } == {Status.EXPIRED}
    # The freed places went to those waiting, in the order they applied: a proven address
    # goes straight on to the facilitators; an unproven one is held for its proof.
    for booking in (first_waiting, second_waiting, third_waiting):
        booking.refresh_from_db()
    assert first_waiting.status == Status.AWAITING_APPROVAL
    assert second_waiting.status == Status.AWAITING_EMAIL_CONFIRMATION
    assert third_waiting.status == Status.AWAITING_APPROVAL


def test_an_unproven_place_in_the_queue_lapses_with_the_window(course):
    for n in range(STAFF_FREE_PLACES + 1):
        assert apply_as_staff(course, n) == 302
    waiting = Booking.objects.get(status=Status.WAITLISTED)
    Booking.objects.filter(page=course).update(
        hold_expires_at=timezone.now() - timedelta(seconds=1)
    )

    places.release_all_lapsed_holds()

    assert set(Booking.objects.values_list("status", flat=True)) == {Status.EXPIRED}
    waiting.refresh_from_db()
    assert waiting.status == Status.EXPIRED  # not offered a place nobody can prove


def test_staff_from_one_address_in_separate_processes_are_never_refused_for_it(course):
    """Four server processes, one trust network: any count per address is shared, and
    limits only unproven applications, so the staff are not turned away for their address."""
    processes, each = 4, 15
    jobs = [
        {
            "course": course.url,
            "pause": 0.01,
            "applicants": [
                [staff_member(p * each + n), "staff_free", TRUST_NETWORK] for n in range(each)
            ],
        }
        for p in range(processes)
    ]
    outcomes = run_workers(jobs)

    assert len(outcomes) == processes * each
    tally = {outcome: list(outcomes.values()).count(outcome) for outcome in set(outcomes.values())}
    busy = tally.get(BUSY, 0)
    assert set(tally) <= {PLACED, NO_PLACE, BUSY}, tally
    # Twelve held places; everyone else was asked to choose again (they didn't ask to wait).
    assert tally.get(PLACED) == STAFF_FREE_PLACES
    assert tally.get(NO_PLACE, 0) + busy == processes * each - STAFF_FREE_PLACES
    assert busy <= (1 if connection.vendor == "sqlite" else 0)


def test_the_count_per_address_is_one_count_across_processes(course):
    """With a shared cache (Redis), four server processes count one address together: the
    limit is the limit, however many processes serve the rush."""
    needs_redis()
    redis.Redis.from_url(REDIS_URL).flushdb()
    limit, processes, each = 20, 4, 10
    jobs = [
        {
            "course": course.url,
            "applicants": [
                [staff_member(p * each + n), "staff_waitlist", TRUST_NETWORK] for n in range(each)
            ],
        }
        for p in range(processes)
    ]
    outcomes = run_workers(jobs, cache="redis", rate_limit=limit)

    refused = [email for email, outcome in outcomes.items() if outcome == "HTTP 429"]
    taken = [email for email, outcome in outcomes.items() if outcome == PLACED]
    assert (len(taken), len(refused)) == (limit, processes * each - limit)
    assert Booking.objects.count() == limit


def run_workers(jobs, *, cache: str = "", rate_limit: int | None = None) -> dict[str, str]:
    """Each job in a process of its own (tests/concurrency_worker.py), all let go at once."""
    env = {
        **os.environ,
        CACHE_VARIABLE: cache,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "WAGTAIL_COURSES_TEST_DB": "postgres" if connection.vendor == "postgresql" else "sqlite",
        DB_NAME_VARIABLE: str(connection.settings_dict["NAME"]),
    }
    if rate_limit is not None:
        env[RATE_LIMIT_VARIABLE] = str(rate_limit)
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.concurrency_worker", json.dumps(job)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for job in jobs
    ]
    try:
        for worker in workers:
            assert worker.stdout.readline() == "ready\n", "a worker failed to start"
        for worker in workers:
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outcomes = {}
        for worker in workers:
            out, _ = worker.communicate(timeout=120)
            assert worker.returncode == 0, "a worker failed"
            outcomes.update(json.loads(out.splitlines()[-1]))
        return outcomes
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()


def test_past_its_limit_of_unproven_applications_an_address_is_told_why(course, settings):
    settings.WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = 3
    for n in range(3):
        assert apply_as_staff(course, n) == 302

    response = Client(REMOTE_ADDR=TRUST_NETWORK).post(
        course.url, application_data(wc_email=staff_member(9), wc_place="staff_free")
    )

    assert response.status_code == 429
    assert "from your connection" in response.content.decode()
    assert Booking.objects.count() == 3  # nothing written for the refused one


def test_a_proven_application_stops_counting_against_its_address(course, settings, prove):
    settings.WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = 2
    assert apply_as_staff(course, 1) == 302
    assert apply_as_staff(course, 2) == 302
    assert apply_as_staff(course, 3) == 429

    prove(booking_of(staff_member(1)))

    assert apply_as_staff(course, 3) == 302
    assert apply_as_staff(course, 4) == 429
