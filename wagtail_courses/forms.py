"""Editor forms for the course, session and facilitator pages."""

from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.contrib.forms.forms import WagtailAdminFormPageForm
from wagtail.contrib.forms.utils import get_field_clean_name

from wagtail_courses.change_notice_form import ChangeNoticeFormMixin
from wagtail_courses.dates import LocaleDateTimeField
from wagtail_courses.recipients import RecipientsFormMixin
from wagtail_courses.slugs import free_slug
from wagtail_courses.validators import validate_single_line


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(available_timezones())]


class SingleLineTextMixin:
    """For an editor form of the app's pages: every one-line text box refuses line breaks and
    control characters, in the page's own fields and in its inline panels' (a facilitator's
    role, a question's label).

    Titles, venues, roles and subjects go into calendar files, email headers and plain-text
    emails, where a line break starts a line of its own. A browser's one-line box drops line
    breaks, so one that arrives came from a script or an import (a tab can be pasted in).
    Boxes of several lines (``Textarea``) and rich text keep their lines.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        children = [
            child
            for name, formset in self.formsets.items()
            if name != "comments"  # Wagtail's editors' comments, which no one else reads
            for child in formset.forms
        ]
        for form in [self, *children]:
            for field in form.fields.values():
                if isinstance(field, forms.CharField) and isinstance(field.widget, forms.TextInput):
                    field.validators.append(validate_single_line)


class CoursesPageForm(SingleLineTextMixin, WagtailAdminPageForm):
    """The editor form of every page type of the app that has no form of its own."""


# Columns every booking has: a question with one of these names would be hidden behind them.
RESERVED_QUESTION_NAMES = {"reference", "name", "email", "status", "place_type", "submit_time"}


class EventPageForm(
    ChangeNoticeFormMixin, SingleLineTextMixin, RecipientsFormMixin, WagtailAdminFormPageForm
):
    # The course's extra addresses for applications (Wagtail's EmailFormMixin field).
    recipient_fields = ("to_address",)

    def recipient_courses(self):
        # A new course has no place in the tree yet: it is judged by the page it goes under.
        return [self.instance] if self.instance.pk else [self.parent_page]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A select, not a text box; the choices come from the machine's time zone data,
        # so they live in the form rather than in a migration.
        self.fields["time_zone"].widget = forms.Select(choices=time_zone_choices)
        # Like its sessions' times, a course's booking window is typed in its own time zone.
        zone = self._course_zone()
        for name in ("booking_opens_at", "booking_closes_at"):
            field = self.fields[name]
            self.fields[name] = CourseDateTimeField(
                zone=zone,
                label=field.label,
                required=False,
                help_text=f"{field.help_text} "
                + _("In the course's time zone (%(zone)s).") % {"zone": zone.key},
            )

    def _course_zone(self) -> ZoneInfo:
        """The zone being saved with this form if it is a real one, else the course's own."""
        try:
            return ZoneInfo(self.data.get("time_zone") or self.instance.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            return self.instance.tzinfo

    def clean(self):
        cleaned_data = super().clean()
        for form in self.formsets.get("form_fields", []).forms:
            label = form.cleaned_data.get("label") if hasattr(form, "cleaned_data") else None
            if not label or form.cleaned_data.get("DELETE"):
                continue
            name = get_field_clean_name(label)
            if name in RESERVED_QUESTION_NAMES or name.startswith("wc_"):
                form.add_error(
                    "label",
                    _(
                        "Every application already asks for a name and an email address, and "
                        "has a reference and a status: ask this question in other words."
                    ),
                )
        return cleaned_data


class CourseDateTimeField(LocaleDateTimeField):
    """A date and time typed, and shown, in the course's time zone, not the editor's, and in
    the editor's locale's way (``dd/mm/yyyy hh:mm`` on an ``en-GB`` site) or ISO."""

    def __init__(self, *, zone: ZoneInfo, **kwargs):
        self.zone = zone
        super().__init__(**kwargs)

    def to_python(self, value):
        with timezone.override(self.zone):
            return super().to_python(value)

    def prepare_value(self, value):
        with timezone.override(self.zone):
            return super().prepare_value(value)


class FacilitatorPageForm(SingleLineTextMixin, RecipientsFormMixin, WagtailAdminPageForm):
    recipient_fields = ("contact_email",)

    def recipient_courses(self):
        if not self.instance.pk:
            return []
        return [link.page for link in self.instance.course_links.select_related("page")]


class SessionPageForm(ChangeNoticeFormMixin, CoursesPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = self._course()
        if self.course is not None:
            for name in ("start", "end"):
                field = self.fields[name]
                self.fields[name] = CourseDateTimeField(
                    zone=self.course.tzinfo,
                    label=field.label,
                    help_text=_("In the course's time zone (%(zone)s).")
                    % {"zone": self.course.time_zone},
                )
        # An editor may leave the title (and so the slug) blank: it becomes "Session N".
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave blank for “Session N”, numbered by start time.")
        self.fields["slug"].required = False

    def _course(self):
        """The course the session is (or is being added) under; None under any other page.

        The course's class is read from the session's ``parent_page_types``, not imported:
        the models import this module.
        """
        parent = getattr(self, "parent_page", None)
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        parent = parent.specific if parent is not None else None
        courses = tuple(type(self.instance).allowed_parent_page_models())
        return parent if isinstance(parent, courses) else None

    def clean(self):
        # "End after start" is the model's rule (SessionPage.clean), reported on the end field.
        start = self.cleaned_data.get("start")
        if self.course is not None and start:
            if not self.cleaned_data.get("title"):
                self.cleaned_data["title"] = self.instance.default_title(self.course, start)
            if not self.cleaned_data.get("slug"):
                self.cleaned_data["slug"] = free_slug(
                    self.cleaned_data["title"], taken=self._sibling_slugs()
                )
        return super().clean()

    def _sibling_slugs(self) -> set[str]:
        # The session's own slug is not taken from it when it is edited.
        siblings = self.course.get_children().exclude(pk=self.instance.pk)
        return set(siblings.values_list("slug", flat=True))
