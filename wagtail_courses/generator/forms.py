"""The "Add sessions" form: a repeating pattern, dates to skip and one-off extra sessions.

Everything works without JavaScript: skipped dates are one a line in a text box, and extra
sessions are a formset with a few empty rows.
"""

from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminTimeInput

from wagtail_courses.dates import EXAMPLE, LocaleDateField, date_format, parse_date
from wagtail_courses.form_accessibility import describe_by
from wagtail_courses.generator.plan import (
    MAX_SESSIONS,
    ExtraSession,
    PlanError,
    PlannedSession,
    Schedule,
    plan,
)


class DescribedFieldsMixin:
    """Ties each input to its error and help text, which the admin's field layout shows by id
    (``-errors`` as the template names it, ``-helptext`` as Wagtail does).

    Done as each field is fetched to be rendered, so that it names what the page shows: help
    texts set in ``__init__`` and errors added after cleaning (``planned_sessions``) included.
    """

    def __getitem__(self, name: str) -> forms.BoundField:
        bound = super().__getitem__(name)
        describe_by(
            bound.field.widget,
            f"{bound.auto_id}-errors" if bound.errors else None,
            f"{bound.auto_id}-helptext" if bound.help_text else None,
        )
        return bound


class SkipDatesField(forms.CharField):
    """Dates typed one a line, each in a format a date field accepts."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value) -> frozenset:
        dates, bad = set(), []
        for line in (super().to_python(value) or "").splitlines():
            if not line.strip():
                continue
            try:
                dates.add(parse_date(line.strip()))
            except ValidationError:
                bad.append(line.strip())
        if bad:
            raise ValidationError(
                _("Not a date: %(lines)s. Write one date a line, such as %(example)s."),
                params={"lines": ", ".join(bad), "example": example_date()},
                code="invalid",
            )
        return frozenset(dates)


def example_date() -> str:
    return EXAMPLE.strftime(date_format())


class ScheduleForm(DescribedFieldsMixin, forms.Form):
    PUBLISH, DRAFT = "publish", "draft"

    first_date = LocaleDateField(label=_("First date"))
    start_time = forms.TimeField(label=_("Start time"), widget=AdminTimeInput)
    end_time = forms.TimeField(label=_("End time"), widget=AdminTimeInput)
    interval = forms.IntegerField(
        label=_("Repeat every (weeks)"),
        initial=1,
        min_value=1,
        max_value=52,
        help_text=_("1 for weekly, 2 for every other week, and so on."),
    )
    weekday = forms.TypedChoiceField(
        label=_("On"),
        choices=[("", _("The first date's day of the week"))] + sorted(WEEKDAYS.items()),
        coerce=int,
        empty_value=None,
        required=False,
    )
    until = LocaleDateField(
        label=_("Until"),
        required=False,
        help_text=_("The last date sessions may fall on. Give this or a number of sessions."),
    )
    count = forms.IntegerField(
        label=_("Number of sessions"),
        required=False,
        min_value=1,
        max_value=MAX_SESSIONS,
        help_text=_("How many sessions to hold; skipped dates don't count."),
    )
    skip_dates = SkipDatesField(
        label=_("Dates to skip"),
        required=False,
    )
    state = forms.ChoiceField(
        label=_("When created"),
        choices=[(DRAFT, _("Save as drafts")), (PUBLISH, _("Publish now"))],
        initial=DRAFT,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, zone: ZoneInfo, can_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        help_text = _("In the course's time zone (%(zone)s).") % {"zone": zone.key}
        for name in ("start_time", "end_time"):
            self.fields[name].help_text = help_text
        # Written as the editor's locale writes dates, so it is made for each form.
        self.fields["skip_dates"].help_text = _(
            "One date a line, such as %(example)s. Each must be a date of the pattern."
        ) % {"example": example_date()}
        if not can_publish:
            # Only what the editor may do is offered; the choice is then also checked.
            self.fields["state"].choices = [(self.DRAFT, _("Save as drafts"))]

    @property
    def publish(self) -> bool:
        return self.cleaned_data.get("state") == self.PUBLISH


class ExtraSessionForm(DescribedFieldsMixin, forms.Form):
    date = LocaleDateField(label=_("Date"))
    start_time = forms.TimeField(label=_("Start time"), widget=AdminTimeInput)
    end_time = forms.TimeField(label=_("End time"), widget=AdminTimeInput)
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        required=False,
        help_text=_("Such as “Consolidation session”. Leave blank for “Session N”."),
    )


ExtraSessionFormSet = forms.formset_factory(
    ExtraSessionForm, extra=3, max_num=20, validate_max=True
)


def planned_sessions(form: ScheduleForm, formset: forms.BaseFormSet) -> list[PlannedSession] | None:
    """The sessions the valid forms ask for, or None with each problem put on its field."""
    data = form.cleaned_data
    extras = [
        (extra_form, ExtraSession(**extra_form.cleaned_data))
        for extra_form in formset.forms
        if extra_form.cleaned_data
    ]
    schedule = Schedule(
        first_date=data["first_date"],
        start_time=data["start_time"],
        end_time=data["end_time"],
        interval=data["interval"],
        weekday=data["weekday"],
        until=data["until"],
        count=data["count"],
        skip_dates=data["skip_dates"],
        extras=tuple(extra for _form, extra in extras),
    )
    try:
        return plan(schedule, zone=form.zone)
    except PlanError as error:
        for problem in error.problems:
            if problem.extra is None:
                form.add_error(problem.field or None, problem.message)
            else:
                extras[problem.extra][0].add_error(problem.field, problem.message)
        return None
