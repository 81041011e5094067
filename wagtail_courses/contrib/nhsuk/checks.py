"""The NHS.UK look needs wagtail-nhsuk-frontend, and its templates must come before the app's."""

from django.apps import apps
from django.core.checks import Error, Tags, register

LOOK_APP = "wagtail_courses.contrib.nhsuk"


@register(Tags.templates)
def check_nhsuk_look(app_configs, **kwargs):
    problems = []
    if not apps.is_installed("wagtailnhsukfrontend"):
        problems.append(
            Error(
                "wagtail_courses.contrib.nhsuk is installed, but wagtailnhsukfrontend is not: "
                "the course pages would have no NHS.UK header, footer or styles.",
                hint="pip install wagtail-nhsuk-frontend, and add 'wagtailnhsukfrontend' to "
                "INSTALLED_APPS.",
                id="wagtail_courses.E008",
            )
        )
    # In INSTALLED_APPS order, however each is named there (a module or its AppConfig).
    order = [config.name for config in apps.get_app_configs()]
    if "wagtail_courses" in order and order.index("wagtail_courses") < order.index(LOOK_APP):
        problems.append(
            Error(
                "wagtail_courses.contrib.nhsuk is listed after wagtail_courses in "
                "INSTALLED_APPS, so Django finds the app's own templates first and the NHS.UK "
                "look is never used.",
                hint="Move 'wagtail_courses.contrib.nhsuk' above 'wagtail_courses'.",
                id="wagtail_courses.E009",
            )
        )
    return problems
