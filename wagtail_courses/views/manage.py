"""The applicant's own page for a booking, reached by the signed link in every email.

Each action is a POST (never a GET). Giving up a place, or leaving the waitlist, can't be
undone, so it takes two: the first shows what will happen and asks "are you sure"
(``status_wording``'s ``Asking``); only the second, which carries ``confirm=yes``, does it.
"""

from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from wagtail_courses import links
from wagtail_courses.exceptions import CourseBusy, InvalidStatusChange
from wagtail_courses.models import Booking, EventPage, OutboundEmail
from wagtail_courses.ratelimit import proven
from wagtail_courses.services import places
from wagtail_courses.services.applicant import (
    BadLink,
    booking_details,
    can_cancel_online,
    can_confirm,
    reference_from_token,
)
from wagtail_courses.status_wording import ACTIONS, CANCEL_CLOSED, Asking
from wagtail_courses.views import apologies
from wagtail_courses.views.applications import BUSY
from wagtail_courses.views.responses import private, render_private

DONE = {
    "confirmed": _("Thank you: your email address is confirmed."),
    "cancelled": _("Your booking is cancelled."),
    "left": _("You have left the waitlist."),
    "expired": _("Sorry: the time to confirm ran out, and your place has gone to someone else."),
}
# What was done that the applicant is also emailed about, and the kind of that email.
EMAILED_ABOUT = {"cancelled": "booking_cancelled", "left": "booking_cancelled"}
EmailStatus = OutboundEmail.Status
Delivery = OutboundEmail.DeliveryStatus
# What became of that email, said as it stands when the page is shown.
EMAIL_NEWS = {
    **dict.fromkeys(
        [EmailStatus.PENDING, EmailStatus.SENDING], _("We are emailing you to say so.")
    ),
    EmailStatus.FAILED: _(
        "We could not email you to say so just now: we will try again, and you will get the "
        "email then."
    ),
    **dict.fromkeys(
        [EmailStatus.SENT, Delivery.DELIVERED, Delivery.OPENED, Delivery.COMPLAINED],
        _("We have emailed you to say so."),
    ),
    **dict.fromkeys(
        [Delivery.BOUNCED, Delivery.REJECTED],
        _("We emailed you to say so, but the email could not be delivered."),
    ),
}
NOT_AVAILABLE = _("That can no longer be done: your booking has changed. It now stands as below.")
# What the second POST carries: the applicant said yes to the question.
SURE = "yes"


class NotYetSure(Exception):
    """Asked to give up a place (or leave the waitlist) without yet saying yes: the page asks
    first, and nothing is changed."""


def manage_booking(request, course: EventPage, token: str):
    booking, refusal = booking_for_link(request, course, token)
    if refusal is not None:
        return refusal
    notice, status, asking = done_notice(booking, request.GET.get("done", "")), 200, None
    notice = notice or apologies.notice(request.GET, course)
    if request.method == "POST" and request.POST.get("action") == apologies.ACTION:
        try:
            return private(HttpResponseRedirect(apologies.send(request, course, booking)))
        except apologies.ApologiesRefused as refused:
            notice, status = refused.message, refused.status
    elif request.method == "POST":
        try:
            done = act(
                booking,
                course,
                request.POST.get("action"),
                sure=request.POST.get("confirm") == SURE,
                course_url=links.page_address(course, request),
            )
        except ValueError:
            return HttpResponseBadRequest()
        except NotYetSure:
            notice, asking = None, giving_up(booking)
        except CourseBusy:
            notice, status = BUSY, 503
        except InvalidStatusChange:
            notice, status = NOT_AVAILABLE, 409
        else:
            if done is None:
                notice, status = CANCEL_CLOSED, 403
            else:
                # Redirect after the post, so a refresh never repeats it.
                return private(HttpResponseRedirect(f"{request.path}?done={done}"))
        booking.refresh_from_db()
    return render_booking(request, course, booking, notice=notice, status=status, asking=asking)


