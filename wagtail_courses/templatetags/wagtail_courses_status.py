"""``{% booking_wording as wording %}``: what a booking's status tells its applicant, and what
they may do next, for the page or email being rendered (``status_wording`` holds the words).

It reads what the template already has: ``services.applicant.booking_details()`` in the
emails and on the manage page (which adds ``can_confirm``, ``can_cancel`` and
``cancellation_closes``), the booking, its waitlist position and ``proof_minutes`` on the page
after applying. It makes no query: these pages are served to a rush of applicants.
"""

from datetime import datetime, tzinfo

from django import template
from django.utils import formats, timezone

from wagtail_courses.status_wording import Described, describe

register = template.Library()

# How a moment reads in a sentence: "Tuesday 14 May 2024, 15:00", in the course's time zone.
WHEN = "l j F Y, H:i"


def when(moment: datetime | None, zone: tzinfo) -> str:
    return formats.date_format(timezone.localtime(moment, zone), WHEN) if moment else ""


def placeholders(context, booking, zone: tzinfo) -> dict:
    """The values the sentences may need, each formatted as it reads."""
    until = context.get("hold_expires_at", booking.hold_expires_at)
    return {
        "place": str(booking.get_place_type_display()).lower(),
        "until": when(until, zone),
        "position": context.get("waitlist_position") or "",
        "minutes": context.get("proof_minutes") or "",
        "closes": when(context.get("cancellation_closes"), zone),
    }


@register.simple_tag(takes_context=True)
def booking_wording(context, *, on_receipt: bool = False) -> Described | None:
    """The context's booking, described as its ``status`` (an email's, or the booking's as it
    stands now); ``on_receipt`` for the page an applicant lands on after applying."""
    booking = context.get("booking")
    if booking is None:  # Wagtail's own landing page, without a submission
        return None
    course = context.get("course") or context["page"]
    unproven = bool(context.get("needs_proof"))
    return describe(
        # How it reads (``booking_details``' "shown_status": "invoice outstanding" too).
        context.get("shown_status") or context.get("status") or booking.current_status,
        placeholders(context, booking, course.tzinfo),
        stored=booking.status,
        unproven=unproven,
        # Only the manage page acts: elsewhere "confirm" is a link to it, while it applies.
        may_confirm=context.get("can_confirm", unproven),
        may_cancel=context.get("can_cancel", True),
        on_receipt=on_receipt,
    )
