"""Read-only panels for the course editor."""

from wagtail.admin.panels import Panel


class RetentionPanel(Panel):
    """When the course's applicants' personal data will be anonymised, on the saved settings.

    Editors set a number of months; this turns it into the date it means for this course, so
    that nobody has to work it out (or is surprised by it). It reads the saved course: a
    period or sessions changed in the form show here once saved.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_courses/admin/retention_panel.html"

        def get_context_data(self, parent_context=None):
            # Panels are built with the models; the service imports the models.
            from wagtail_courses.models import CourseSiteSettings
            from wagtail_courses.services import retention

            site_period = None
            if self.instance.pk is None and self.request is not None:
                # A new course is on no site yet: the one it is being added on says.
                site_period = CourseSiteSettings.for_request(self.request).retention_months
            context = super().get_context_data(parent_context)
            context["notice"] = retention.describe(self.instance, site_period=site_period)
            return context
