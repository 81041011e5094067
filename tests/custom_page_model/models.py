from django.db import models
from wagtail.models import AbstractPage


class BasePage(AbstractPage):
    """What a site's own base page looks like: Wagtail's page fields without ``Page``'s SEO
    and menu fields (``DefaultBasePageMixin``), and a field of its own that every page has."""

    audience = models.CharField(max_length=100, blank=True)

    promote_panels = AbstractPage.promote_panels + ["audience"]
