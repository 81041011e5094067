"""The facilitators on a course, in the order its page lists them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class EventFacilitator(Orderable):
    """A facilitator on a course, in the order the course page lists them."""

    page = ParentalKey(
        "wagtail_courses.EventPage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="facilitator_links",
    )
    facilitator = models.ForeignKey(
        "wagtail_courses.FacilitatorPage",
        verbose_name=_("facilitator"),
        on_delete=models.CASCADE,
        related_name="course_links",
    )
    role = models.CharField(
        verbose_name=_("role"),
        max_length=100,
        blank=True,
        help_text=_("Optional, such as “Course lead”."),
    )

    panels = [FieldPanel("facilitator"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("course facilitator")
        verbose_name_plural = _("course facilitators")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "facilitator"], name="wagtail_courses_unique_course_facilitator"
            )
        ]

    def __str__(self):
        return str(self.facilitator)
