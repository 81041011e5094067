"""Finding and making bookings in tests that start from an application already taken."""

from tests.factories import BookingFactory
from wagtail_courses.models import Booking


def booking_of(email: str) -> Booking:
    """The one booking made with this address, as it now stands in the database."""
    return Booking.objects.get(email=email)


def make_booking(course, number=1, **fields) -> Booking:
    """Applicant ``number``'s booking on ``course``, with its first history row.

    The older spelling of ``BookingFactory(page=course, ...)``, kept for the modules that
    still use it: it sets only the fields given (no hold, nothing proven), as it always did.
    New tests use the factory's traits (``awaiting_payment=True``) instead.
    """
    values = {
        "name": f"Applicant {number}",
        "email": f"applicant{number}@example.org",
        "hold_expires_at": None,
        **fields,
    }
    return BookingFactory(page=course, **values)
