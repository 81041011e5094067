from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailCoursesConfig(AppConfig):
    name = "wagtail_courses"
    label = "wagtail_courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Importing these registers the checks and the signal receivers.
        from wagtail_courses import checks, signals  # noqa: F401
