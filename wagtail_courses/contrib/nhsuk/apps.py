from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NHSUKLookConfig(AppConfig):
    name = "wagtail_courses.contrib.nhsuk"
    label = "wagtail_courses_nhsuk"
    verbose_name = _("Courses: the NHS.UK look")

    def ready(self):
        # Importing it registers the checks.
        from wagtail_courses.contrib.nhsuk import checks  # noqa: F401
