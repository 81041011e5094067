"""iCalendar downloads and feeds: thin HTTP wrappers around ``services.calendar``."""

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from icalendar import Calendar

from wagtail_courses import links
from wagtail_courses.models import EventIndexPage, EventPage
from wagtail_courses.services import calendar as calendars

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _ics_response(calendar: Calendar) -> HttpResponse:
    return HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)


def course_calendar(request: HttpRequest, course: EventPage) -> HttpResponse:
    """The course's sessions as a file to import.

    Wagtail has already routed the request, so a draft or restricted course never gets here.
    """
    schedule = calendars.CourseSchedule(
        course=course, url=links.page_address(course, request), sessions=list(course.sessions())
    )
    response = _ics_response(calendars.course_calendar(schedule=schedule))
    # The route can't end in ".ics" (Wagtail's paths allow no dot), so the name comes from here.
    response["Content-Disposition"] = content_disposition_header(True, f"{course.slug}.ics")
    return response


def index_calendar(request: HttpRequest, index: EventIndexPage) -> HttpResponse:
    """A feed of the upcoming courses' sessions, for calendars to subscribe to."""
    schedules = [
        calendars.CourseSchedule(
            course=course, url=links.page_address(course, request), sessions=sessions
        )
        for course, sessions in calendars.upcoming_course_sessions(index=index)
    ]
    return _ics_response(
        calendars.index_calendar(
            index=index, index_url=links.page_address(index, request), schedules=schedules
        )
    )
