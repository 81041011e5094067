"""What "Mark paid" records on a booking: when, how much came in, and the invoice or payment
reference that finance will look for, worded the same way in its history and on its page.

Written by ``places.mark_paid``, under the course's lock, with the change of status it makes.
Marked paid without an amount (the Bookings list's bulk "Mark paid"), a place is taken to be
paid at the course's price, as the single "Mark paid" form suggests; it is still the amount
recorded, and corrected by no one but finance if it differs.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from wagtail_courses.formatting.currency import SYMBOLS
from wagtail_courses.models import EventPage
from wagtail_courses.text import single_line


def amount_text(amount: Decimal | None, currency: str) -> str:
    """To the penny, as a receipt reads: "£120.00", "£0.00", "120.00 CHF"; "—" for none."""
    if amount is None:
        return "—"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{amount:,.2f}" if symbol else f"{amount:,.2f} {currency}"


@dataclass(frozen=True)
class Payment:
    at: datetime
    amount: Decimal
    reference: str
    currency: str

    @property
    def fields(self) -> dict:
        """The booking's fields that hold it."""
        return {
            "paid_at": self.at,
            "paid_amount": self.amount,
            "payment_reference": self.reference,
        }

    @property
    def reason(self) -> str:
        """Its line in the booking's history: "Marked paid: £120.00, reference INV-123"."""
        values = {"amount": amount_text(self.amount, self.currency), "reference": self.reference}
        if self.reference:
            return _("Marked paid: %(amount)s, reference %(reference)s") % values
        return _("Marked paid: %(amount)s") % values


def payment(
    course: EventPage, *, at: datetime, amount: Decimal | None = None, reference: str = ""
) -> Payment:
    """A payment for a place on ``course``: at its price unless ``amount`` says otherwise."""
    return Payment(
        at=at,
        amount=course.price if amount is None else amount,
        reference=single_line(reference or ""),
        currency=course.currency,
    )
