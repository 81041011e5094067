"""Apologies for a session, from the applicant's manage page (``views.manage``).

A POST with ``action=apologies`` and the session's id; the page redirects to itself, saying
for which session they were sent (``?done=apologies&session=<id>``), so a refresh sends
nothing twice.
"""

from urllib.parse import urlencode

from django.utils.translation import gettext as _

from wagtail_courses.models import Booking, EventPage
from wagtail_courses.services import apologies
from wagtail_courses.services.apologies import ApologiesRefused

ACTION = "apologies"

__all__ = ["ACTION", "ApologiesRefused", "context", "notice", "send"]


def send(request, course: EventPage, booking: Booking) -> str:
    """Send the apologies the form asked for; the address to redirect to. ``ApologiesRefused``
    (nothing saved) says why not."""
    session = apologies.send(booking=booking, course=course, session_id=request.POST.get("session"))
    return f"{request.path}?{urlencode({'done': ACTION, 'session': session.pk})}"


def notice(query, course: EventPage) -> str | None:
    """What the page says once apologies were sent, naming the session."""
    session_id = query.get("session", "")
    if query.get("done") != ACTION or not session_id.isdigit():
        return None
    session = course.sessions().filter(pk=int(session_id)).first()
    if session is None:
        return None
    return _(
        "Your apologies for “%(session)s” are sent. The course's facilitators will know not "
        "to expect you."
    ) % {"session": session.title}


def context(booking: Booking, course: EventPage) -> dict:
    """What the page's apologies include shows: the sessions still to come, and each one's
    form or what was recorded."""
    return {"apology_sessions": apologies.upcoming(booking, course), "apologies_action": ACTION}
