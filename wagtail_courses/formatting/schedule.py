"""Words and labels for a course's dates, always in the course's own time zone."""

from datetime import date, datetime, tzinfo

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def local(value: datetime, zone: tzinfo) -> datetime:
    return timezone.localtime(value, zone)


def long_day(value: date) -> str:
    """ "Tuesday 11 May 2027", as the admin's forms and their messages name a day."""
    return format_date(value, "l j F Y")


def short_when(start: datetime, zone: tzinfo) -> str:
    """ "Tue 9 Jun 2027, 14:00": a session's start where its title goes with it (the
    explorer's list, the facilitators' emails)."""
    return format_date(local(start, zone), "D j M Y, H:i")


def _time(iso: str, text: str) -> str:
    return format_html('<time datetime="{}">{}</time>', iso, text)


def session_time_html(start: datetime, end: datetime, zone: tzinfo) -> SafeString:
    """ "14 May at 15:00 to 17:00", as the reference course page shows its first session,
    each part in a ``<time>`` element whose machine-readable value matches its text."""
    start, end = local(start, zone), local(end, zone)
    parts = {
        "date": _time(start.date().isoformat(), format_date(start, "j F")),
        "start": _time(start.isoformat(), format_date(start, "H:i")),
        "end_date": _time(end.date().isoformat(), format_date(end, "j F")),
        "end": _time(end.isoformat(), format_date(end, "H:i")),
    }
    if start.date() != end.date():
        phrase = _("%(date)s at %(start)s to %(end_date)s at %(end)s")
    else:
        phrase = _("%(date)s at %(start)s to %(end)s")
    return mark_safe(conditional_escape(phrase) % parts)  # noqa: S308 (parts are escaped)
