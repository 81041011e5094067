"""Who came to each session: the register a course's facilitators keep."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail_courses.models.bookings import Booking
from wagtail_courses.models.sessions import SessionPage


class Attendance(models.Model):
    """One attendee's mark for one session; no row means not yet marked."""

    class Mark(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        APOLOGIES = "apologies", _("Apologies")

    booking = models.ForeignKey(
        Booking, verbose_name=_("booking"), on_delete=models.CASCADE, related_name="attendance"
    )
    session = models.ForeignKey(
        SessionPage, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance"
    )
    mark = models.CharField(verbose_name=_("attendance"), max_length=20, choices=Mark.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Said outright, not read from a blank ``marked_by``: a deleted account leaves that blank.
    by_applicant = models.BooleanField(
        verbose_name=_("sent by the applicant"),
        default=False,
        help_text=_("Apologies the applicant sent from their booking's page."),
    )
    marked_at = models.DateTimeField(verbose_name=_("marked"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "session"], name="wagtail_courses_one_mark_per_session"
            )
        ]

    def __str__(self):
        return f"{self.booking.reference}: {self.session.title}: {self.mark}"
