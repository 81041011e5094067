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
    return conf.application_rate_window()


def admit(request) -> str | None:
    """Count one more unproven application from the request's address, if it is under the
    limit: the count's key, to settle it with ``taken`` or ``withdraw``; None at the limit.

    Counted first and checked after, in one atomic step of the shared cache, so that requests
    at the same moment in several processes can't all slip under the limit together.
    """
    key = address_key(client_address(request))
    if add_one(key) > conf.application_rate_limit():
        take_one(key)
        return None
    return key


def taken(key: str, booking) -> None:
    """The application was taken: it counts until its address is proven (``proven``)."""
    cache.set(booking_key(booking), key, timeout=window())


def withdraw(key: str) -> None:
    """The application was not taken after all (refused, or a twin of one already taken)."""
    take_one(key)


def count_application(request) -> None:
    """A bot's post: counted against its address for the whole window, never proven."""
    add_one(address_key(client_address(request)))


def proven(booking) -> None:
    """The booking's address is proven: it no longer counts against the address it came from."""
    key = cache.get(booking_key(booking))
    if key is None or not cache.delete(booking_key(booking)):
        return  # proven twice, counted long ago, or never counted
    take_one(key)


def add_one(key: str) -> int:
    if cache.add(key, 1, timeout=window()):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(key, 1, timeout=window())
        return 1


def take_one(key: str) -> None:
    try:
        if cache.decr(key) < 0:
            cache.set(key, 0, timeout=window())
    except ValueError:  # the address's window has ended: nothing to take off
        pass
