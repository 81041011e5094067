#!/usr/bin/env python
"""Run the example site's management commands, e.g. ``python example_site/manage.py load_demo``."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    # The example site is a package beside the app, not something pip installs.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
