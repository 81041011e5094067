"""A course's booking rules: its places, the staff free-place quota, approval, payment, holds."""

from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from wagtail_courses.change_notice_panel import ChangeNoticePanel
from wagtail_courses.email_domains import parse_domains
from wagtail_courses.models.settings import RETENTION_MAX_MONTHS, RETENTION_MIN_MONTHS
from wagtail_courses.panels import RetentionPanel, StandingPanel

REFERENCE_PLACEHOLDER = "{reference}"


class BookingRules(models.Model):
    """The places on a course and how they are given out (an abstract part of ``EventPage``).

    The staff free places are a quota inside the capacity, kept for staff: paid places are the
    capacity less the staff free places. Staff may take a paid place too.
    """

    class PaymentMethod(models.TextChoices):
        NONE = "none", _("No payment is taken through this site")
        LINK = "link", _("A payment link (the booking reference is added to it)")
        INVOICE = "invoice", _("An invoice, as the payment instructions say")

    class InvoiceQuestion(models.TextChoices):
        REQUIRED = "required", _("Asked, and must be answered")
        OPTIONAL = "optional", _("Asked, and may be left blank")
        NOT_ASKED = "not_asked", _("Not asked")

    class FacilitatorUpdates(models.TextChoices):
        EACH = "each", _("An email for each change")
        DAILY = "daily", _("One summary a day")
        NONE = "none", _("None")

    capacity = models.PositiveIntegerField(
        verbose_name=_("places"),
        null=True,
        blank=True,
        help_text=_("How many people the course takes, in all. Leave blank for no limit."),
    )
    staff_free_places = models.PositiveIntegerField(
        verbose_name=_("staff free places"),
        default=0,
        help_text=_(
            "Free places kept for the organisation's own staff, first come, first served. "
            "They are part of the places above."
        ),
    )
    staff_email_domains = models.TextField(
        verbose_name=_("staff email domains"),
        blank=True,
        help_text=_(
            "Who counts as staff for this course, by work email domain, one per line (such as "
            "nhs.net). Leave blank to use the domains in Settings > Courses."
        ),
    )
    requires_approval = models.BooleanField(
        verbose_name=_("applications need approval"),
        default=False,
        help_text=_(
            "Facilitators or editors approve or decline each application in Bookings before "
            "the place is confirmed (or paid for)."
        ),
    )
    payment_method = models.CharField(
        verbose_name=_("how a paid place is paid"),
        max_length=20,
        choices=PaymentMethod.choices,
        default=PaymentMethod.NONE,
    )
    payment_url = models.URLField(
        verbose_name=_("payment link"),
        max_length=2000,
        blank=True,
        help_text=_(
            "The booking reference is added as ?reference=…, or where you write {reference}."
        ),
    )
    payment_instructions = models.TextField(
        verbose_name=_("payment instructions"),
        blank=True,
        max_length=2000,
        help_text=_("Sent to applicants asked to pay: who to pay, how, and by when."),
    )
    invoice_organisation_question = models.CharField(
        verbose_name=_("organisation to invoice"),
        max_length=20,
        choices=InvoiceQuestion.choices,
        default=InvoiceQuestion.REQUIRED,
        help_text=_("Whether the form asks, when the course is paid by invoice."),
    )
    purchase_order_question = models.CharField(
        verbose_name=_("purchase order number"),
        max_length=20,
        choices=InvoiceQuestion.choices,
        default=InvoiceQuestion.OPTIONAL,
        help_text=_("Whether the form asks, when the course is paid by invoice."),
    )
    confirm_before_invoice_paid = models.BooleanField(
        verbose_name=_("confirm invoiced places before payment arrives"),
        default=False,
        help_text=_(
            "The place is confirmed once approved (or once the address is proven), and reads "
            "“confirmed, invoice outstanding” until it is marked paid: NHS purchase orders are "
            "often paid weeks later."
        ),
    )
    payment_hold_days = models.PositiveIntegerField(
        verbose_name=_("days to pay for a place"),
        default=14,
        validators=[MinValueValidator(1)],
        help_text=_("A paid place not marked paid within this time is freed."),
    )
    cancellation_cutoff_hours = models.PositiveIntegerField(
        verbose_name=_("online cancellation closes (hours before the first session)"),
        default=48,
        help_text=_("After this, applicants are asked to contact you to cancel."),
    )
    facilitator_updates = models.CharField(
        verbose_name=_("facilitators are told"),
        max_length=20,
        choices=FacilitatorUpdates.choices,
        default=FacilitatorUpdates.EACH,
        help_text=_(
            "When an applicant confirms a place, cancels, or takes a place from the waitlist. "
            "New applications are always sent to them."
        ),
    )
    joining_link = models.URLField(
        verbose_name=_("online joining link"),
        max_length=2000,
        blank=True,
        help_text=_(
            "Private: only confirmed attendees see it, in their emails and on their booking "
            "page. It is never shown on the course page."
        ),
    )
    retention_months = models.PositiveSmallIntegerField(
        verbose_name=_("months to keep applicants' personal data"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(RETENTION_MIN_MONTHS),
            MaxValueValidator(RETENTION_MAX_MONTHS),
        ],
        help_text=_(
            "This many months after the course's last session, its applicants' names, email "
            "addresses, answers and emails are anonymised; places, statuses and payments are "
            "kept. Leave blank to use the period in Settings > Courses."
        ),
    )

    places_panels = [
        StandingPanel(heading=_("Where the course stands")),
        FieldRowPanel(
            [FieldPanel("capacity"), FieldPanel("staff_free_places")], heading=_("Places")
        ),
        FieldPanel("staff_email_domains"),
        FieldPanel("requires_approval"),
        FieldPanel("facilitator_updates"),
        MultiFieldPanel(
            [
                FieldPanel("payment_method"),
                FieldPanel("payment_url"),
                FieldPanel("payment_instructions"),
                FieldRowPanel(
                    [
                        FieldPanel("invoice_organisation_question"),
                        FieldPanel("purchase_order_question"),
                    ],
                    heading=_("When paid by invoice, the form asks for"),
                ),
                FieldPanel("confirm_before_invoice_paid"),
            ],
            heading=_("Payment"),
        ),
        FieldRowPanel(
            [
                FieldPanel("payment_hold_days"),
                FieldPanel("cancellation_cutoff_hours"),
            ],
            heading=_("Time limits"),
        ),
        FieldPanel("joining_link"),
        ChangeNoticePanel(heading=_("Tell the attendees of a new joining link")),
        MultiFieldPanel(
            [FieldPanel("retention_months"), RetentionPanel()],
            heading=_("Personal data"),
        ),
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        if self.capacity is not None and self.staff_free_places > self.capacity:
            errors["staff_free_places"] = _(
                "There can be no more staff free places than places (%(capacity)s)."
            ) % {"capacity": self.capacity}
        if self.payment_method == self.PaymentMethod.LINK and not self.payment_url:
            errors["payment_url"] = _("Enter the payment link, or choose another way to pay.")
        if self.payment_method == self.PaymentMethod.INVOICE and not self.payment_instructions:
            errors["payment_instructions"] = _("Tell applicants how the invoice will reach them.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_staff_places(self) -> bool:
        return self.staff_free_places > 0

    @property
    def needs_payment(self) -> bool:
        """Whether a paid place waits for payment before it is confirmed."""
        return self.payment_method != self.PaymentMethod.NONE and self.price > 0

    @property
    def pays_by_invoice(self) -> bool:
        return self.payment_method == self.PaymentMethod.INVOICE and self.price > 0

    @property
    def confirms_before_payment(self) -> bool:
        """An invoiced place is confirmed at once, its invoice outstanding until marked paid."""
        return self.pays_by_invoice and self.confirm_before_invoice_paid

    @property
    def payment_hold(self) -> timedelta:
        return timedelta(days=self.payment_hold_days)

    def staff_domains(self, site_domains: str = "") -> list[str]:
        """The course's own staff domains, or else the site's."""
        return parse_domains(self.staff_email_domains or site_domains)

    def payment_link(self, reference: str) -> str:
        """The payment link with the booking reference in it, for the payment provider."""
        if not (self.payment_method == self.PaymentMethod.LINK and self.payment_url):
            return ""
        if REFERENCE_PLACEHOLDER in self.payment_url:
            return self.payment_url.replace(REFERENCE_PLACEHOLDER, reference)
        parts = urlsplit(self.payment_url)
        query = [*parse_qsl(parts.query, keep_blank_values=True), ("reference", reference)]
        return urlunsplit(parts._replace(query=urlencode(query)))
