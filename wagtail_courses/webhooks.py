"""Which of django-anymail's tracking webhooks a site's URLs reach without a webhook secret.

Anymail's webhook views check HTTP basic auth against its ``WEBHOOK_SECRET`` setting; without
one, most of them (every one that relies on basic auth, not on a provider's signature) take
any post as the provider's. ``anymail.urls`` mounts every provider's webhooks, so a site that
includes it exposes them all, whichever provider it uses.
"""

from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, get_resolver


def open_tracking_webhooks() -> list[str]:
    """The URL paths of anymail tracking webhooks that anyone may post to; [] if none."""
    try:
        from anymail.utils import get_anymail_setting
    except ImportError:  # django-anymail is optional
        return []
    # As anymail's own views read it (AnymailBasicAuthMixin): one "user:password", or a list.
    if get_anymail_setting("webhook_secret", default=[]):
        return []
    try:
        patterns = get_resolver().url_patterns
    except (ImportError, ImproperlyConfigured):
        return []  # a broken URLconf: Django's own URL checks report it
    return [path for path, view in _views(patterns) if _is_open_tracking_webhook(view)]


def _views(patterns, prefix: str = ""):
    """(path, view class or None) for every URL pattern, through every include."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), getattr(pattern.callback, "view_class", None)


def _is_open_tracking_webhook(view) -> bool:
    from anymail.signals import inbound
    from anymail.webhooks.base import AnymailBasicAuthMixin

    return (
        isinstance(view, type)
        and issubclass(view, AnymailBasicAuthMixin)
        # Views that check a provider's signature instead say so (anymail doesn't warn).
        and view.warn_if_no_basic_auth
        # Tracking views, and combined ones (signal None until a post says which it is).
        and view.signal is not inbound
    )
