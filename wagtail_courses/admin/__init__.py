"""The app's part of the Wagtail admin, registered from ``wagtail_hooks``.

- ``bookings``: the Bookings area (wagtail-modeladmin), with its list (``booking_list``), a
  booking's page (``booking_detail``) and the actions on its place (``actions``);
- ``submissions``: Wagtail's Forms view of a course's applications;
- ``person``: personal data requests (access and erasure);
- ``exports``: the spreadsheet exports they share, safe to open.

Nothing is imported here: Django's admin autodiscovery imports ``wagtail_courses.admin`` when
``django.contrib.admin`` is installed, and finds nothing of its own to register.
"""
