"""Numbering planned sessions against a course's existing ones, and creating them.

The preview and the creation share ``rows()``, so what an editor is shown is what is made.
"""

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from wagtail_courses.generator.plan import PlannedSession
from wagtail_courses.models import EventPage, SessionPage
from wagtail_courses.services.course_lock import course_locked
from wagtail_courses.slugs import free_slug


@dataclass(frozen=True)
class Row:
    """A planned session as it will be created, or the existing session that stands for it."""

    start: datetime
    end: datetime
    title: str
    exists: bool


@dataclass(frozen=True)
class Outcome:
    created: list[SessionPage]
    skipped: list[Row]


def rows(*, course: EventPage, planned: Sequence[PlannedSession]) -> list[Row]:
    """Each planned session with its title, marked if the course already has one at its start.

    A repeating session without a title is "Session N", N being its place by start among
    the course's sessions once all are created: what ``SessionPage.default_title`` gives
    when they are created one by one in start order, worked out here in one query.
    """
    existing = dict(SessionPage.objects.child_of(course).values_list("start", "title"))
    earlier = sorted(existing)
    result, added = [], 0
    for session in sorted(planned, key=lambda session: session.start):
        if session.start in existing:
            result.append(Row(session.start, session.end, existing[session.start], exists=True))
            continue
        title = session.title or SessionPage.numbered_title(
            bisect_left(earlier, session.start) + added + 1
        )
        result.append(Row(session.start, session.end, title, exists=False))
        added += 1
    return result


def create_sessions(
    *, course: EventPage, planned: Sequence[PlannedSession], user, publish: bool
) -> Outcome:
    """Create the planned sessions the course does not have yet, all or none.

    The course's lock (``services.course_lock``, the one its places are taken under) is
    taken before its sessions are read again, so two editors pressing "Create" together
    cannot both add the same session. A lock not granted in time is ``CourseBusy``, and
    nothing is created.
    """
    with course_locked(course):
        planned_rows = rows(course=course, planned=planned)
        slugs = set(course.get_children().values_list("slug", flat=True))
        created = []
        for row in planned_rows:
            if row.exists:
                continue
            slug = free_slug(row.title, taken=slugs)
            slugs.add(slug)
            session = SessionPage(
                title=row.title,
                slug=slug,
                start=row.start,
                end=row.end,
                live=False,
                has_unpublished_changes=True,
            )
            course.add_child(instance=session)
            revision = session.save_revision(user=user, log_action=True)
            if publish:
                revision.publish(user=user)
            created.append(session)
    return Outcome(created=created, skipped=[row for row in planned_rows if row.exists])
