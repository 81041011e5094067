"""Optional parts of wagtail-courses, each an app of its own that a site adds to INSTALLED_APPS."""
