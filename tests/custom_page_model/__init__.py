"""A site's own base page model, as Wagtail 8's docs define one, for
``tests/settings_custom_page.py``."""
