from wagtail_courses.models.attendance import Attendance
from wagtail_courses.models.bookings import Booking
from wagtail_courses.models.certificates import Certificate
from wagtail_courses.models.course_facilitators import EventFacilitator
from wagtail_courses.models.courses import EventPage
from wagtail_courses.models.events_index import EventIndexPage
from wagtail_courses.models.facilitator_digests import FacilitatorDigest
from wagtail_courses.models.facilitators import FacilitatorIndexPage, FacilitatorPage
from wagtail_courses.models.forms import CourseFormField
from wagtail_courses.models.history import BookingStatusChange
from wagtail_courses.models.notes import BookingNote
from wagtail_courses.models.outbox import OutboundEmail
from wagtail_courses.models.reminders import SentReminder
from wagtail_courses.models.sessions import SessionPage
from wagtail_courses.models.settings import CourseSiteSettings

__all__ = [
    "Attendance",
    "Booking",
    "BookingNote",
    "BookingStatusChange",
    "Certificate",
    "CourseFormField",
    "OutboundEmail",
    "CourseSiteSettings",
    "EventFacilitator",
    "EventIndexPage",
    "EventPage",
    "FacilitatorDigest",
    "FacilitatorIndexPage",
    "FacilitatorPage",
    "SentReminder",
    "SessionPage",
]
