"""The application form on a course page: the editor's questions, with the fields the app owns.

Every application asks for a name, an email address and consent to the privacy notice, so
these are not left to editors. Two hidden fields stop simple bots (a honeypot a person never
sees, and a signed time the form was shown), and a one-off token makes a form posted twice
give one booking. The time is signed together with the token, and is good for
``WAGTAIL_COURSES_FORM_MAX_AGE`` seconds: one page view's signed time can't be replayed with
fresh tokens on many posts, nor kept for ever. What the visitor typed loses its control
characters before anything checks it (``plain_text``): it goes into plain-text emails.

A course paid by invoice (as NHS organisations pay) also asks for the organisation to invoice
and a purchase order number, each required, optional or not asked as the course says; a staff
free place is invoiced to nobody, so neither is needed for one.
"""

import math
import secrets
import time
from collections import OrderedDict

from django import forms
from django.core import signing
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

from wagtail_courses import conf
from wagtail_courses.email_domains import email_domain_matches
from wagtail_courses.form_accessibility import describe_by
from wagtail_courses.place_choice import (
    PLACE,
    WAITLIST_OK,
    place_field,
    waitlist_field,
    wants_staff_place,
)
from wagtail_courses.text import multi_line, single_line

NAME, EMAIL, CONSENT = "wc_name", "wc_email", "wc_consent"
INVOICE_ORGANISATION, PURCHASE_ORDER = "wc_invoice_organisation", "wc_purchase_order"
INVOICE_FIELDS = (INVOICE_ORGANISATION, PURCHASE_ORDER)
# A name browsers' autofill has no guess for: a filled honeypot must mean a bot.
HONEYPOT, SHOWN_AT, TOKEN = "wc_leave_empty", "wc_shown_at", "wc_token"
HIDDEN_FIELDS = {HONEYPOT, SHOWN_AT, TOKEN}
# "Email the applicant", on the admin's form for a booking taken by hand (admin.manual_bookings).
NOTIFY = "wc_notify"
OWN_FIELDS = {NAME, EMAIL, PLACE, WAITLIST_OK, *INVOICE_FIELDS, CONSENT, NOTIFY, *HIDDEN_FIELDS}
# ``BookingRules.InvoiceQuestion``'s values (the models are above this module).
ASKED_AND_REQUIRED, NOT_ASKED = "required", "not_asked"

# Long enough for any real answer, short enough that no post can fill the database.
MULTILINE_MAX_LENGTH = 5000
SIGNING_SALT = "wagtail_courses.application_form"


def signed_shown_at(token: str, shown_at: float | None = None) -> str:
    """The form's "shown at" value: when it was shown (now, by default), signed with its token."""
    return signing.dumps([time.time() if shown_at is None else shown_at, token], salt=SIGNING_SALT)


def fresh_hidden_values() -> dict[str, str]:
    """A new one-off token, and the time the form is shown signed with it."""
    token = secrets.token_urlsafe(24)
    return {SHOWN_AT: signed_shown_at(token), TOKEN: token}


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class AlwaysEmptyInput(forms.TextInput):
    """Never shows a value back: a person who can't see the honeypot can't clear it either."""

    def format_value(self, value):
        return None


