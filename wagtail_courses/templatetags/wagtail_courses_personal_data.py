"""Personal data in the Bookings admin's pages: when it is (or was) anonymised, the way to a
person's access and erasure requests, and how their bookings' statuses read there."""

from django import template
from django.urls import reverse

from wagtail_courses.admin.person import URL_NAME, can_use
from wagtail_courses.models import EventPage
from wagtail_courses.services import retention
from wagtail_courses.services.access import courses_for
from wagtail_courses.services.admin_links import COURSE_FILTER
from wagtail_courses.services.booking_status import shown_status

register = template.Library()


@register.simple_tag
def retention_notice(booking) -> str:
    """ "To be anonymised on 3 March 2027", or "Anonymised on …" once it was."""
    return retention.booking_notice(booking)


@register.simple_tag(takes_context=True)
def filtered_course_retention(context) -> str:
    """On the Bookings list filtered to one course the user may see: when its applicants'
    data goes."""
    course_id = context["request"].GET.get(COURSE_FILTER, "")
    if not course_id.isdigit() or len(course_id) > 18:  # no page id is longer than 18 digits
        return ""
    visible = courses_for(context["request"].user).values("pk")
    course = EventPage.objects.filter(pk=int(course_id), pk__in=visible).first()
    return retention.describe(course) if course else ""


@register.simple_tag(takes_context=True)
def personal_data_url(context) -> str:
    """The personal data requests page, for a user who may use it ("" for anyone else)."""
    return reverse(URL_NAME) if can_use(context["request"].user) else ""


@register.filter
def shown_status_label(booking) -> str:
    """The booking's status as every admin page shows it (``booking_status.shown_status``)."""
    return shown_status(booking)[1]
