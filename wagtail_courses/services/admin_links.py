"""Full addresses of the Bookings admin, for the links in the facilitators' emails.

A facilitator reads an email about an application and wants the booking itself: its answers,
and the buttons to approve or decline it. The link starts with ``WAGTAILADMIN_BASE_URL``, the
setting Wagtail's own notification emails use for the admin's address (read through
Wagtail's ``get_admin_base_url``, at call time). A site that has not set it (check
``wagtail_courses.W011`` warns) gets the address the application was made at
(``Booking.origin``), then the site's own (``links``): on most sites the admin is served by
the same host as the pages.

The paths are the Bookings admin's URL names (wagtail-modeladmin names them
``<app>_<model>_modeladmin_<action>``), reversed here by name: a service does not import the
admin.
"""

from urllib.parse import urlencode

from django.urls import reverse
from wagtail.admin.utils import get_admin_base_url

from wagtail_courses import links
from wagtail_courses.models import Booking, EventPage

INSPECT_URL_NAME = "wagtail_courses_booking_modeladmin_inspect"
INDEX_URL_NAME = "wagtail_courses_booking_modeladmin_index"
# The Bookings list's course filter (``CourseListFilter`` on ``Booking.page``, Django's
# ``<field>__<target>__exact``): the one name of it, for the admin and the emails alike.
COURSE_FILTER = "page__id__exact"


def admin_start(course: EventPage, *, origin: str = "") -> str:
    """The scheme and host the admin's links start with, in the module's order."""
    start = (get_admin_base_url() or "").strip() or origin
    if not start and (site := course.get_site()):
        start = links.site_root(site)
    return start.rstrip("/")


def booking_admin_url(booking: Booking, course: EventPage) -> str:
    """The booking's page in the Bookings admin (its answers, history and actions)."""
    path = reverse(INSPECT_URL_NAME, args=[booking.pk])
    return admin_start(course, origin=booking.origin) + path


def course_bookings_admin_url(course: EventPage, *, origin: str = "") -> str:
    """The Bookings list filtered to the course."""
    path = f"{reverse(INDEX_URL_NAME)}?{urlencode({COURSE_FILTER: course.pk})}"
    return admin_start(course, origin=origin) + path
