"""The application form on a course page: the editor's questions, with the fields the app owns.

Every application asks for a name, an email address and consent to the privacy notice, so
these are not left to editors. Two hidden fields stop simple bots (a honeypot a person never
sees, and a signed time the form was shown), and a one-off token makes a form posted twice
give one booking.
"""

import secrets
import time
from collections import OrderedDict

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

from wagtail_courses import conf
from wagtail_courses.models.booking_rules import email_domain_matches
from wagtail_courses.place_choice import PLACE, place_field, wants_staff_place

NAME, EMAIL, CONSENT = "wc_name", "wc_email", "wc_consent"
# A name browsers' autofill has no guess for: a filled honeypot must mean a bot.
HONEYPOT, SHOWN_AT, TOKEN = "wc_leave_empty", "wc_shown_at", "wc_token"
HIDDEN_FIELDS = {HONEYPOT, SHOWN_AT, TOKEN}
OWN_FIELDS = {NAME, EMAIL, PLACE, CONSENT, *HIDDEN_FIELDS}

# Long enough for any real answer, short enough that no post can fill the database.
MULTILINE_MAX_LENGTH = 5000
SIGNING_SALT = "wagtail_courses.application_form"


class AlwaysEmptyInput(forms.TextInput):
    """Never shows a value back: a person who can't see the honeypot can't clear it either."""

    def format_value(self, value):
        return None


class ApplicationFormBase(BaseForm):
    """What every application form checks, whatever the editor asked."""

    def __init__(
        self, *args, privacy_notice: str = "", course=None, places=None, staff_domains=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.staff_domains = list(staff_domains)
        self.availability = places  # what the place question was built from
        if course is not None and places is not None:
            self.add_place_question(place_field(course, places))
        if privacy_notice:
            self.fields[CONSENT].help_text = privacy_notice
        if not self.is_bound:
            self.initial[SHOWN_AT] = signing.dumps(time.time(), salt=SIGNING_SALT)
            self.initial[TOKEN] = secrets.token_urlsafe(24)
        self.describe_fields()

    def add_place_question(self, field) -> None:
        """Put the place question straight after the applicant's email address."""
        if field is None:
            return
        fields = list(self.fields.items())
        at = [name for name, _field in fields].index(EMAIL) + 1
        self.fields = OrderedDict([*fields[:at], (PLACE, field), *fields[at:]])

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get(EMAIL)
        if email and wants_staff_place(cleaned.get(PLACE, "")):
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
            described_by = [f"{self.auto_id % name}-help"] if field.help_text else []
            if name in errors:
                described_by.insert(0, f"{self.auto_id % name}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)

    def full_clean(self):
        super().full_clean()
        self.describe_fields()

    @property
    def looks_automated(self) -> bool:
        """True for a post a person did not fill in: honeypot filled, hidden fields tampered
        with, or sent implausibly fast."""
        if self.data.get(HONEYPOT) or any(name in self.errors for name in HIDDEN_FIELDS):
            return True
        try:
            shown_at = float(signing.loads(self.data.get(SHOWN_AT, ""), salt=SIGNING_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            return True
        return time.time() - shown_at < conf.get_setting("MIN_FILL_SECONDS")

    def consent_text(self) -> str:
        """The consent box's words and the privacy notice beside it, as the applicant saw them."""
        field = self.fields[CONSENT]
        return "\n\n".join(str(part) for part in (field.label, field.help_text) if part)

    def answers(self) -> dict:
        """The editor's questions and their answers, as stored on the booking."""
        return {name: value for name, value in self.cleaned_data.items() if name not in OWN_FIELDS}


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
