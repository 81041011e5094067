"""An organiser's own message to an applicant: "Email the selected" in the Bookings list.

What the organiser wrote (a subject and a message) is kept in the outbox row's context, as a
reason is, and the row is rendered by its kind's templates (``emails/organiser_message/``)
after the commit, as every other email is (``services.email_sending``): the message goes out in
the site's own frame, with the booking's reference, where it stands and the link to it. It is
in the booking's emails on its page; anonymising the booking erases it with the rest
(``services.anonymisation``). It changes nothing of the booking, so it needs no lock.
"""

from django.db import transaction

from wagtail_courses.models import Booking, OutboundEmail
from wagtail_courses.services import outbox

KIND = "organiser_message"


def may_be_emailed(booking: Booking) -> bool:
    """An anonymised booking's address is a placeholder: its person asked to be forgotten."""
    return booking.anonymised_at is None


def send_message(*, booking: Booking, subject: str, message: str) -> OutboundEmail:
    """Write the message to ``booking``'s applicant to the outbox; it is sent after commit."""
    with transaction.atomic():
        email = outbox.queue(booking=booking, kind=KIND)
        email.context.update(subject=subject, message=message)
        email.save(update_fields=["context"])
    outbox.send_after_commit([email])
    return email
