"""The "add to calendar" links of a course page."""

from django import template

from wagtail_courses import links
from wagtail_courses.models import EventPage, SessionPage
from wagtail_courses.services import calendar as calendars

register = template.Library()


@register.simple_tag(takes_context=True)
def course_calendar_links(
    context, course: EventPage, sessions: list[SessionPage]
) -> calendars.CalendarLinks | None:
    """Build the links in Python, where they are tested, from the sessions the page lists.

    URLs come through the page's request, so the links add no queries to the page. A course
    with no address yet (a preview of one not yet in the tree) gets no links.
    """
    request = context.get("request")
    page_url, full_url = course.get_url(request), links.page_address(course, request)
    if not page_url or not full_url:
        return None
    schedule = calendars.CourseSchedule(course=course, url=full_url, sessions=sessions)
    ics_url = page_url + course.reverse_subpage("calendar")
    return calendars.calendar_links(schedule=schedule, ics_url=ics_url)
