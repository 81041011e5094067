"""Dates typed in the admin as the site's people write them: the locale's way, or ISO.

Wagtail's date picker reads and writes one format, ``WAGTAIL_DATE_FORMAT`` (ISO unless a site
sets it), while Django reads what is typed in the active locale's ``DATE_INPUT_FORMATS``. On an
``en-GB`` site the two disagree: the picker can't read ``11/05/2027`` and, when the field loses
focus, puts today's date in its place. Here the picker is told the locale's first format, read
as each page is drawn so that it follows the editor's language, and it keeps whatever is typed
(``validateOnBlur``): a date that can't be read is the form's error, quoting what was typed.
"""

from datetime import date, datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.datetimepicker import to_datetimepicker_format
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%d %H:%M"
# Written in the format the field asks for, in its error messages.
EXAMPLE = datetime(2027, 5, 11, 14, 0)


def date_format() -> str:
    """The format dates are shown and picked in: the site's choice, else the locale's."""
    return getattr(settings, "WAGTAIL_DATE_FORMAT", None) or get_format("DATE_INPUT_FORMATS")[0]


def datetime_format() -> str:
    return getattr(settings, "WAGTAIL_DATETIME_FORMAT", None) or f"{date_format()} %H:%M"


def date_input_formats() -> list[str]:
    """Every format a date may be typed in: the shown one, the locale's others, and ISO."""
    return list(dict.fromkeys([date_format(), *get_format("DATE_INPUT_FORMATS"), ISO_DATE]))


def datetime_input_formats() -> list[str]:
    return list(
        dict.fromkeys(
            [datetime_format(), *get_format("DATETIME_INPUT_FORMATS"), ISO_DATETIME]
            + [f"{date_form} %H:%M" for date_form in date_input_formats()]
        )
    )


class LocaleFormatMixin:
    """A Wagtail picker widget whose format is the locale's as the page is drawn.

    Django's ``DateInput`` and Wagtail's pickers fix their format once, when the widget is
    made, which is when the form class is defined, before any request chooses a language.
    """

    locale_format = staticmethod(date_format)

    def __init__(self, attrs=None, format=None):
        self.fixed_format = format
        super().__init__(attrs=attrs, format=format)

    # Both are set by the parents' ``__init__``; what they set is ignored.
    @property
    def format(self) -> str:
        return self.fixed_format or self.locale_format()

    @format.setter
    def format(self, value) -> None:
        pass

    @property
    def js_format(self) -> str:
        return to_datetimepicker_format(self.format)

    @js_format.setter
    def js_format(self, value) -> None:
        pass

    def get_config(self) -> dict:
        # Keep what the editor typed when the field loses focus; the form says if it's wrong.
        return {**super().get_config(), "validateOnBlur": False}


class LocaleDateInput(LocaleFormatMixin, AdminDateInput):
    pass


class LocaleDateTimeInput(LocaleFormatMixin, AdminDateTimeInput):
    locale_format = staticmethod(datetime_format)


class QuotingMixin:
    """A date that can't be read is an error that quotes it and shows the format to use."""

    example_format = staticmethod(date_format)
    message = _("“%(value)s” is not a date we can read. Write it as %(example)s.")

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code != "invalid":
                raise
            raise ValidationError(
                self.message,
                code="invalid",
                params={"value": str(value).strip(), "example": self.example()},
            ) from error

    def example(self) -> str:
        return EXAMPLE.strftime(self.example_format())


class LocaleDateField(QuotingMixin, forms.DateField):
    """A date typed as ``dd/mm/yyyy`` on an ``en-GB`` site, or as ``yyyy-mm-dd`` anywhere."""

    widget = LocaleDateInput

    @property
    def input_formats(self) -> list[str]:
        return date_input_formats()


class LocaleDateTimeField(QuotingMixin, forms.DateTimeField):
    """A date and time: ``dd/mm/yyyy hh:mm`` on an ``en-GB`` site, or ISO."""

    widget = LocaleDateTimeInput
    example_format = staticmethod(datetime_format)
    message = _("“%(value)s” is not a date and time we can read. Write it as %(example)s.")

    @property
    def input_formats(self) -> list[str]:
        return datetime_input_formats()


def parse_date(text: str) -> date:
    """One typed date, as ``LocaleDateField`` reads it (for dates typed one a line)."""
    return LocaleDateField().to_python(text)
