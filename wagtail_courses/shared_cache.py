"""What every application reads and editors seldom change, kept in Django's default cache.

In a rush the same course's form is posted hundreds of times a minute. Its questions and the
site's course settings are read from the cache rather than the database each time, and are
dropped from it whenever they are saved or deleted (``signals``), so an editor's change shows
at once. With a per-process cache each worker keeps its own copy, dropped only in the process
that saved: use a shared cache in production (check ``wagtail_courses.W003``). Even then a
published course's questions are read afresh (its publication time is in the key), and
anything else is kept only a few minutes.
"""

from django.core.cache import cache

# Long enough to matter under a rush; a change is dropped from the cache when it is saved.
TIMEOUT = 5 * 60


def form_fields_key(page_id: int, published_at=None) -> str:
    stamp = published_at.timestamp() if published_at else ""
    return f"wagtail_courses:form_fields:{page_id}:{stamp}"


def site_settings_key(site_id: int) -> str:
    return f"wagtail_courses:site_settings:{site_id}"


def form_fields(course, read):
    """The course's questions: from the cache, or ``read()`` from the database into it."""
    key = form_fields_key(course.pk, course.last_published_at)
    return cache.get_or_set(key, lambda: list(read()), timeout=TIMEOUT)


def site_settings(site, read):
    return cache.get_or_set(site_settings_key(site.pk), read, timeout=TIMEOUT)


def forget_form_fields(page) -> None:
    cache.delete(form_fields_key(page.pk, page.last_published_at))


def forget_site_settings(site_id: int) -> None:
    cache.delete(site_settings_key(site_id))
