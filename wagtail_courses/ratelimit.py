"""A fixed-window count of applications per client address, kept in Django's cache."""

from django.core.cache import cache

from wagtail_courses import conf


def client_address(request) -> str:
    # REMOTE_ADDR only: a forwarded-for header is the client's to write. Sites behind a proxy
    # set REMOTE_ADDR from it in their own middleware.
    return request.META.get("REMOTE_ADDR", "")


def allow_application(request) -> bool:
    """Count this post; False once the address has sent too many within the window."""
    key = f"wagtail_courses:applications:{client_address(request)}"
    window = conf.get_setting("APPLICATION_RATE_WINDOW")
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
        return True
    return count <= conf.get_setting("APPLICATION_RATE_LIMIT")
