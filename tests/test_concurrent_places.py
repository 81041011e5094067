"""Places are never oversold, however many applications arrive at once.

The method, in the spirit of pretix's tests of its quotas:

1. Real concurrency. Applications are posted to the course page at the same moment from
   several threads (each on its own database connection) or several processes, as a busy
   site's workers would send them, and compete for the last places of each kind.
2. A forced race window. ``places.availability`` is wrapped so that, when
   ``place_application`` has counted the places, it waits before it writes the booking. Every
   request that can slip in between counting and writing will: the race is certain, not lucky.
3. A control. With the course's lock taken away (``course_locked`` doing nothing) the same test
   oversells the course, so the test is known to be able to fail. The control's threads wait
   on a barrier until all have counted; the real code's can't (only one is inside the lock at a
   time, so a barrier would deadlock), and sleep instead.
4. Invariants read from the database afterwards, not from the responses: holding bookings
   never exceed the capacity, nor staff free ones the staff quota, nor paid ones the rest;
   every applicant has exactly one booking or was told there was no place (or, rarely and on
   SQLite only, that the database was busy); nothing was lost and nothing was an error page.

Runs on SQLite (a database file: the connections share it) and on PostgreSQL
(``WAGTAIL_COURSES_TEST_DB=postgres``). Data must be committed for the other connections and
processes to see it, hence ``transactional_db`` (and ``wagtail_site``, which puts back the
pages a transactional test's flush takes away).
"""

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from itertools import zip_longest
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from tests.concurrency_worker import (
    BUSY,
    DB_NAME_VARIABLE,
    NO_PLACE,
    PLACED,
    apply,
    pausing_after_counting,
    without_lock,
)
from wagtail_courses.models import Booking
from wagtail_courses.place_choice import place_wanted
from wagtail_courses.services import places

ROOT = Path(__file__).resolve().parent.parent
STAFF_DOMAIN = "trust.nhs.uk"
CAPACITY, STAFF_QUOTA = 5, 2  # so 3 paid places
PAUSE = 0.2  # seconds between counting and writing, with the lock held

pytestmark = pytest.mark.django_db(transaction=True)  # committed: other connections see it


@pytest.fixture
def new_course(make_course):
    def new(**places_fields):
        return make_course(
            sessions=1, facilitators=0, staff_email_domains=STAFF_DOMAIN, **places_fields
        )

    return new


# Applicants and how they apply


def applicants(**choices: int) -> list[tuple[str, str]]:
    """``staff_free=2, paid=1`` → [(email, choice), ...], the kinds interleaved."""
    groups = [
        [(f"{choice}.{n}@{domain_for(choice)}", choice) for n in range(count)]
        for choice, count in choices.items()
    ]
    return [applicant for row in zip_longest(*groups) for applicant in row if applicant]


def domain_for(choice: str) -> str:
    # A staff choice needs a work address; paid applicants come from anywhere.
    return STAFF_DOMAIN if choice.startswith("staff") else "example.org"


def address(n: int) -> str:
    """A client address of its own for each application: the rate limit is per address."""
    return f"10.0.{n // 250}.{n % 250 + 1}"


def apply_on_threads(course, applicants) -> dict[str, str]:
    """Post every application at once, one thread (and database connection) each."""
    outcomes = {}

    def run(n, email, choice):
        try:
            outcomes[email] = apply(Client(REMOTE_ADDR=address(n)), course.url, email, choice)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(n, email, choice))
        for n, (email, choice) in enumerate(applicants)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def apply_in_processes(course, applicants, *, processes, pause, unlocked=False) -> dict[str, str]:
    """Post the applications from ``processes`` worker processes, all let go at the same moment.

    See tests/concurrency_worker.py. Each worker sends its share one after another.
    """
    shares = [[] for _ in range(processes)]
    for n, (email, choice) in enumerate(applicants):
        shares[n % processes].append((email, choice, address(n)))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "WAGTAIL_COURSES_TEST_DB": "postgres" if connection.vendor == "postgresql" else "sqlite",
        DB_NAME_VARIABLE: str(connection.settings_dict["NAME"]),
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.concurrency_worker", json.dumps(job)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,  # stderr is left to pytest, which shows it on a failure
            text=True,
        )
        for job in (
            {"course": course.url, "pause": pause, "unlocked": unlocked, "applicants": share}
            for share in shares
        )
    ]
    try:
        for worker in workers:
            assert worker.stdout.readline() == "ready\n", "a worker failed to start"
        for worker in workers:  # go
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outcomes = {}
        for worker in workers:
            out, _ = worker.communicate(timeout=60)
            assert worker.returncode == 0, "a worker failed"
            outcomes.update(json.loads(out.splitlines()[-1]))
        return outcomes
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()


# What the database says afterwards


def holding_places(course) -> tuple[int, int]:
    """(staff free, paid) bookings that hold a place on the course."""
    holding = Booking.objects.filter(page=course, status__in=Booking.HOLDING_STATUSES)
    staff = holding.filter(place_type=Booking.PlaceType.STAFF_FREE).count()
    return staff, holding.count() - staff


def busy_allowed() -> int:
    # SQLite waits up to 20 s for its write lock: a "busy" answer is possible there, and rare.
    return 1 if connection.vendor == "sqlite" else 0


def assert_never_oversold(course, applicants, outcomes) -> Counter:
    """Check the invariants against the database; the outcomes counted by kind."""
    chose = dict(applicants)
    # Nothing lost: every applicant was answered, with a booking, a refusal, or "busy".
    assert sorted(outcomes) == sorted(chose)
    errors = {email: out for email, out in outcomes.items() if out not in (PLACED, NO_PLACE, BUSY)}
    assert not errors, errors
    tally = Counter(outcomes.values())
    assert tally[PLACED] + tally[NO_PLACE] + tally[BUSY] == len(applicants)
    assert tally[BUSY] <= busy_allowed(), tally

    # One booking for each applicant who was placed, none for the others.
    theirs = Booking.objects.filter(page=course, email__in=chose)
    per_email = Counter(theirs.values_list("email", flat=True))
    assert set(per_email) == {email for email, out in outcomes.items() if out == PLACED}
    assert set(per_email.values()) <= {1}
    for booking in theirs:
        kind, waitlist = place_wanted(chose[booking.email])
        assert booking.place_type == kind
        assert booking.status != Booking.Status.WAITLISTED or waitlist, booking.email
    # Only those who didn't choose a waitlist are sent back to choose again.
    refused = [email for email, out in outcomes.items() if out == NO_PLACE]
    assert not [email for email in refused if place_wanted(chose[email])[1]]

    staff, paid = holding_places(course)
    assert staff + paid <= course.capacity
    assert staff <= course.staff_free_places
    assert paid <= course.capacity - course.staff_free_places
    return tally


def statuses(course) -> dict[str, str]:
    """Each applicant's booking status, by email."""
    return dict(Booking.objects.filter(page=course).values_list("email", "status"))


def open_race_window(monkeypatch, wait) -> list:
    """Make ``place_application`` call ``wait()`` between counting places and writing.

    Returns the list of waits so far, so a test can check its window was really open.
    """
    waits = []

    def pause():
        waits.append(threading.get_ident())
        wait()

    monkeypatch.setattr(places, "availability", pausing_after_counting(pause))
    return waits


# The control: without the lock, the race oversells


def test_without_the_lock_the_race_oversells_the_course(new_course, monkeypatch):
    course = new_course(capacity=2)
    crowd = applicants(paid=8)
    monkeypatch.setattr(places, "course_locked", without_lock)
    # Every request counts the places (none taken) before any writes its booking. With no
    # lock there is no transaction to wait on, so the barrier can't deadlock.
    open_race_window(monkeypatch, threading.Barrier(len(crowd), timeout=10).wait)

    outcomes = apply_on_threads(course, crowd)

    assert set(outcomes.values()) == {PLACED}, outcomes
    assert holding_places(course) == (0, len(crowd))  # oversold: the test can fail


