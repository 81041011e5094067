"""Settings an editor sets once per site, in Settings > Courses."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


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

    staff_email_domains = models.TextField(
        verbose_name=_("staff email domains"),
        blank=True,
        help_text=_(
            "Who counts as the organisation's staff for staff free places, by work email "
            "domain, one per line (such as nhs.net). A course can set its own."
        ),
    )

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("organisation_url"),
        FieldPanel("privacy_notice"),
        FieldPanel("applications_email"),
        FieldPanel("staff_email_domains"),
    ]
    # The organiser falls back to the site's name and address: fetch the site with the setting.
    select_related = ["site"]

    class Meta:
        verbose_name = _("courses")

    def organiser_name(self) -> str:
        return self.organisation_name or self.site.site_name or self.site.hostname

    def organiser_url(self) -> str:
        return self.organisation_url or self.site.root_url
