"""System checks that report misconfiguration with ids ``wagtail_courses.E0xx`` (errors) and
``wagtail_courses.W0xx`` (warnings), one module per subject:

- ``app_settings``: the values of the app's own ``WAGTAIL_COURSES_*`` settings, and names that
  are none of them;
- ``base_template``: the template the app's pages extend, and the blocks they fill;
- ``certificates``: whether certificates of attendance can be made as PDF (WeasyPrint);
- ``email``: how the app's emails are sent, and who can fake their delivery events;
- ``site``: the Django settings of the site around the app (apps, time zone, middleware,
  hosts, database, cache).

Importing this package registers them all (``WagtailCoursesConfig.ready``).
"""

from wagtail_courses.checks import (  # noqa: F401
    app_settings,
    base_template,
    certificates,
    email,
    site,
)
