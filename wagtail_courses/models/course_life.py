"""What a course does once its places are taken: reminders, completion and CPD hours.

An abstract part of ``EventPage``, shown in the editor's "Attendance" tab.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

# A reminder further ahead than this is an announcement, not a reminder.
REMINDER_MAX_DAYS = 30
REMINDER_MAX_HOURS = 72


class CourseLife(models.Model):
    class Completion(models.TextChoices):
        ALL_SESSIONS = "all_sessions", _("Present at every session")
        AT_LEAST = "at_least", _("Present at a number of sessions")
        BY_HAND = "by_hand", _("Marked complete by an organiser")

    reminder_days_before = models.PositiveSmallIntegerField(
        verbose_name=_("days before each session"),
        null=True,
        blank=True,
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(REMINDER_MAX_DAYS)],
        help_text=_("Leave blank for no reminder days ahead."),
    )
    reminder_hours_before = models.PositiveSmallIntegerField(
        verbose_name=_("hours before each session"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(REMINDER_MAX_HOURS)],
        help_text=_("Leave blank for no reminder on the day."),
    )
    completion_rule = models.CharField(
        verbose_name=_("an attendee completes the course when"),
        max_length=20,
        choices=Completion.choices,
        default=Completion.ALL_SESSIONS,
        help_text=_("Cancelled sessions don't count. Completing sends the certificate."),
    )
    completion_minimum_sessions = models.PositiveSmallIntegerField(
        verbose_name=_("sessions to be present at"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Only when completion is “Present at a number of sessions”."),
    )
    cpd_hours = models.DecimalField(
        verbose_name=_("CPD hours"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("Given on the certificate. Leave blank for the sessions' total length."),
    )

    life_panels = [
        FieldRowPanel(
            [FieldPanel("reminder_days_before"), FieldPanel("reminder_hours_before")],
            heading=_("Reminders to confirmed attendees"),
            help_text=_(
                "Sent before each session, with the joining link for an online course. "
                "Sent once per session, never for a cancelled session or booking."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("completion_rule"),
                FieldPanel("completion_minimum_sessions"),
                FieldPanel("cpd_hours"),
            ],
            heading=_("Completion and certificate"),
        ),
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if (
            self.completion_rule == self.Completion.AT_LEAST
            and not self.completion_minimum_sessions
        ):
            raise ValidationError(
                {
                    "completion_minimum_sessions": _(
                        "Enter how many sessions an attendee must be present at."
                    )
                }
            )
