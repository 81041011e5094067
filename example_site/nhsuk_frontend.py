"""wagtail-nhsuk-frontend's settings app (the NHS.UK header and footer, edited in Settings).

Its app config names no ``default_auto_field``, so on a site whose ``DEFAULT_AUTO_FIELD`` is
``BigAutoField`` (as this one's is) Django would want new migrations for the package's own
tables. This config keeps the ``AutoField`` its migrations made.
"""

from wagtailnhsukfrontend.settings.apps import SettingsAppConfig


class HeaderAndFooterSettingsConfig(SettingsAppConfig):
    default_auto_field = "django.db.models.AutoField"
