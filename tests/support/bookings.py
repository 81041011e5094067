"""Finding bookings in tests that start from an application already taken.

Tests make their own with ``tests.factories.BookingFactory``.
"""

from wagtail_courses.models import Booking


def booking_of(email: str) -> Booking:
    """The one booking made with this address, as it now stands in the database."""
    return Booking.objects.get(email=email)
