"""What the Bookings list's search looks in: the reference, name and email, and the answers.

As Django's admin searches (``DjangoORMSearchHandler``), every word must be found, each in any
one of them, ignoring case. An answer is looked for in its own question's value
(``form_data``'s key), never in the stored JSON as a whole, whose keys ("your_role") would
match every booking.

A list's answer (ticked checkboxes) is read back as JSON text, which on SQLite keeps
non-ASCII characters ``\\u``-escaped as they were stored ("Zo\\u00eb"), and on either database
escapes quotes: each word is also looked for as JSON writes it.
"""

import json

from django.db.models import Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.lookups import IContains


def search(bookings: QuerySet, term: str, *, fields, answers) -> QuerySet:
    """The ``bookings`` in which each word of ``term`` is in one of ``fields`` (the model's)
    or of the ``answers`` (``form_data`` keys)."""
    for word in term.split():
        bookings = bookings.filter(matching(word, fields, answers))
    return bookings


def matching(word: str, fields, answers) -> Q:
    found = Q()
    for field in fields:
        found |= Q(**{f"{field}__icontains": word})
    as_json = json.dumps(word)[1:-1]
    for name in answers:
        answer = KeyTextTransform(name, "form_data")
        found |= Q(IContains(answer, word))
        if as_json != word:
            found |= Q(IContains(answer, as_json))
    return found
