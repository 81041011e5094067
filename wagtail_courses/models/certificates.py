"""Certificates of attendance: one per completed booking, verifiable by its reference."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail_courses.models.bookings import Booking


class Certificate(models.Model):
    """A booking's completion of its course, with what its certificate states."""

    booking = models.OneToOneField(
        Booking, verbose_name=_("booking"), on_delete=models.CASCADE, related_name="certificate"
    )
    # Public: it is printed on the certificate and is its address on the verification page.
    reference = models.CharField(
        verbose_name=_("certificate reference"), max_length=32, unique=True
    )
    hours = models.DecimalField(verbose_name=_("CPD hours"), max_digits=5, decimal_places=1)
    # What it states, fixed when it is issued: a mark changed later doesn't rewrite it.
    sessions_attended = models.JSONField(
        verbose_name=_("sessions attended"),
        default=list,
        blank=True,
        help_text=_("Each session's title and start (ISO 8601), as the certificate gives them."),
    )
    issued_at = models.DateTimeField(verbose_name=_("issued"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked complete by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Blank when the register completed it."),
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.reference
