"""The NHS.UK look: the app's public pages and application form in NHS.UK frontend's components.

For sites that use ``wagtail-nhsuk-frontend``. Listed in ``INSTALLED_APPS`` above
``wagtail_courses``, its templates take the place of the app's own, by the same names; a site's
own templates still come first. The emails are unchanged.
"""
