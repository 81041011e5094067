from django.apps import AppConfig
from django.core.checks import Tags, register
from django.utils.translation import gettext_lazy as _


class NHSUKLookConfig(AppConfig):
    name = "wagtail_courses.contrib.nhsuk"
    label = "wagtail_courses_nhsuk"
    verbose_name = _("Courses: the NHS.UK look")

    def ready(self):
        # Only where the look is installed: its checks speak of nothing otherwise.
        from wagtail_courses.contrib.nhsuk import checks

        register(checks.check_nhsuk_look, Tags.templates)
        register(checks.check_base_template_is_nhsuk, Tags.templates)
