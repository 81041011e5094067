"""A fixed-window count of applications per client address, kept in Django's cache."""

from django.core.cache import cache

from wagtail_courses import conf


def client_address(request) -> str:
    # REMOTE_ADDR only: a forwarded-for header is the client's to write. Sites behind a proxy
    # set REMOTE_ADDR from it in their own middleware.
    return request.META.get("REMOTE_ADDR", "")


def _key(request) -> str:
    return f"wagtail_courses:applications:{client_address(request)}"


def too_many_applications(request) -> bool:
    """True once the address has sent the limit of counted applications within the window."""
    return cache.get(_key(request), 0) >= conf.get_setting("APPLICATION_RATE_LIMIT")


def count_application(request) -> None:
    """Count an application taken (or a bot's post) against the address's limit."""
    key = _key(request)
    if not cache.add(key, 1, timeout=conf.get_setting("APPLICATION_RATE_WINDOW")):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=conf.get_setting("APPLICATION_RATE_WINDOW"))
