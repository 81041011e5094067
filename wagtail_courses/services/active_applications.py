"""A mailbox's active application for a course: the one a new application would duplicate.

One mailbox (``wagtail_courses.mailboxes``) has at most one application for a course that
holds or waits for a place; a cancelled, declined or expired one leaves room to apply again.
The database keeps to that (``wagtail_courses_one_active_booking_per_email``); the services
ask here first, so that a person is told why rather than shown an error. Applying, and
marking paid a booking whose applicant has since applied again, ask the same question.
"""

from django.db.models import Q

from wagtail_courses.choices import ACTIVE_STATUSES
from wagtail_courses.models import Booking


def active_application(*, course_id: int, mailbox: str) -> Q:
    """The mailbox's bookings on the course that hold or wait for a place (one at most)."""
    return Q(page_id=course_id, mailbox=mailbox, status__in=ACTIVE_STATUSES)


def has_applied_again(booking: Booking) -> bool:
    """Whether the booking's mailbox has another active application for its course."""
    again = active_application(course_id=booking.page_id, mailbox=booking.mailbox)
    return Booking.objects.filter(again).exclude(pk=booking.pk).exists()
