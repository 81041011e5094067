"""The Wagtail site every test serves pages from."""

from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site


def restore_wagtail_site() -> None:
    """Put back Wagtail's root collection, locale, root page and default site if a test took
    them away.

    A transactional test ends by emptying the database, taking with it what Wagtail's
    migrations made; the next transactional test needs them again. (``serialized_rollback``
    fails on the content types the flush re-creates unless every such test uses it.)
    """
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    # The test client's host, so that full links read the same from a request and without.
    if site := Site.objects.filter(is_default_site=True).first():
        if site.hostname != "testserver":
            site.hostname = "testserver"
            site.save()
        return
    locale = Locale.objects.first() or Locale.objects.create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    home = root.add_child(instance=Page(title="Welcome", slug="home", locale=locale))
    Site.objects.create(hostname="testserver", root_page=home, is_default_site=True)
