"""Listing courses in few queries: their dates, and their sessions, for many at once."""

from collections.abc import Sequence
from os.path import commonprefix

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Length, Substr
from django.utils import timezone
from wagtail.models import PageManager
from wagtail.query import PageQuerySet

from wagtail_courses.models.sessions import SessionPage


class EventPageQuerySet(PageQuerySet):
    def with_schedule(self, now=None):
        """Annotate each course with its dates, read from its live child sessions.

        One query serves a whole listing, however many courses or sessions there are.
        """
        now = now or timezone.now()
        # Cancelled sessions stay on the schedule, marked, but don't set a course's dates.
        sessions = SessionPage.objects.live().filter(
            path__startswith=OuterRef("path"),
            depth=OuterRef("depth") + 1,
            status=SessionPage.Status.SCHEDULED,
        )
        return self.annotate(
            first_start=Subquery(sessions.order_by("start").values("start")[:1]),
            last_end=Subquery(sessions.order_by("-end").values("end")[:1]),
            next_start=Subquery(
                sessions.filter(start__gte=now).order_by("start").values("start")[:1]
            ),
        )

    def upcoming(self, now=None):
        """Courses whose last session has not ended (or has no date yet), soonest first."""
        now = now or timezone.now()
        return (
            self.with_schedule(now)
            .filter(Q(last_end__gte=now) | Q(last_end__isnull=True))
            .order_by(
                Coalesce("next_start", "first_start").asc(nulls_last=True),
                "title",
            )
        )

    def past(self, now=None):
        """Courses whose last session has ended, most recent first."""
        now = now or timezone.now()
        return self.with_schedule(now).filter(last_end__lt=now).order_by("-last_end", "title")


EventPageManager = PageManager.from_queryset(EventPageQuerySet)


def live_sessions_by_course(courses: Sequence) -> dict[str, list[SessionPage]]:
    """Each course's live sessions by start, keyed by the course's tree path, in one query.

    Sessions are child pages, out of reach of ``prefetch_related``: they are matched to their
    course by their parent's path (their own less its last step), so the query is the same
    however many courses there are, wherever in the tree each one is.
    """
    by_path: dict[str, list[SessionPage]] = {course.path: [] for course in courses}
    if not by_path:
        return by_path
    sessions = (
        SessionPage.objects.live()
        # Only the part of the tree the courses are in (one index's, say) is read at all.
        .filter(path__startswith=commonprefix(list(by_path)))
        .filter(depth__in={course.depth + 1 for course in courses})
        .annotate(course_path=Substr("path", 1, Length("path") - SessionPage.steplen))
        .filter(course_path__in=list(by_path))
        .order_by("start", "path")
    )
    for session in sessions:
        by_path[session.course_path].append(session)
    return by_path


def attach_sessions(courses) -> list:
    """Give each listed course its live sessions (``listed_sessions``), for all in one query:
    a card needs them all to summarise its schedule."""
    courses = list(courses)
    sessions = live_sessions_by_course(courses)
    for course in courses:
        course.listed_sessions = sessions[course.path]
    return courses