class ApplicationFormBase(BaseForm):
    """What every application form checks, whatever the editor asked."""

    # The ids the page gives each field's help and error (``describe_fields``): the course
    # page's own. The admin's form for a booking taken by hand uses Wagtail's.
    help_suffix, error_suffix = "-help", "-error"

    def __init__(
        self, *args, privacy_notice: str = "", course=None, places=None, staff_domains=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.staff_domains = list(staff_domains)
        self.availability = places  # what the place question was built from
        if course is not None and places is not None:
            self.add_place_question(place_field(course, places))
        # The invoice questions a paid place must answer, though a staff free place needn't.
        self.needed_for_paid_place: list[str] = []
        if course is not None and course.pays_by_invoice:
            self.add_invoice_questions(course)
        if privacy_notice:
            self.fields[CONSENT].help_text = privacy_notice
        if self.is_bound:
            self.data = self.plain_text(self.data)
        else:
            self.initial.update(fresh_hidden_values())
        self.describe_fields()

    def plain_text(self, data):
        """What the visitor typed, without control characters, before any field checks it.

        A multi-line answer keeps its line breaks (as ``\\n``) and tabs; every other value is
        put on one line, so a name can't start a line of its own in the facilitators' email.
        The hidden fields are checked as they came: tampering with them must show.
        """
        cleaned = data.copy()
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            if name in HIDDEN_FIELDS or key not in data:
                continue
            tidy = multi_line if isinstance(field.widget, forms.Textarea) else single_line
            if hasattr(data, "getlist"):
                cleaned.setlist(key, [_tidy(tidy, value) for value in data.getlist(key)])
            else:
                cleaned[key] = _tidy(tidy, data[key])
        return cleaned

    def renewed_data(self):
        """The visitor's answers with new hidden values: the form to send again."""
        data = self.data.copy()
        for name, value in fresh_hidden_values().items():
            data[self.add_prefix(name)] = value
        return data

    def add_place_question(self, field) -> None:
        """Put the place question straight after the applicant's email address, and after it
        whether to wait if no place of that kind is left when the form is sent."""
        if field is None:
            return
        self.insert_after(EMAIL, [(PLACE, field), (WAITLIST_OK, waitlist_field())])

    def add_invoice_questions(self, course) -> None:
        """The organisation to invoice and the purchase order number, after the place
        question (or the email address), as the course asks for them."""
        asked = invoice_questions(course)
        if course.has_staff_places:
            # Required of a paid place only: checked in ``clean``, once the place is known.
            for name, field in asked:
                if field.required:
                    field.required = False
                    field.help_text = _("%(help)s Not needed for a staff free place.") % {
                        "help": field.help_text
                    }
                    self.needed_for_paid_place.append(name)
        self.insert_after(WAITLIST_OK if WAITLIST_OK in self.fields else EMAIL, asked)

    def insert_after(self, after: str, asked: list[tuple[str, forms.Field]]) -> None:
        fields = list(self.fields.items())
        at = [name for name, _field in fields].index(after) + 1
        self.fields = OrderedDict([*fields[:at], *asked, *fields[at:]])

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get(EMAIL)
        staff_place = wants_staff_place(cleaned.get(PLACE, ""))
        for name in self.needed_for_paid_place:
            if not staff_place and not cleaned.get(name) and name not in self.errors:
                self.add_error(name, self.fields[name].error_messages["required"])
        if email and staff_place:
            if not self.staff_domains:
                self.add_error(
                    PLACE,
                    _(
                        "Staff free places can't be applied for online. Choose a paid "
                        "place, or contact us."
                    ),
                )
            elif not email_domain_matches(email, self.staff_domains):
                self.add_error(
                    EMAIL,
                    _(
                        "A staff free place needs your work email address (ending "
                        "%(domains)s). Use that address, or choose a paid place."
                    )
                    % {"domains": _(" or ").join(self.staff_domains)},
                )
        return cleaned

    def add_error(self, field, error):
        super().add_error(field, error)
        self.describe_fields()

    def describe_fields(self) -> None:
        """Tie each input to its help and its error, so they are read out with it.

        A group of radio buttons or checkboxes is described on its fieldset instead (in the
        template), not on every input in it.
        """
        errors = self._errors or {}
        for name, field in self.fields.items():
            if field.widget.use_fieldset:
                continue
            auto_id = self.auto_id % name
            describe_by(
                field.widget,
                f"{auto_id}{self.error_suffix}" if name in errors else None,
                f"{auto_id}{self.help_suffix}" if field.help_text else None,
            )

    def full_clean(self):
        super().full_clean()
        self.describe_fields()

    @cached_property
    def shown_at(self) -> float | None:
        """When the form was shown, read from its signed value; None if that isn't ours.

        The time must have been signed with this form's token. A bare signed time (from a page
        shown before the two were signed together) counts as shown long ago, so that whoever
        had it open is asked to send the form again rather than taken for a bot.
        """
        try:
            signed = signing.loads(self.data.get(SHOWN_AT, ""), salt=SIGNING_SALT)
        except (signing.BadSignature, TypeError, ValueError):
            return None
        if _is_number(signed):
            return 0.0
        if isinstance(signed, list) and len(signed) == 2:
            shown_at, token = signed
            if _is_number(shown_at) and token == self.data.get(TOKEN):
                return float(shown_at)
        return None

    @property
    def looks_automated(self) -> bool:
        """True for a post a person did not fill in: honeypot filled, hidden fields tampered
        with or not belonging together, or sent implausibly fast."""
        if self.data.get(HONEYPOT) or any(name in self.errors for name in HIDDEN_FIELDS):
            return True
        if self.shown_at is None:
            return True
        return time.time() - self.shown_at < conf.min_fill_seconds()

    @property
    def has_expired(self) -> bool:
        """True for a form kept open longer than ``WAGTAIL_COURSES_FORM_MAX_AGE``: a person's,
        to be shown again with their answers (see ``renewed_data``), not refused as a bot's."""
        if self.shown_at is None:
            return False
        return time.time() - self.shown_at > conf.form_max_age()

    def consent_text(self) -> str:
        """The consent box's words and the privacy notice beside it, as the applicant saw them."""
        field = self.fields[CONSENT]
        return "\n\n".join(str(part) for part in (field.label, field.help_text) if part)

    def answers(self) -> dict:
        """The editor's questions and their answers, as stored on the booking."""
        return {name: value for name, value in self.cleaned_data.items() if name not in OWN_FIELDS}


def _tidy(tidy, value):
    return tidy(value) if isinstance(value, str) else value


def invoice_questions(course) -> list[tuple[str, forms.Field]]:
    """The invoice questions ``course`` asks (``invoice_organisation_question`` and
    ``purchase_order_question``), each required or not as it says. The lengths are the
    booking's columns."""
    fields = [
        (
            INVOICE_ORGANISATION,
            course.invoice_organisation_question,
            forms.CharField(
                label=_("Organisation to invoice"),
                max_length=255,
                help_text=_("The organisation that pays for your place, as the invoice names it."),
                error_messages={"required": _("Enter the organisation to invoice.")},
                widget=forms.TextInput(attrs={"autocomplete": "organization"}),
            ),
        ),
        (
            PURCHASE_ORDER,
            course.purchase_order_question,
            forms.CharField(
                label=_("Purchase order number"),
                max_length=100,
                help_text=_("The number of the purchase order your organisation raised."),
                error_messages={"required": _("Enter the purchase order number.")},
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            ),
        ),
    ]
    asked = []
    for name, question, field in fields:
        if question != NOT_ASKED:
            field.required = question == ASKED_AND_REQUIRED
            asked.append((name, field))
    return asked


class ApplicationFormBuilder(FormBuilder):
    """Wagtail's form builder, with the app's own fields around the editor's questions."""

    def create_multiline_field(self, field, options):
        options["max_length"] = MULTILINE_MAX_LENGTH
        return super().create_multiline_field(field, options)

    def create_url_field(self, field, options):
        options["max_length"] = 2000
        return super().create_url_field(field, options)

    def create_hidden_field(self, field, options):
        options["max_length"] = 255
        return super().create_hidden_field(field, options)

    def create_number_field(self, field, options):
        # Wagtail's number is a DecimalField with no bound on its digits.
        options["max_digits"] = 30
        return super().create_number_field(field, options)

    @property
    def formfields(self):
        fields = OrderedDict(
            [
                (
                    NAME,
                    forms.CharField(
                        label=_("Full name"),
                        max_length=200,
                        widget=forms.TextInput(attrs={"autocomplete": "name"}),
                    ),
                ),
                (
                    EMAIL,
                    forms.EmailField(
                        label=_("Email address"),
                        max_length=254,
                        help_text=_("We send your confirmation here."),
                        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                    ),
                ),
            ]
        )
        for name, field in super().formfields.items():
            if name not in OWN_FIELDS:  # an editor's "wc_name" must not replace ours
                fields[name] = field
        fields[CONSENT] = forms.BooleanField(
            label=_("I agree to my answers being stored and shared as the privacy notice says"),
            error_messages={"required": _("Tick this box to send your application.")},
        )
        fields[HONEYPOT] = forms.CharField(
            label=_("Leave this empty"),
            required=False,
            max_length=200,
            widget=AlwaysEmptyInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        fields[SHOWN_AT] = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
        fields[TOKEN] = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
        return fields

    def get_form_class(self):
        return type("ApplicationForm", (ApplicationFormBase,), self.formfields)
