"""The form of "Mark paid" (``actions.MarkPaidView``): how much came in, and the invoice or
payment reference, both kept on the booking (``services.payments``) and shown on its page."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail_courses.text import single_line

# What ``Booking.paid_amount`` holds: eight digits, two of them pence.
MOST = Decimal("999999.99")


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount paid"),
        min_value=0,
        max_value=MOST,
        max_digits=8,
        decimal_places=2,
        required=False,
        help_text=_("Filled in with the course's price. Left empty, the price is recorded."),
    )
    reference = forms.CharField(
        label=_("Invoice or payment reference"),
        max_length=100,
        required=False,
        help_text=_("For finance to find the payment: an invoice number or a receipt's."),
    )

    def for_course(self, course) -> "PaymentForm":
        """Filled in with the course's price, in its currency."""
        amount = self.fields["amount"]
        amount.initial = course.price
        amount.label = _("Amount paid (%(currency)s)") % {"currency": course.currency}
        return self

    def clean_reference(self) -> str:
        # Pasted from a spreadsheet with its tab or line break: one line, as finance typed it.
        return single_line(self.cleaned_data["reference"])
