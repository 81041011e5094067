"""A course's dated meetings."""

from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
)
from wagtail.fields import RichTextField
from wagtail.search import index

from wagtail_courses.change_notice_panel import ChangeNoticePanel
from wagtail_courses.formatting.schedule import short_when
from wagtail_courses.forms import SessionPageForm
from wagtail_courses.models.base import CoursesPage, with_subclasses

if TYPE_CHECKING:
    from wagtail_courses.models.courses import EventPage


class SessionPage(CoursesPage):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    start = models.DateTimeField(verbose_name=_("start"))
    end = models.DateTimeField(verbose_name=_("end"))
    description = RichTextField(
        verbose_name=_("description"),
        blank=True,
        features=["bold", "italic", "link", "ul", "ol"],
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.SCHEDULED,
        help_text=_("A cancelled session stays on the page, marked as cancelled."),
    )
    # Calendars replace an event they already hold only when its SEQUENCE rises.
    sequence = models.PositiveIntegerField(
        verbose_name=_("calendar sequence"), default=0, editable=False
    )

    content_panels = CoursesPage.content_panels + [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading=_("When")),
        FieldPanel("status"),
        FieldPanel("description"),
        ChangeNoticePanel(heading=_("Tell the attendees")),
    ]
    search_fields = CoursesPage.search_fields + [index.SearchField("description")]

    parent_page_types = ["wagtail_courses.EventPage"]
    subpage_types = []

    @classmethod
    def clean_parent_page_models(cls):
        return with_subclasses(super().clean_parent_page_models())

    base_form_class = SessionPageForm

    template = "wagtail_courses/session_page.html"

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    # What a calendar shows of a session: a change to any of these is a new SEQUENCE.
    CALENDAR_FIELDS = ("title", "start", "end", "status", "description")

    def save(self, *args, **kwargs):
        # Counted from the stored row, not from this instance: publishing an old revision
        # must still raise the sequence.
        stored = (
            SessionPage.objects.filter(pk=self.pk).values("sequence", *self.CALENDAR_FIELDS).first()
            if self.pk
            else None
        )
        if stored is not None:
            changed = any(stored[name] != getattr(self, name) for name in self.CALENDAR_FIELDS)
            self.sequence = stored["sequence"] + (1 if changed else 0)
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The session must end after it starts.")})

    @classmethod
    def default_title(cls, course: "EventPage", start) -> str:
        """ "Session N", where N is the session's place among the course's sessions by start."""
        earlier = SessionPage.objects.child_of(course).filter(start__lt=start).count()
        return cls.numbered_title(earlier + 1)

    @staticmethod
    def numbered_title(number: int) -> str:
        return str(_("Session %(number)d") % {"number": number})

    def get_admin_display_title(self) -> str:
        """With its date and time, so that a course's sessions read as a timetable in the
        explorer ("Session 3 · Tue 9 Jun 2027, 14:00"), in the course's time zone."""
        title = super().get_admin_display_title()
        if not self.start:
            return title
        return f"{title} · {short_when(self.start, self.course_zone())}"

    def course_zone(self):
        """The course's time zone: from the course if it is at hand, else its one column (an
        explorer listing asks this once a row, and a whole course page would be two queries)."""
        if "course" in self.__dict__:
            return self.course.tzinfo
        courses = apps.get_model("wagtail_courses", "EventPage")
        parent = courses.objects.filter(path=self.path[: -self.steplen])
        return courses(time_zone=parent.values_list("time_zone", flat=True).first() or "").tzinfo

    @cached_property
    def course(self) -> "EventPage":
        return self.get_parent().specific

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def route(self, request, path_components):
        # Wagtail serves a live page under a draft parent; a session belongs to its course.
        if not path_components and not self.course.live:
            raise Http404
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["course"] = self.course
        return context
