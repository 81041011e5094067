"""``{% add_booking_url as url %}``: the Bookings list's way to "Add a booking" (one taken by
hand, ``admin.manual_bookings``), for a user who may take one; "" for anyone else.

It makes no query: whether the user may manage places at all is in their permissions, which
the list has already read. The course is checked when it is chosen.
"""

from django import template

from wagtail_courses.admin import manual_bookings
from wagtail_courses.services.admin_links import COURSE_FILTER

register = template.Library()


@register.simple_tag(takes_context=True)
def add_booking_url(context) -> str:
    request = context["request"]
    return manual_bookings.add_booking_url(request.user, request.GET.get(COURSE_FILTER, ""))
