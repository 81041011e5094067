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


class InvalidStatusChange(Exception):
    """A status change the booking's state machine does not allow."""
