"""The slug a new session gets when the editor gives none: one no sibling page has yet.

Wagtail refuses a slug that a sibling already has, so a title used twice in a course
("Workshop", or "Session 3" after a renumbering) gets "-2", then "-3", as Wagtail numbers
the slugs it makes itself. The session editor and the "Add sessions" generator both use this
one rule, so a session gets the same slug whichever way it was added.
"""

from collections.abc import Container

from django.utils.text import slugify

# For a title slugify leaves nothing of (only punctuation, say): a slug must not be empty.
FALLBACK = "session"


def free_slug(title: str, *, taken: Container[str]) -> str:
    """The title's slug, numbered past those in ``taken`` (the siblings' slugs)."""
    base = slugify(title) or FALLBACK
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug
