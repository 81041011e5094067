"""The course's lock: what makes counting and taking its places one step at a time.

On PostgreSQL the lock is ``SELECT … FOR UPDATE`` on the course's row; SQLite ignores that,
and the site's ``transaction_mode="IMMEDIATE"`` makes the transaction take the database's
write lock as it begins instead (check ``wagtail_courses.W001`` warns a site without it). A
lock not granted in time is ``CourseBusy``, whichever the database. ``services.places`` takes
it to count and take places, and the session generator (``generator.service``) to add sessions
without two editors adding the same one: one lock per course, taken one way.
"""

import logging
import time
from contextlib import contextmanager

from django.db import OperationalError, connection, transaction

from wagtail_courses.exceptions import CourseBusy
from wagtail_courses.models import EventPage

# One record per locked transaction, with how long the course's lock was held (benchmarks).
lock_log = logging.getLogger("wagtail_courses.locks")


def lock_course(course: EventPage) -> None:
    """Take the course's row lock until the transaction ends (PostgreSQL; see the module).

    SQLite has no row locks: its transaction took the database's write lock as it began.
    """
    if not connection.features.has_select_for_update:
        return
    list(
        EventPage.objects.select_for_update(of=("self",))
        .filter(pk=course.pk)
        .values_list("pk", flat=True)
    )


@contextmanager
def course_locked(course: EventPage):
    """One short transaction in which the course's places can be counted and taken.

    A lock not granted in time (PostgreSQL's ``lock_timeout``, SQLite's "database is
    locked") is ``CourseBusy``: nothing was written, and the applicant can send again. Any
    other database error is a real one and goes on up.
    """
    try:
        with transaction.atomic():
            lock_course(course)
            locked_at = time.perf_counter()
            yield
    except OperationalError as error:
        if is_lock_timeout(error):
            raise CourseBusy from error
        raise
    # Until the commit, which releases the lock.
    held_ms = (time.perf_counter() - locked_at) * 1000
    if lock_log.isEnabledFor(logging.DEBUG):
        extra = {"course_id": course.pk, "held_ms": held_ms}
        lock_log.debug("course %s locked for %.2f ms", course.pk, held_ms, extra=extra)


# PostgreSQL's SQLSTATE for a lock not granted within lock_timeout (or NOWAIT).
LOCK_NOT_AVAILABLE = "55P03"


def is_lock_timeout(error: OperationalError) -> bool:
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == LOCK_NOT_AVAILABLE:  # psycopg 3
        return True
    if getattr(cause, "pgcode", None) == LOCK_NOT_AVAILABLE:  # psycopg2
        return True
    return "database is locked" in str(error)
