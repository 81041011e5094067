"""The course editor's note of when its applicants' personal data goes (``RetentionPanel``).

A tag rather than the panel's own code: panels are imported by the models, and this needs
the retention service, which imports the models.
"""

from django import template
from django.http import HttpRequest

from wagtail_courses.models import CourseSiteSettings, EventPage
from wagtail_courses.services import retention

register = template.Library()


@register.simple_tag
def course_retention_notice(course: EventPage, request: HttpRequest | None = None) -> str:
    """One sentence: when the course's applicants' data will be anonymised, and why then."""
    site_period = None
    if course.pk is None and request is not None:
        # A new course is on no site yet: the one it is being added on says.
        site_period = CourseSiteSettings.for_request(request).retention_months
    return retention.describe(course, site_period=site_period)
