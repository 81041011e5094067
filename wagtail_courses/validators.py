from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail_courses.text import has_control_characters


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("“%(value)s” is not a time zone. Choose one such as Europe/London."),
            code="invalid_time_zone",
            params={"value": value},
        ) from None


def validate_single_line(value: str) -> None:
    """One line of text, as in a title: it goes into calendar lines and email headers."""
    if has_control_characters(value):
        raise ValidationError(
            _(
                "Use one line of plain text here: line breaks, tabs and other control "
                "characters can't be used."
            ),
            code="control_characters",
        )
