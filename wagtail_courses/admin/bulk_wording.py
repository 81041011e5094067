"""What each bulk action on the Bookings list says (``bulk_actions``): its button, its
confirmation page and the one message after it, each through gettext with its plural forms.

Apart from the actions themselves because every language words "Approved 28 bookings" its own
way: each action has its own whole sentences, never a verb put into a shared one.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


@dataclass(frozen=True)
class Wording:
    button: str  # In the list: "With the selected bookings: [Approve]".
    title: str  # The confirmation page's heading.
    question: str  # With %(count)d, the bookings it will be taken on.
    will: str  # The heading of those it will be taken on…
    wont: str  # … and of those it can't, each with why.
    none_can: str  # When it can be taken on none of them.
    submit: str
    done: str  # With %(count)d.
    none_done: str
    not_done: str  # With %(count)d and %(bookings)s: "ABC123 (cancelled), DEF456 (confirmed)".


WORDING = {
    "approve": Wording(
        button=_("Approve"),
        title=_("Approve the selected applications"),
        question=ngettext_lazy(
            "Approve this application? Its applicant is emailed: their place is confirmed, or "
            "held for them to pay for.",
            "Approve these %(count)d applications? Each applicant is emailed: their place is "
            "confirmed, or held for them to pay for.",
            "count",
        ),
        will=_("To be approved"),
        wont=_("Can't be approved"),
        none_can=_("None of the selected bookings can be approved: nothing will be changed."),
        submit=_("Approve"),
        done=ngettext_lazy("Approved %(count)d booking.", "Approved %(count)d bookings.", "count"),
        none_done=_("No booking was approved."),
        not_done=ngettext_lazy(
            "%(count)d could not be approved: %(bookings)s.",
            "%(count)d could not be approved: %(bookings)s.",
            "count",
        ),
    ),
    "decline": Wording(
        button=_("Decline"),
        title=_("Decline the selected applications"),
        question=ngettext_lazy(
            "Decline this application? Its applicant is emailed, and any place they hold goes "
            "to the next person on the waitlist.",
            "Decline these %(count)d applications? Each applicant is emailed, and any place "
            "they hold goes to the next person on the waitlist.",
            "count",
        ),
        will=_("To be declined"),
        wont=_("Can't be declined"),
        none_can=_("None of the selected bookings can be declined: nothing will be changed."),
        submit=_("Decline"),
        done=ngettext_lazy("Declined %(count)d booking.", "Declined %(count)d bookings.", "count"),
        none_done=_("No booking was declined."),
        not_done=ngettext_lazy(
            "%(count)d could not be declined: %(bookings)s.",
            "%(count)d could not be declined: %(bookings)s.",
            "count",
        ),
    ),
    "mark_paid": Wording(
        button=_("Mark paid"),
        title=_("Mark the selected bookings paid"),
        question=ngettext_lazy(
            "Record that this booking has been paid for? If its place is waiting only for "
            "payment, it is confirmed and its applicant is emailed. No amount or reference is "
            "recorded: for those, mark each paid from its own page.",
            "Record that these %(count)d bookings have been paid for? Each place waiting only "
            "for payment is confirmed, and its applicant emailed. No amount or reference is "
            "recorded: for those, mark each paid from its own page.",
            "count",
        ),
        will=_("To be marked paid"),
        wont=_("Can't be marked paid"),
        none_can=_("None of the selected bookings can be marked paid: nothing will be changed."),
        submit=_("Mark paid"),
        done=ngettext_lazy(
            "Marked %(count)d booking paid.", "Marked %(count)d bookings paid.", "count"
        ),
        none_done=_("No booking was marked paid."),
        not_done=ngettext_lazy(
            "%(count)d could not be marked paid: %(bookings)s.",
            "%(count)d could not be marked paid: %(bookings)s.",
            "count",
        ),
    ),
    "cancel": Wording(
        button=_("Cancel"),
        title=_("Cancel the selected bookings"),
        question=ngettext_lazy(
            "Cancel this booking? Its applicant is emailed, and the place goes to the next "
            "person on the waitlist.",
            "Cancel these %(count)d bookings? Each applicant is emailed, and each place goes "
            "to the next person on the waitlist.",
            "count",
        ),
        will=_("To be cancelled"),
        wont=_("Can't be cancelled"),
        none_can=_("None of the selected bookings can be cancelled: nothing will be changed."),
        submit=_("Cancel bookings"),
        done=ngettext_lazy(
            "Cancelled %(count)d booking.", "Cancelled %(count)d bookings.", "count"
        ),
        none_done=_("No booking was cancelled."),
        not_done=ngettext_lazy(
            "%(count)d could not be cancelled: %(bookings)s.",
            "%(count)d could not be cancelled: %(bookings)s.",
            "count",
        ),
    ),
    "email": Wording(
        button=_("Email"),
        title=_("Email the selected applicants"),
        question=ngettext_lazy(
            "Email this booking's applicant? They get your subject and message, with their "
            "booking's reference and the link to it.",
            "Email the applicants of these %(count)d bookings? Each gets your subject and "
            "message, with their booking's reference and the link to it.",
            "count",
        ),
        will=_("To be emailed"),
        wont=_("Can't be emailed"),
        none_can=_("None of the selected applicants can be emailed: nothing will be sent."),
        submit=_("Send the email"),
        done=ngettext_lazy(
            "Emailed %(count)d applicant.", "Emailed %(count)d applicants.", "count"
        ),
        none_done=_("No applicant was emailed."),
        not_done=ngettext_lazy(
            "%(count)d could not be emailed: %(bookings)s.",
            "%(count)d could not be emailed: %(bookings)s.",
            "count",
        ),
    ),
}


def summary(wording: Wording, done: list, not_done: list[tuple]) -> str:
    """The one message after an action: how many it was taken on, and which it was not (with
    why). ``not_done`` holds ``(booking, why)``."""
    said = [wording.done % {"count": len(done)} if done else str(wording.none_done)]
    if not_done:
        bookings = ", ".join(f"{booking.reference} ({why})" for booking, why in not_done)
        said.append(wording.not_done % {"count": len(not_done), "bookings": bookings})
    return " ".join(said)
