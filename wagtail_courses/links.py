"""Full addresses of the app's pages, for links that leave the page: emails, calendars and
search engines' data.

Wagtail builds them from the Site record, which on a site made by ``wagtail start`` still says
``localhost:80``: every emailed link would go nowhere. So a page's address starts with, in
order:

1. ``WAGTAIL_COURSES_BASE_URL``, if the site sets it;
2. the Site record, when the request came in by that record's own hostname;
3. the address the request came in at (Django has checked its host against ``ALLOWED_HOSTS``);
4. without a request (the email task, cron), the address the booking was made at;
5. the Site record.
"""

from urllib.parse import urlsplit

from django.http.request import split_domain_port
from wagtail.models import Page, Site

from wagtail_courses import conf


def page_address(page: Page, request=None, *, origin: str = "") -> str:
    """The page's full URL, or "" if it has none (not routable from any site)."""
    parts = page.get_url_parts(request)
    if parts is None:
        return ""
    site_id, root_url, path = parts
    return address_start(site_id, root_url, request, origin) + path


def site_root(site: Site, request=None) -> str:
    """The site's own address, without a trailing slash, like ``Site.root_url``."""
    return address_start(site.pk, site.root_url, request)


def address_start(site_id, root_url: str, request=None, origin: str = "") -> str:
    """The scheme and host a full address on the site starts with, in the module's order."""
    return (conf.base_url() or request_origin(request, site_id) or origin or root_url).rstrip("/")


def request_origin(request, site_id) -> str:
    """The scheme and host a request came in at, unless its own Site record says better.

    A request that reached the page's site by the record's hostname uses the record (its
    port and scheme are the editor's choice). One that matched no record, and so fell back to
    the default site, uses its own address.
    """
    if request is None:
        return ""
    site = Site.find_for_request(request)
    host = request.get_host()
    domain, _port = split_domain_port(host)
    if site is not None and (site.pk != site_id or site.hostname == domain):
        return ""
    return f"{request.scheme}://{host}"


def origin_of(url: str) -> str:
    """``https://www.example.org`` from ``https://www.example.org/events/course/``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
