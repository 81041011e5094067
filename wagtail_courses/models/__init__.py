from wagtail_courses.models.pages import (
    EventFacilitator,
    EventIndexPage,
    EventPage,
    FacilitatorIndexPage,
    FacilitatorPage,
    SessionPage,
)

__all__ = [
    "EventFacilitator",
    "EventIndexPage",
    "EventPage",
    "FacilitatorIndexPage",
    "FacilitatorPage",
    "SessionPage",
]