def test_without_the_lock_processes_oversell_the_course(new_course):
    course = new_course(capacity=1)
    # Processes can't share a barrier: a long pause after counting, and all let go together,
    # so that at least two have counted before the first writes.
    crowd = applicants(paid=4)
    outcomes = apply_in_processes(course, crowd, processes=4, pause=1.5, unlocked=True)

    assert set(outcomes.values()) == {PLACED}, outcomes
    assert holding_places(course)[1] > course.capacity


# With the lock


def test_many_applications_at_once_never_oversell(new_course, monkeypatch):
    course = new_course(capacity=CAPACITY, staff_free_places=STAFF_QUOTA)
    crowd = applicants(staff_free=6, paid=5, staff_waitlist=3, paid_waitlist=2)
    # A sleep, not a barrier: only one request at a time is inside the lock.
    waits = open_race_window(monkeypatch, lambda: time.sleep(PAUSE))

    outcomes = apply_on_threads(course, crowd)

    tally = assert_never_oversold(course, crowd, outcomes)
    assert len(waits) == len(crowd) - tally[BUSY]  # a busy request never got to count
    # Every place was given: the lock made the requests take turns, not turn people away.
    assert holding_places(course) == (STAFF_QUOTA, CAPACITY - STAFF_QUOTA)
    # The others joined the waitlist they chose, or were asked to choose again.
    waitlisted = Counter(statuses(course).values())[Booking.Status.WAITLISTED]
    assert tally[PLACED] == CAPACITY + waitlisted


def test_the_last_staff_free_place_goes_to_one_of_many_staff(new_course, monkeypatch):
    course = new_course(capacity=CAPACITY, staff_free_places=STAFF_QUOTA)
    first = (f"first@{STAFF_DOMAIN}", "staff_free")
    assert apply(Client(REMOTE_ADDR="10.9.0.1"), course.url, *first) == PLACED
    # One staff free place left, and six staff after it at once.
    staff = applicants(staff_free=4, staff_waitlist=2)
    open_race_window(monkeypatch, lambda: time.sleep(PAUSE))

    outcomes = apply_on_threads(course, staff)

    assert_never_oversold(course, staff, outcomes)
    status_of = statuses(course)
    # Exactly the quota hold a staff free place (awaiting the link in their email)...
    assert Counter(status_of.values())[Booking.Status.AWAITING_EMAIL_CONFIRMATION] == STAFF_QUOTA
    assert holding_places(course) == (STAFF_QUOTA, 0)
    # ...and every other staff applicant waits, having asked to, or is asked to choose again.
    for email, choice in staff:
        if outcomes[email] == BUSY or status_of.get(email) in Booking.HOLDING_STATUSES:
            continue
        chose_waitlist = place_wanted(choice)[1]
        assert (outcomes[email], status_of.get(email)) == (
            (PLACED, Booking.Status.WAITLISTED) if chose_waitlist else (NO_PLACE, None)
        )


def test_applications_from_separate_processes_never_oversell(new_course):
    course = new_course(capacity=CAPACITY, staff_free_places=STAFF_QUOTA)
    crowd = applicants(staff_free=4, paid=4, staff_waitlist=2, paid_waitlist=2)

    # Six processes, two applications each: each process costs a Django start-up (~2 s of CPU).
    outcomes = apply_in_processes(course, crowd, processes=6, pause=PAUSE)

    tally = assert_never_oversold(course, crowd, outcomes)
    assert holding_places(course) == (STAFF_QUOTA, CAPACITY - STAFF_QUOTA)
    waitlisted = Counter(statuses(course).values())[Booking.Status.WAITLISTED]
    assert tally[PLACED] == CAPACITY + waitlisted
