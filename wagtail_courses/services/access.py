"""The courses, and so the bookings, a user may see: what every admin list starts from.

The rule itself is in ``wagtail_courses.permissions``.
"""

from django.db.models import QuerySet

from wagtail_courses.models import Booking, EventPage
from wagtail_courses.permissions import (
    COURSE_PERMISSION,
    SEE_PERMISSIONS,
    has_bookings_role,
    page_policy,
)


def courses_for(user, codenames=SEE_PERMISSIONS) -> QuerySet:
    """The courses whose bookings ``user`` may see (or act on, with ``codenames``)."""
    if not user.is_active or not has_bookings_role(user, codenames):
        return EventPage.objects.none()
    return page_policy.instances_user_has_permission_for(user, COURSE_PERMISSION).type(EventPage)


def bookings_for(user, codenames=SEE_PERMISSIONS) -> QuerySet:
    """The bookings of the courses ``user`` may see."""
    if user.is_superuser and user.is_active:
        return Booking.objects.all()
    return Booking.objects.filter(page__in=courses_for(user, codenames).values("pk"))
