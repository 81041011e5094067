"""iCalendar downloads and feeds. (Placeholder: filled in by the calendar work.)"""

from django.http import Http404


def course_calendar(request, course):
    raise Http404


def index_calendar(request, index):
    raise Http404
