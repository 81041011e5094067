"""Listing courses in few queries: their dates, and their sessions, for many at once."""

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
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


def attach_sessions(courses) -> list:
    """Give each listed course its live sessions, fetched for all of them in one query.

    Sessions are child pages, out of reach of ``prefetch_related``; a card needs them all
    to summarise its schedule.
    """
    courses = list(courses)
    by_path = {course.path: course for course in courses}
    for course in courses:
        course.listed_sessions = []
    if courses:
        paths = Q()
        for path in by_path:
            paths |= Q(path__startswith=path)
        sessions = SessionPage.objects.live().filter(paths, depth=courses[0].depth + 1)
        for session in sessions.order_by("start", "path"):
            course = by_path.get(session.path[: -SessionPage.steplen])
            if course is not None:
                course.listed_sessions.append(session)
    return courses
