"""The "Upcoming courses" panel on Wagtail's dashboard (its ``construct_homepage_panels`` hook,
in ``wagtail_hooks``): where each of the next courses stands, without opening the Bookings list.

A course is upcoming as the events index has it (``EventPageQuerySet.upcoming``): its last
scheduled session has not ended yet, or it has no dates yet; the soonest come first. Only
published courses whose bookings the user may see are listed (``services.access``). The
courses are one query and their figures another, however many courses and bookings there are.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from wagtail_courses.admin.filtered_course import BOOKINGS_URL_NAME, bookings_url
from wagtail_courses.admin.standing import Standing
from wagtail_courses.models import EventPage
from wagtail_courses.services.access import courses_for
from wagtail_courses.services.availability import availability_by_course

# Enough to see the coming weeks at a glance; the Bookings list has every course.
UPCOMING_COURSES_SHOWN = 10


def upcoming_standings(user, *, now: datetime | None = None) -> list[Standing]:
    """The next courses ``user`` may see the bookings of, each with its places counted."""
    now = now or timezone.now()
    courses = list(
        EventPage.objects.live()
        .filter(pk__in=courses_for(user).values("pk"))
        .upcoming(now)[:UPCOMING_COURSES_SHOWN]
    )
    counted = availability_by_course(courses, now=now)
    return [Standing(course, counted[course.pk], bookings_url(course)) for course in courses]


class UpcomingCoursesPanel(Component):
    """Shown (by the hook) to users who may see some course's bookings."""

    name = "wagtail_courses_upcoming_courses"
    template_name = "wagtail_courses/admin/upcoming_courses_panel.html"
    # After Wagtail's "What's new" banner (110), before the moderation panels (210 on).
    order = 150

    class Media:
        css = {"all": ["wagtail_courses/admin/standing.css"]}

    def get_context_data(self, parent_context: Mapping[str, Any]) -> Mapping[str, Any]:
        request = parent_context["request"]
        return {
            "request": request,
            "standings": upcoming_standings(request.user),
            "all_bookings_url": reverse(BOOKINGS_URL_NAME),
        }