def booking_for_link(request, course: EventPage, token: str):
    """The booking a signed link is for, or the page that says the link no longer works."""
    try:
        reference = reference_from_token(token)
    except BadLink as bad:
        return None, link_invalid(request, course, expired=bad.expired)
    # With its certificate, if it has one, in the same query (the page offers its download).
    booking = (
        Booking.objects.filter(page=course, reference=reference)
        .select_related("certificate")
        .first()
    )
    if booking is None:  # signed by us, but for another course's page
        return None, link_invalid(request, course, expired=False)
    if booking.anonymised_at:
        # Its personal data is gone (retention or erasure): nothing of it is shown or done.
        return None, link_invalid(request, course, expired=True)
    return booking, None


def link_invalid(request, course: EventPage, *, expired: bool):
    return render_private(
        request,
        course,
        "wagtail_courses/manage_link_invalid.html",
        {"expired": expired},
        status=410 if expired else 404,
    )


def render_booking(
    request, course: EventPage, booking: Booking, *, notice, status: int, asking=None
):
    """The page; ``asking`` (the ``giving_up`` action's name and wording) in place of the
    actions, when the applicant is asked if they are sure."""
    details = booking_details(booking, course, course_url=links.page_address(course, request))
    # Someone waiting may leave at any time: the cut-off is only read for a held place.
    waiting = booking.status == Booking.Status.WAITLISTED
    closes = None if waiting else course.cancellation_closes()
    return render_private(
        request,
        course,
        "wagtail_courses/manage_booking.html",
        {
            **details,
            "notice": notice,
            "can_confirm": can_confirm(booking),
            "can_cancel": can_cancel_online(booking, closes),
            "cancellation_closes": closes,
            "asking_action": asking[0] if asking else None,
            "asking": asking[1] if asking else None,
            **apologies.context(booking, course),
        },
        status=status,
    )


def done_notice(booking: Booking, done: str) -> str | None:
    """What was done, and what became of the email about it (never "emailed" if it failed)."""
    if done not in DONE:
        return None
    parts = [DONE[done]]
    if kind := EMAILED_ABOUT.get(done):
        email = booking.emails.filter(kind=kind).order_by("-created_at", "-pk").first()
        if email is not None and email.state in EMAIL_NEWS:
            parts.append(EMAIL_NEWS[email.state])
    return " ".join(str(part) for part in parts)


def act(
    booking: Booking, course: EventPage, action: str | None, *, sure: bool, course_url: str
) -> str | None:
    """Do what the applicant asked; the key of what was done, or None if too late to cancel.

    Giving up a place (or leaving the waitlist) only once they are ``sure``: ``NotYetSure``
    until then.
    """
    if action == "confirm":
        booking = places.confirm_email(booking=booking, course_url=course_url)
        if booking.status == Booking.Status.EXPIRED:
            return "expired"
        if not booking.email_confirmed_at:
            # Cancelled or declined: there is nothing to confirm.
            raise InvalidStatusChange(booking.status)
        proven(booking)
        return "confirmed"
    if action in ("cancel", "leave_waitlist"):
        return give_up(booking, course, action, sure=sure)
    raise ValueError(action)


def give_up(booking: Booking, course: EventPage, action: str, *, sure: bool) -> str | None:
    waiting = booking.status == Booking.Status.WAITLISTED
    if action == "leave_waitlist" and booking.is_active and not waiting:
        # Asked to leave the waitlist, but a place was offered since: not given up unasked.
        raise InvalidStatusChange(booking.status)
    if not can_cancel_online(booking, course.cancellation_closes()):
        if not booking.is_active:
            raise InvalidStatusChange(booking.status)
        return None
    if not sure:
        raise NotYetSure
    places.cancel_own(booking=booking, reason=str(_("Cancelled by the applicant")))
    return "left" if waiting else "cancelled"


def giving_up(booking: Booking) -> tuple[str, Asking]:
    """What the booking's applicant gives up, as the form posts it, and how they are asked."""
    name = "leave_waitlist" if booking.status == Booking.Status.WAITLISTED else "cancel_own"
    return ACTIONS[name].value, ACTIONS[name].asks
