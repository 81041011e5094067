from wagtail_courses.models.bookings import Booking, BookingStatusChange, OutboundEmail
from wagtail_courses.models.forms import CourseFormField
from wagtail_courses.models.pages import (
    EventFacilitator,
    EventIndexPage,
    EventPage,
    FacilitatorIndexPage,
    FacilitatorPage,
    SessionPage,
)
from wagtail_courses.models.settings import CourseSiteSettings

__all__ = [
    "Booking",
    "BookingStatusChange",
    "CourseFormField",
    "OutboundEmail",
    "CourseSiteSettings",
    "EventFacilitator",
    "EventIndexPage",
    "EventPage",
    "FacilitatorIndexPage",
    "FacilitatorPage",
    "SessionPage",
]
