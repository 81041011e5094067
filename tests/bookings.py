"""Bookings made directly, for tests that start from an application already taken."""

from wagtail_courses.models import Booking
from wagtail_courses.services import bookings as booking_services


def make_booking(course, number=1, **fields) -> Booking:
    """Applicant ``number``'s booking on ``course``, with its first history row."""
    values = {
        "name": f"Applicant {number}",
        "email": f"applicant{number}@example.org",
        "form_data": {"your_role": "Ward manager", "why_do_you_want_to_attend": "To learn."},
        **fields,
    }
    booking = Booking.objects.create(page=course, **values)
    booking_services.record_status(booking=booking, to=booking.status)
    return booking
