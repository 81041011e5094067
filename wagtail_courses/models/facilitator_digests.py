"""How far each course's daily summary to its facilitators has got."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail_courses.models.bookings import PAGE_MODEL


class FacilitatorDigest(models.Model):
    """The changes up to ``covered_until`` have been in a summary to the course's facilitators.

    Kept apart from the page: a page's fields are restored from its revisions on publish.
    """

    course = models.OneToOneField(
        PAGE_MODEL, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    covered_until = models.DateTimeField(verbose_name=_("changes summarised until"))

    class Meta:
        verbose_name = _("facilitators' summary")
        verbose_name_plural = _("facilitators' summaries")

    def __str__(self):
        return f"{self.course_id}: {self.covered_until:%Y-%m-%d %H:%M}"
