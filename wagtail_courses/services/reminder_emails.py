"""What a session reminder's templates are given beyond the booking's own details.

Apart from ``services.reminders`` (which finds and queues them) so that the email composition
can import it: the queueing sits above the outbox and the task that renders, this below them.
"""

from wagtail_courses.models import Booking, EventPage, OutboundEmail, SessionPage

KIND = "session_reminder"

# Where a joining link means something: an in-person course's attendees come to the venue.
JOINS_ONLINE = {EventPage.DeliveryMode.ONLINE, EventPage.DeliveryMode.HYBRID}
MEETS_IN_PERSON = {EventPage.DeliveryMode.IN_PERSON, EventPage.DeliveryMode.HYBRID}


def session_context(email: OutboundEmail, course: EventPage, status: str) -> dict:
    """The session the reminder is for (its id is in the outbox row), where it meets, and the
    joining link: only for an online or hybrid course, and only to a confirmed place."""
    session = SessionPage.objects.get(pk=email.context["session"])
    confirmed = status == Booking.Status.CONFIRMED
    joins_online = course.delivery_mode in JOINS_ONLINE
    return {
        "session": session,
        "venue": course.venue if course.delivery_mode in MEETS_IN_PERSON else "",
        "online": joins_online,
        "joining_link": course.joining_link if confirmed and joins_online else "",
    }
