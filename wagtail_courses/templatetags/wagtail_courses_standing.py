"""``{% course_standing course request as standing %}``: where a course stands, for its
editor's ``StandingPanel``.

A tag rather than the panel's own code: panels are imported by the models, and this counts
with ``services.availability``, which imports the models.
"""

from django import template
from django.http import HttpRequest

from wagtail_courses.admin.filtered_course import bookings_url
from wagtail_courses.admin.standing import Standing
from wagtail_courses.models import EventPage
from wagtail_courses.permissions import may_for_course
from wagtail_courses.services.availability import availability

register = template.Library()


@register.simple_tag
def course_standing(course: EventPage | None, request: HttpRequest) -> Standing | None:
    """The saved course's places as counted now (None for a course not saved yet).

    Counted against the course as stored, as the booking path counts them: the editor's
    ``course`` may be a draft whose places are not in force yet.
    """
    stored = EventPage.objects.filter(pk=course.pk).first() if course and course.pk else None
    if stored is None:
        return None
    url = bookings_url(stored) if may_for_course(request.user, stored) else ""
    return Standing(stored, availability(stored), url)
