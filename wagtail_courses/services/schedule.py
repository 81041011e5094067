"""Words and labels for a course's dates, always in the course's own time zone."""

from datetime import datetime, tzinfo

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def local(value: datetime, zone: tzinfo) -> datetime:
    return timezone.localtime(value, zone)


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


def date_range_summary(
    first_start: datetime | None, last_end: datetime | None, count: int, zone: tzinfo
) -> str:
    """A short line for a course card: "14 May to 24 September 2027 · 7 sessions"."""
    if first_start is None or last_end is None:
        return _("Dates to be announced")
    first, last = local(first_start, zone), local(last_end, zone)
    sessions = ngettext("%(count)d session", "%(count)d sessions", count) % {"count": count}
    if first.date() == last.date():
        dates = format_date(first, "j F Y")
    elif first.year == last.year:
        dates = _("%(first)s to %(last)s") % {
            "first": format_date(first, "j F"),
            "last": format_date(last, "j F Y"),
        }
    else:
        dates = _("%(first)s to %(last)s") % {
            "first": format_date(first, "j F Y"),
            "last": format_date(last, "j F Y"),
        }
    return _("%(dates)s · %(sessions)s") % {"dates": dates, "sessions": sessions}
