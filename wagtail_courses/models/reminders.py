"""The session reminders already sent, so that none is sent twice."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail_courses.models.bookings import Booking
from wagtail_courses.models.sessions import SessionPage


class SentReminder(models.Model):
    class Kind(models.TextChoices):
        DAYS = "days", _("Days before")
        HOURS = "hours", _("Hours before")

    booking = models.ForeignKey(
        Booking, verbose_name=_("booking"), on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey(
        SessionPage, verbose_name=_("session"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(verbose_name=_("reminder"), max_length=10, choices=Kind.choices)
    # The start it reminded of: a session moved to another day is reminded of again.
    session_start = models.DateTimeField(verbose_name=_("session's start"))
    sent_at = models.DateTimeField(verbose_name=_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            # The database, not a check before sending, is what makes "never twice" hold when
            # two cron runs overlap.
            models.UniqueConstraint(
                fields=["booking", "session", "kind", "session_start"],
                name="wagtail_courses_one_reminder_each",
            )
        ]

    def __str__(self):
        return f"{self.booking.reference}: {self.session.title}: {self.kind}"
