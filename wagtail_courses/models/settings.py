"""Settings an editor sets once per site, in Settings > Courses."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from wagtail_courses import shared_cache

RETENTION_MIN_MONTHS = 1
RETENTION_MAX_MONTHS = 120


@register_setting(icon="calendar")
class CourseSiteSettings(BaseSiteSetting):
    organisation_name = models.CharField(
        verbose_name=_("organisation name"),
        max_length=255,
        blank=True,
        help_text=_(
            "Who runs the courses, as search engines and calendars should name it. "
            "Leave blank to use the site's name."
        ),
    )
    organisation_url = models.URLField(
        verbose_name=_("organisation website"),
        blank=True,
        help_text=_("Leave blank to use this site's address."),
    )

    privacy_notice = models.TextField(
        verbose_name=_("privacy notice"),
        blank=True,
        max_length=2000,
        default=_(
            "We keep your application to arrange your place and share it only with the "
            "course's facilitators."
        ),
        help_text=_("Shown beside the consent box on every application form."),
    )

    applications_email = models.EmailField(
        verbose_name=_("applications email"),
        blank=True,
        help_text=_(
            "Receives the applications for any course none of whose facilitators has a "
            "contact email, so that no application goes unread."
        ),
    )

    contact_email = models.EmailField(
        verbose_name=_("contact email"),
        blank=True,
        help_text=_("Where applicants write with questions: it is in every email they get."),
    )
    contact_phone = models.CharField(
        verbose_name=_("contact telephone"),
        max_length=50,
        blank=True,
        help_text=_("Given with the contact email in applicants' emails."),
    )

    staff_email_domains = models.TextField(
        verbose_name=_("staff email domains"),
        blank=True,
        help_text=_(
            "Who counts as the organisation's staff for staff free places, by work email "
            "domain, one per line (such as nhs.net). A course can set its own."
        ),
    )

    # A month at least (figures and invoices need the bookings a while after the course),
    # ten years at most: a longer period is almost certainly a typing mistake.
    retention_months = models.PositiveSmallIntegerField(
        verbose_name=_("months to keep applicants' personal data"),
        default=12,
        validators=[
            MinValueValidator(RETENTION_MIN_MONTHS),
            MaxValueValidator(RETENTION_MAX_MONTHS),
        ],
        help_text=_(
            "This many months after a course's last session, its applicants' names, email "
            "addresses, answers and emails are anonymised (replaced by placeholders); their "
            "places, statuses and payments are kept for your figures. A course can set its "
            "own period. From 1 to 120 months."
        ),
    )

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("organisation_url"),
        FieldPanel("privacy_notice"),
        FieldPanel("applications_email"),
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
        FieldPanel("staff_email_domains"),
        FieldPanel("retention_months"),
    ]
    # The organiser falls back to the site's name and address: fetch the site with the setting.
    select_related = ["site"]

    class Meta:
        verbose_name = _("courses")

    @classmethod
    def for_site(cls, site):
        """The site's settings, from the shared cache when they are there (``shared_cache``)."""
        if site is None:
            return super().for_site(site)
        return shared_cache.site_settings(
            site, lambda: super(CourseSiteSettings, cls).for_site(site)
        )

    def organiser_name(self) -> str:
        return self.organisation_name or self.site.site_name or self.site.hostname
