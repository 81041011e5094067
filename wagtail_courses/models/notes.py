"""Internal notes on a booking: for the organisers, never sent to the applicant."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail_courses.models.bookings import Booking


class BookingNote(models.Model):
    """A note an organiser keeps on a booking ("phoned on Tuesday, paying by card")."""

    booking = models.ForeignKey(
        Booking, verbose_name=_("booking"), on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField(verbose_name=_("note"), max_length=4000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("booking note")
        verbose_name_plural = _("booking notes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.booking.reference}: {self.text[:40]}"
