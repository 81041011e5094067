"""A booking's state machine, written down once: action → from-states → to-states → who may.

Everything that changes a status, or offers to, reads this table: ``services.places`` refuses a
change the table doesn't allow, the Bookings admin shows an action only where it applies, and
the applicant's manage page and the templates offer only the applicant's own actions.

Where an action has more than one to-state, the course's rules pick one (``services.places``):
a new application is held until its address is proven, or waits on the waitlist; a proven
address goes on to approval, payment or a confirmed place.
"""

from dataclasses import dataclass

from wagtail_courses.choices import ACTIVE_STATUSES, HOLDING_STATUSES
from wagtail_courses.choices import BookingStatus as S

# Who may: the applicant (through the signed link in their emails), the app itself (a hold
# running out, a place passed on), or a staff user holding one of the app's permissions.
APPLICANT = "applicant"
SYSTEM = "system"
MANAGE_PLACES = "manage_places"
CANCEL_BOOKING = "cancel_booking"

NEW = ""  # Before the booking exists: the from-state of an application.

# An address is proven, and a place confirmed, before a decision on it becomes a cancellation.
UNDECIDED = frozenset({S.AWAITING_EMAIL_CONFIRMATION, S.AWAITING_APPROVAL, S.WAITLISTED})
# Where a place given (or passed on) goes: proof first, then the course's approval or payment.
PLACED = tuple(HOLDING_STATUSES)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    targets: tuple[str, ...]
    who: str

    def allows(self, status: str) -> bool:
        return status in self.sources


TABLE = [
    Transition("apply", frozenset({NEW}), (S.AWAITING_EMAIL_CONFIRMATION, S.WAITLISTED), APPLICANT),
    # A waitlisted applicant proves the address too, and stays where they are in the queue.
    Transition(
        "confirm_email",
        frozenset({S.AWAITING_EMAIL_CONFIRMATION, S.WAITLISTED}),
        (*PLACED[1:], S.WAITLISTED, S.EXPIRED),
        APPLICANT,
    ),
    Transition("leave_waitlist", frozenset({S.WAITLISTED}), (S.CANCELLED,), APPLICANT),
    # Until the course's online cancellation cut-off (``applicant.can_cancel_online``).
    Transition("cancel_own", frozenset(HOLDING_STATUSES), (S.CANCELLED,), APPLICANT),
    Transition(
        "approve",
        frozenset({S.AWAITING_APPROVAL}),
        (S.AWAITING_PAYMENT, S.CONFIRMED),
        MANAGE_PLACES,
    ),
    Transition("decline", UNDECIDED, (S.DECLINED,), MANAGE_PLACES),
    # Paid before approval (it stays awaiting approval), within the hold, or after it ran out
    # (if the place is still free); or a payment for a place confirmed without one.
    Transition(
        "mark_paid",
        frozenset({S.AWAITING_APPROVAL, S.AWAITING_PAYMENT, S.CONFIRMED, S.EXPIRED}),
        (S.AWAITING_APPROVAL, S.CONFIRMED),
        MANAGE_PLACES,
    ),
    Transition("offer_place", frozenset({S.WAITLISTED}), PLACED, MANAGE_PLACES),
    Transition("cancel", frozenset(ACTIVE_STATUSES), (S.CANCELLED,), CANCEL_BOOKING),
    # A hold (or an unproven waitlist entry) whose time ran out.
    Transition(
        "expire",
        frozenset({S.AWAITING_EMAIL_CONFIRMATION, S.AWAITING_PAYMENT, S.WAITLISTED}),
        (S.EXPIRED,),
        SYSTEM,
    ),
    # A freed place, to the first person waiting for its kind.
    Transition("pass_on", frozenset({S.WAITLISTED}), PLACED, SYSTEM),
]
TRANSITIONS = {transition.action: transition for transition in TABLE}


def transition(action: str) -> Transition:
    return TRANSITIONS[action]


def allows(action: str, status: str) -> bool:
    return TRANSITIONS[action].allows(status)


def actions_for(status: str, who: str) -> list[str]:
    """The actions ``who`` may take on a booking in ``status``, in the table's order."""
    return [t.action for t in TABLE if t.who == who and t.allows(status)]
