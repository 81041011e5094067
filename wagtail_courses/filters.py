"""The filters on an "All events" page: when, how, which month, and a text search."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext_lazy as _

from wagtail_courses.form_accessibility import describe_by


class CourseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("", _("Upcoming and past")), ("upcoming", _("Upcoming")), ("past", _("Past"))],
    )
    mode = forms.ChoiceField(label=_("Delivery"), required=False)
    month = forms.ChoiceField(label=_("Month"), required=False)

    def __init__(self, data=None, *, months: list[date], delivery_modes):
        super().__init__(data)
        self.fields["mode"].choices = [("", _("Any"))] + list(delivery_modes)
        self.fields["month"].choices = [("", _("Any month"))] + [
            (month.strftime("%Y-%m"), format_date(month, "F Y")) for month in months
        ]
        if self.is_bound and not self.is_valid():
            # Bad values get their message on the form; the filters that are fine still apply.
            for name in self.errors:
                describe_by(self.fields[name].widget, f"{self[name].id_for_label}-error")

    def value(self, name: str) -> str:
        return getattr(self, "cleaned_data", {}).get(name, "")

    @property
    def period(self) -> str:
        """The "when" choice ("", "upcoming" or "past")."""
        return self.value("when")

    @property
    def is_filtering(self) -> bool:
        return any(self.value(name) for name in ("q", "mode", "month"))

    def apply(self, courses, *, sessions, search):
        """Narrow ``courses`` (an EventPage queryset) to what the visitor asked for.

        ``sessions`` is a queryset of the index's live, scheduled sessions; ``search`` a
        callable that returns the ids of courses matching a text query.
        """
        if mode := self.value("mode"):
            courses = courses.filter(delivery_mode=mode)
        if month := self.value("month"):
            first_day = date.fromisoformat(f"{month}-01")
            next_month = (first_day + timedelta(days=32)).replace(day=1)
            start, end = (
                timezone.make_aware(datetime.combine(day, time()))
                for day in (first_day, next_month)
            )
            in_month = sessions.filter(
                path__startswith=OuterRef("path"),
                depth=OuterRef("depth") + 1,
                start__gte=start,
                start__lt=end,
            )
            courses = courses.filter(Exists(in_month))
        if query := self.value("q"):
            courses = courses.filter(pk__in=search(query))
        return courses
