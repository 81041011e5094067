"""The questions an editor adds to a course's application form (Wagtail's form builder)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.forms.models import AbstractFormField


class CourseFormField(AbstractFormField):
    page = ParentalKey(
        "wagtail_courses.EventPage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="form_fields",
    )
    # The answers the facilitators triage by, as columns of the course's Bookings list.
    show_in_bookings_list = models.BooleanField(
        verbose_name=_("show in the Bookings list"),
        default=False,
        help_text=_("The answers to this question get a column in the course's Bookings list."),
    )

    panels = AbstractFormField.panels + [FieldPanel("show_in_bookings_list")]

    class Meta(AbstractFormField.Meta):
        verbose_name = _("application form question")
        verbose_name_plural = _("application form questions")
