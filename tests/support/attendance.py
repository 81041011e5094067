"""The attendance register, as the tests read it: its addresses, and the marks it holds."""

from contextlib import contextmanager

from django.urls import reverse

from wagtail_courses.attendance_signals import marks_saved
from wagtail_courses.models import Attendance


def session_register_url(session) -> str:
    return reverse("wagtail_courses_session_register", args=[session.pk])


def course_register_url(course) -> str:
    return reverse("wagtail_courses_course_register", args=[course.pk])


def register_export_url(course) -> str:
    return reverse("wagtail_courses_course_register_export", args=[course.pk])


def marks_for(session) -> dict[str, str]:
    """The session's marks, by the name of who was marked."""
    return dict(Attendance.objects.filter(session=session).values_list("booking__name", "mark"))


@contextmanager
def marks_saved_calls():
    """Each ``marks_saved`` sent meanwhile, as (session id, booking ids, user)."""
    calls = []

    def listener(sender, session, bookings, by, **kwargs):
        calls.append((session.pk, sorted(booking.pk for booking in bookings), by))

    marks_saved.connect(listener, weak=False)
    try:
        yield calls
    finally:
        marks_saved.disconnect(listener)
