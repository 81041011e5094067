from wagtail_courses.models.bookings import Booking, BookingStatusChange, OutboundEmail
from wagtail_courses.models.courses import EventFacilitator, EventPage
from wagtail_courses.models.events_index import EventIndexPage
from wagtail_courses.models.facilitators import FacilitatorIndexPage, FacilitatorPage
from wagtail_courses.models.forms import CourseFormField
from wagtail_courses.models.sessions import SessionPage
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
