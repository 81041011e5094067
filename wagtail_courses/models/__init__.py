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
    "CourseSiteSettings",
    "EventFacilitator",
    "EventIndexPage",
    "EventPage",
    "FacilitatorIndexPage",
    "FacilitatorPage",
    "SessionPage",
]
