"""The "Copy for a new run" form: the new run's first date, its title, and draft or publish."""

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail_courses.dates import LocaleDateField
from wagtail_courses.formatting.schedule import long_day
from wagtail_courses.generator.forms import DescribedFieldsMixin
from wagtail_courses.next_run.plan import (
    NO_SESSIONS,
    MoveError,
    NewRun,
    OldSession,
    first_local_date,
    plan_new_run,
)
from wagtail_courses.validators import validate_single_line


class NextRunForm(DescribedFieldsMixin, forms.Form):
    PUBLISH, DRAFT = "publish", "draft"

    first_date = LocaleDateField(
        label=_("New first date"),
        error_messages={"required": _("Give the date of the new run's first session.")},
    )
    title = forms.CharField(
        label=_("Title of the new run"),
        max_length=255,
        validators=[validate_single_line],
        error_messages={"required": _("Give the new run a title.")},
    )
    state = forms.ChoiceField(
        label=_("When created"),
        # A draft first: the course's text is copied as it was, and may name the old dates.
        choices=[(DRAFT, _("Save as a draft")), (PUBLISH, _("Publish now"))],
        initial=DRAFT,
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        *args,
        sessions: Sequence[OldSession],
        zone: ZoneInfo,
        today: date,
        can_publish: bool,
        booking_opens_at: datetime | None = None,
        booking_closes_at: datetime | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.sessions, self.zone, self.today = sessions, zone, today
        self.booking_dates = {
            "booking_opens_at": booking_opens_at,
            "booking_closes_at": booking_closes_at,
        }
        self.new_run: NewRun | None = None
        if sessions:
            first = first_local_date(sessions, zone)
            self.fields["first_date"].help_text = _(
                "The date of the new run's first session, on the same day of the week: the "
                "first session was on %(first)s. Every session moves by as many days, at the "
                "same times in %(zone)s."
            ) % {"first": long_day(first), "zone": zone.key}
        if not can_publish:
            # Only what the editor may do is offered; the choice is then also checked.
            self.fields["state"].choices = [(self.DRAFT, _("Save as a draft"))]

    @property
    def publish(self) -> bool:
        return self.cleaned_data.get("state") == self.PUBLISH

    def typed(self, name: str) -> str:
        return str(self.data.get(self.add_prefix(name), "")).strip()

    def clean_first_date(self) -> date:
        first_date = self.cleaned_data["first_date"]
        if first_date < self.today:
            raise ValidationError(
                _("“%(value)s” (%(date)s) is in the past: choose today or a later date."),
                params={"value": self.typed("first_date"), "date": long_day(first_date)},
                code="past",
            )
        return first_date

    def clean(self):
        data = super().clean()
        if not self.sessions:
            raise ValidationError(NO_SESSIONS, code="no_sessions")
        if "first_date" not in data or "title" not in data:
            return data
        try:
            self.new_run = plan_new_run(
                title=data["title"],
                sessions=self.sessions,
                first_date=data["first_date"],
                zone=self.zone,
                **self.booking_dates,
            )
        except MoveError as error:
            message = _("“%(value)s”: %(problem)s") % {
                "value": self.typed("first_date"),
                "problem": error,
            }
            self.add_error("first_date", message)
        return data
