"""The one course a Bookings list is filtered to, if it is filtered to one.

A list of one course's bookings shows that course's answers as columns, leaves out the course
column, and names its exports and their sheet after it; a list of several courses' does none
of that. The course is read once per request (the list's columns, search and exports all ask)
and only if the user may see its bookings: a typed-in course number shows no one else's
questions.
"""

import re
from urllib.parse import urlencode

from django.urls import reverse

from wagtail_courses.models import EventPage
from wagtail_courses.services.access import courses_for
from wagtail_courses.services.admin_links import COURSE_FILTER
from wagtail_courses.services.admin_links import INDEX_URL_NAME as BOOKINGS_URL_NAME

# Where a request keeps the course once it has been looked up.
CACHE_ATTRIBUTE = "_wagtail_courses_filtered_course"


def bookings_url(course, **params) -> str:
    """The Bookings list filtered to ``course`` (with more query ``params``, e.g. an export)."""
    query = urlencode({COURSE_FILTER: course.pk, **params})
    return f"{reverse(BOOKINGS_URL_NAME)}?{query}"


def filtered_course(request) -> EventPage | None:
    """The course (its specific page) the list is filtered to: one, and one the user may see.

    None when no course, several courses, or a value that is no course's number is asked for
    (the filter itself then answers the last with a 400).
    """
    if not hasattr(request, CACHE_ATTRIBUTE):
        setattr(request, CACHE_ATTRIBUTE, look_up(request))
    return getattr(request, CACHE_ATTRIBUTE)


def look_up(request) -> EventPage | None:
    values = request.GET.getlist(COURSE_FILTER)
    # Digits only, and few enough for any database's integer.
    if len(values) != 1 or not re.fullmatch(r"[0-9]{1,18}", values[0]):
        return None
    return courses_for(request.user).filter(pk=int(values[0])).specific().first()
