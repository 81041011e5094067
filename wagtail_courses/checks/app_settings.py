"""The app's own settings: each value is what ``conf`` says a good one is, and every
``WAGTAIL_COURSES_*`` name is one of them.

A check that reads a setting for something else (the base template's blocks, the sender, the
hosts links follow) says nothing about a bad value of it: ``check_setting_values`` has.
"""

from django.core.checks import Error, Warning, register

from wagtail_courses import conf

UNKNOWN_SETTING_ID = "wagtail_courses.W010"


@register()
def check_setting_values(app_configs, **kwargs):
    """Each bad value, with the check id its setting declares in ``conf.SETTINGS``."""
    errors = []
    for setting in conf.SETTINGS.values():
        if message := setting.problem(setting.site_value()):
            errors.append(Error(message, hint=setting.hint, id=setting.check_id))
    return errors


@register()
def check_unknown_settings(app_configs, **kwargs):
    """A misspelt setting does nothing, and nothing else would say so."""
    return [
        Warning(
            f"{name} is not a wagtail_courses setting, so it has no effect.",
            hint=unknown_setting_hint(name),
            id=UNKNOWN_SETTING_ID,
        )
        for name in conf.unknown_setting_names()
    ]


def unknown_setting_hint(name: str) -> str:
    if closest := conf.closest_setting(name):
        return f"Did you mean {closest}?"
    return "The app's settings are listed in the Settings section of its README."
