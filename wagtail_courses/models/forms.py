"""The questions an editor adds to a course's application form (Wagtail's form builder)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractFormField


class CourseFormField(AbstractFormField):
    page = ParentalKey(
        "wagtail_courses.EventPage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="form_fields",
    )

    class Meta(AbstractFormField.Meta):
        verbose_name = _("application form question")
        verbose_name_plural = _("application form questions")
