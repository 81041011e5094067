"""A count of unproven applications per network address, in the cache every process shares.

A trust's staff reach the site from one address (or a handful), so an address is never
refused for applying a lot: the limit (``WAGTAIL_COURSES_APPLICATION_RATE_LIMIT``, sized for a
large trust's rush) counts only applications whose address has not been proven by the emailed
link within the window. Places are kept from invented addresses by the proof window itself
(``services.places``); this only stops one script filling the database. The count must be in a
cache that every process shares (Redis, the database cache): a per-process cache counts each
worker apart (check ``wagtail_courses.W003``).
"""

from django.core.cache import cache

from wagtail_courses import conf


def client_address(request) -> str:
    # REMOTE_ADDR only: a forwarded-for header is the client's to write. Sites behind a proxy
    # set REMOTE_ADDR from it in their own middleware.
    return request.META.get("REMOTE_ADDR", "")


def address_key(address: str) -> str:
    return f"wagtail_courses:unproven:{address}"


def booking_key(booking) -> str:
    """Which address's count a booking is in: so that its proof, from anywhere, takes it off."""
    return f"wagtail_courses:unproven-booking:{booking.pk}"


def window() -> int:
    return conf.get_setting("APPLICATION_RATE_WINDOW")


def too_many_applications(request) -> bool:
    """True once the address has the limit of unproven applications within the window."""
    return cache.get(address_key(client_address(request)), 0) >= conf.get_setting(
        "APPLICATION_RATE_LIMIT"
    )


def count_application(request, booking=None) -> None:
    """Count an application taken (or a bot's post) against the address, until proven."""
    key = address_key(client_address(request))
    if not cache.add(key, 1, timeout=window()):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=window())
    if booking is not None:
        cache.set(booking_key(booking), key, timeout=window())


def proven(booking) -> None:
    """The booking's address is proven: it no longer counts against the address it came from."""
    key = cache.get(booking_key(booking))
    if key is None or not cache.delete(booking_key(booking)):
        return  # proven twice, counted long ago, or never counted
    try:
        if cache.decr(key) < 0:
            cache.set(key, 0, timeout=window())
    except ValueError:  # the address's window has ended: nothing to take off
        pass
