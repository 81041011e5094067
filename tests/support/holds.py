"""Time on a held place: how long it is held for, and letting it run out."""

from datetime import timedelta

from django.utils import timezone

from wagtail_courses.models import Booking

# How long a new place (or waitlist entry) is held for its address to be proven:
# WAGTAIL_COURSES_PROOF_WINDOW's default, an hour.
PROOF_WINDOW = timedelta(hours=1)


def near(when, expected, slack=timedelta(minutes=2)) -> bool:
    """Whether ``when`` is ``expected``, give or take the time a test takes to run."""
    return abs(when - expected) < slack


def lapse(booking: Booking, ago=timedelta(minutes=1)) -> None:
    """Let the booking's hold run out, without anything noticing."""
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - ago)
