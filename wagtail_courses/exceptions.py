"""The ways an application can be refused. Views turn each into a message for the applicant."""

from django.utils.translation import gettext_lazy as _


class ApplicationRefused(Exception):
    """An application the app will not take; ``message`` says why, for the applicant."""

    message = _("Your application could not be taken.")
    field: str | None = None

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class BookingClosed(ApplicationRefused):
    message = _("Applications for this course are closed.")


class DuplicateApplication(ApplicationRefused):
    message = _(
        "This email address already has an application for this course. Check your inbox "
        "for its confirmation, or contact us if you need to change it."
    )
    field = "wc_email"


class NoPlaceLeft(ApplicationRefused):
    """No place of the kind asked for is free; the applicant chooses again (or the waitlist)."""

    field = "wc_place"

    def __init__(self, message=None, *, place_type: str = "", has_staff_places: bool = False):
        self.place_type = place_type
        if message is None:
            message = (
                STAFF_PLACES_GONE
                if place_type == "staff_free"
                else (PAID_PLACES_GONE if has_staff_places else FULLY_BOOKED)
            )
        super().__init__(message)


STAFF_PLACES_GONE = _(
    "The staff free places have all been taken. Choose a paid place, or join the waitlist "
    "for a staff free place."
)
PAID_PLACES_GONE = _(
    "The paid places have all been taken. You can join the waitlist for a paid place."
)
FULLY_BOOKED = _("The course is now fully booked. You can join the waitlist.")


class InvalidStatusChange(Exception):
    """A status change the booking's state machine does not allow."""


class CourseBusy(Exception):
    """The course's lock was not granted in time (PostgreSQL's ``lock_timeout``, SQLite's
    "database is locked"): nothing was written, and the same request can be sent again."""
