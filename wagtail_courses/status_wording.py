"""What a booking's status tells its applicant, written once for every page and email.

The manage page, the page an applicant lands on after applying and each email to the
applicant say these sentences for the status they describe (the ``booking_wording`` tag in
``templatetags/wagtail_courses_status.py`` puts them in a template's context), so that the
words are changed here and read the same everywhere. What the applicant may do next is not
decided here: it is read from the transition table (``transitions.actions_for``), and this
module only says how each of those actions is offered.

The sentences keep Django's ``%(name)s`` placeholders, so that their message ids are those the
templates' ``blocktranslate`` gave them: ``place`` (the kind of place, in lower case),
``until`` (when the hold ends), ``position`` (in the waitlist's queue), ``minutes`` (the proof
window) and ``closes`` (the online cancellation cut-off), each already formatted.

A leaf: it imports only ``choices`` and ``transitions``.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wagtail_courses import transitions
from wagtail_courses.choices import ACTIVE_STATUSES
from wagtail_courses.choices import BookingStatus as S

# The sentence every waitlisted applicant reads, on every page and in every email.
WAITLIST = _(
    "You are number %(position)s on the waitlist for a %(place)s. If one becomes free, we will "
    "hold it for you and email you."
)
CONFIRM_PLACE = _("Confirm my email address and place")
CONFIRM_PLACE_LINK = _("Confirm your email address and place")


@dataclass(frozen=True)
class Wording:
    """How one status reads to the applicant.

    ``sentences`` are said wherever the booking is described; ``until_proven`` is added while
    the address is still to be proven. The page after applying is read the moment the
    application is sent: it says ``on_receipt`` instead of ``sentences`` where this gives it,
    under ``heading``, and ``proof_on_receipt`` (not ``until_proven``) for the proof.
    ``confirm`` and ``confirm_link`` name "confirm my address" for a booking in this status
    (on the page's button, in the emails' link); ``confirm_note`` is said over that button
    when the booking is shown in this status. ``before_decision``: the facilitators have not
    yet decided on the application, so the course's "what happens next" still applies.
    """

    sentences: tuple[Promise, ...]
    until_proven: Promise | None = None
    heading: Promise | None = None
    on_receipt: tuple[Promise, ...] | None = None
    proof_on_receipt: Promise | None = None
    confirm: Promise = CONFIRM_PLACE
    confirm_link: Promise = CONFIRM_PLACE_LINK
    confirm_note: Promise | None = None
    before_decision: bool = False


WORDING = {
    S.AWAITING_EMAIL_CONFIRMATION: Wording(
        sentences=(
            _(
                "A %(place)s is held for you until %(until)s. Confirm your email address to "
                "keep it."
            ),
        ),
        # After applying, the proof step below says it all.
        on_receipt=(),
        proof_on_receipt=_(
            "We have held a %(place)s for you and emailed you a link. Follow it within "
            "%(minutes)s minutes to confirm your address and keep the place."
        ),
        before_decision=True,
    ),
    S.AWAITING_APPROVAL: Wording(
        sentences=(
            _(
                "Your place is held while the facilitators read your application. We will "
                "email you when they have decided."
            ),
        ),
        before_decision=True,
    ),
    S.AWAITING_PAYMENT: Wording(
        sentences=(
            _(
                "Your place is held for you until %(until)s. Pay for it by then to keep it, "
                "quoting your reference."
            ),
        ),
        heading=_("Pay for your place"),
        # That page does not show how to pay: the email does.
        on_receipt=(_("We have held a place for you and emailed you how to pay for it."),),
    ),
    S.CONFIRMED: Wording(
        sentences=(_("Your place is confirmed."),),
        heading=_("Your place is confirmed"),
        on_receipt=(),  # the heading says it
    ),
    S.WAITLISTED: Wording(
        sentences=(WAITLIST,),
        until_proven=_("Confirm your email address by %(until)s to keep your place in the queue."),
        heading=_("You are on the waitlist"),
        proof_on_receipt=_(
            "We have emailed you a link. Follow it within %(minutes)s minutes to confirm your "
            "address and keep your place in the queue."
        ),
        # No place yet: proving the address keeps the turn in the queue.
        confirm=_("Confirm my email address"),
        confirm_link=_("Confirm your email address"),
    ),
    S.DECLINED: Wording(sentences=(_("Your application was not accepted."),)),
    S.CANCELLED: Wording(sentences=(_("This booking is cancelled."),)),
    S.EXPIRED: Wording(
        sentences=(_("This booking is expired."),),
        # A lapsed hold not yet marked expired may still be kept (``places.confirm_email``).
        confirm_note=_(
            "The time to confirm ran out, but if your place has not gone to someone else you "
            "can still keep it."
        ),
    ),
}

# Not a status of its own: how a confirmed paid place reads while its invoice is unpaid, on a
# course that confirms invoiced places before the payment arrives (``booking_status``).
INVOICE_OUTSTANDING = "confirmed_invoice_outstanding"
INVOICE_OUTSTANDING_LABEL = _("Confirmed, invoice outstanding")
SHOWN_ONLY = {
    INVOICE_OUTSTANDING: Wording(
        sentences=(
            _(
                "Your place is confirmed, and its invoice will follow: please have it paid, "
                "quoting your booking reference."
            ),
        ),
        heading=WORDING[S.CONFIRMED].heading,
        on_receipt=(),  # the heading says it
    ),
}


def wording_of(shown: str) -> Wording:
    """The wording of a status, or of a way one is shown (``SHOWN_ONLY``)."""
    return SHOWN_ONLY.get(shown) or WORDING[shown]


# The manage page's link, in every email to the applicant whose booking is still active (one
# that has ended, declined, cancelled or expired, has nothing left to see or do there).
MANAGE_LINK = _("See or cancel your booking")
MANAGE_LINK_NOTHING_TO_CANCEL = _("See your booking")
CANCEL_CLOSED = _(
    "It is too close to the course to cancel online. Please contact us to cancel your place."
)


@dataclass(frozen=True)
class Asking:
    """The manage page's "are you sure" before an action that can't be undone: the
    ``question`` (a heading), what will happen (``consequences``), the button that does it
    (``yes``: the second POST) and the link back that does nothing (``back``)."""

    question: Promise
    consequences: tuple[Promise, ...]
    yes: Promise
    back: Promise


@dataclass(frozen=True)
class ActionWording:
    """How the manage page offers one of the applicant's actions. ``value`` is what its form
    posts (``views.manage.act``); ``button`` None: the status's own ``confirm``. ``note`` is
    said over the button when the course has a cancellation cut-off. ``asks``: the page asks
    this before doing it."""

    value: str
    button: Promise | None = None
    heading: Promise | None = None
    note: Promise | None = None
    secondary: bool = True
    asks: Asking | None = None


# You can't undo it: the applicant who changes their mind applies again.
CANT_UNDO = _(
    "You can't undo this. If you change your mind, you would need to apply again, and a place "
    "may not be free then."
)
ACTIONS = {
    "confirm_email": ActionWording("confirm", secondary=False),
    "leave_waitlist": ActionWording(
        "leave_waitlist",
        _("Leave the waitlist"),
        heading=_("Leave the waitlist"),
        asks=Asking(
            question=_("Are you sure you want to leave the waitlist?"),
            consequences=(
                _("You lose your place in the queue, and the next person moves up."),
                CANT_UNDO,
            ),
            yes=_("Yes, leave the waitlist"),
            back=_("No, stay on the waitlist"),
        ),
    ),
    "cancel_own": ActionWording(
        "cancel",
        _("Cancel my booking"),
        heading=_("Cancel your booking"),
        note=_(
            "You can cancel here until %(closes)s. Your place then goes to the next person waiting."
        ),
        asks=Asking(
            question=_("Are you sure you want to cancel your booking?"),
            consequences=(_("Your place goes to the next person waiting for one."), CANT_UNDO),
            yes=_("Yes, cancel my booking"),
            back=_("No, keep my booking"),
        ),
    ),
}


@dataclass(frozen=True)
class Offer:
    """One thing the applicant may do: a button on the manage page (under ``heading``, after
    ``note``; ``closed`` instead of it once it can't be done online), and for "confirm" a
    ``link`` to that page in the emails."""

    action: str
    value: str
    button: str
    heading: str = ""
    link: str = ""
    note: str = ""
    closed: str = ""
    secondary: bool = True


@dataclass(frozen=True)
class Described:
    """A booking as a page or an email describes it: the tag's answer to a template."""

    heading: str
    sentences: list[str]
    proof: str
    offers: list[Offer]
    manage_link: str
    before_decision: bool

    @property
    def email_links(self) -> list[Offer]:
        return [offer for offer in self.offers if offer.link]


def say(sentence: Promise | None, values: dict) -> str:
    """``sentence`` in the active language, with its placeholders filled ("" for none)."""
    return str(sentence) % values if sentence else ""


def sentences(status: str, values: dict, *, unproven: bool, on_receipt: bool) -> list[str]:
    wording = wording_of(status)
    said = wording.sentences
    if on_receipt and wording.on_receipt is not None:
        said = wording.on_receipt
    elif unproven and not on_receipt and wording.until_proven:
        said = (*said, wording.until_proven)
    return [say(sentence, values) for sentence in said]


def offer(action: str, stored: str, shown: str, values: dict, *, may_cancel: bool) -> Offer:
    """How ``action`` is offered on a booking stored as ``stored`` and shown as ``shown`` (a
    lapsed hold is shown expired, but may still be confirmed)."""
    wording = ACTIONS[action]
    if action == "confirm_email":
        return Offer(
            action,
            wording.value,
            say(WORDING[stored].confirm, values),
            link=say(WORDING[stored].confirm_link, values),
            note=say(wording_of(shown).confirm_note, values),
            secondary=wording.secondary,
        )
    return Offer(
        action,
        wording.value,
        say(wording.button, values),
        heading=say(wording.heading, values),
        note=say(wording.note, values) if values.get("closes") else "",
        closed="" if may_cancel else str(CANCEL_CLOSED),
        secondary=wording.secondary,
    )


def offers(
    stored: str, shown: str, values: dict, *, may_confirm: bool, may_cancel: bool
) -> list[Offer]:
    """The applicant's own actions that the table allows on the booking as it is stored, in
    the table's order; "confirm" only while there is an address to prove (``may_confirm``)."""
    return [
        offer(action, stored, shown, values, may_cancel=may_cancel)
        for action in transitions.actions_for(stored, transitions.APPLICANT)
        if action != "confirm_email" or may_confirm
    ]


def describe(
    shown: str,
    values: dict,
    *,
    stored: str,
    unproven: bool,
    may_confirm: bool,
    may_cancel: bool = True,
    on_receipt: bool = False,
) -> Described:
    """What to say of a booking shown as ``shown`` (stored as ``stored``), and what to offer.

    ``unproven``: its address is still to be proven in this status; ``may_cancel``: the
    course's cut-off has not passed; ``on_receipt``: for the page after applying.
    """
    wording = wording_of(shown)
    available = offers(stored, shown, values, may_confirm=may_confirm, may_cancel=may_cancel)
    can_cancel = any(item.action != "confirm_email" for item in available)
    return Described(
        heading=say(wording.heading, values) if on_receipt else "",
        sentences=sentences(shown, values, unproven=unproven, on_receipt=on_receipt),
        proof=say(wording.proof_on_receipt, values) if on_receipt and unproven else "",
        offers=available,
        manage_link=(
            str(MANAGE_LINK if can_cancel else MANAGE_LINK_NOTHING_TO_CANCEL)
            if stored in ACTIVE_STATUSES
            else ""
        ),
        before_decision=wording.before_decision,
    )
