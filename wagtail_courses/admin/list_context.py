"""Where a booking stands in the Bookings list it was opened from: "3 of 40", the previous and
the next booking of that list, and the way back to it.

The list's filters, search and ordering travel with the links as one parameter,
``?list=<the list's own query string>``, from the list's rows to the booking's page, its action
pages and back. A parameter rather than the session: two tabs on two filters each keep their
own list, a link can be shared or bookmarked, and nothing is stored on the server.

The list is rebuilt from that parameter by the list's own view (``BookingIndexView``), stopped
once it has chosen its rows: only its declared filters, its search and ordering, the user's
own courses. A parameter it refuses (a value no filter takes, a NUL) or that is too long gives
no place in the list, never an error; a filter for a course the user can't see lists nothing.

Counted in two queries at most, whatever the list's length, by window functions over the list
(its rows are never fetched): one for a booking in the list, and for one not in it (approved
since, and so no longer "awaiting approval") a second that places it where the list's order
would put it, so that its neighbours are still the list's next and previous bookings.
"""

from copy import copy
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import FieldError, PermissionDenied
from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import FirstValue, Lag, Lead, RowNumber
from django.http import QueryDict
from django.utils.http import urlencode

PARAM = "list"
# Longer than any list the admin's own links make: refused rather than parsed.
MAX_LENGTH = 2000
# What the list's query string may hold that is no part of which bookings it shows.
NOT_THE_LIST = ("p", "export", "e", PARAM)


def shown_list(request) -> str:
    """The query string of the Bookings list page ``request`` shows, for the rows' links: its
    filters, search and ordering, without its page number."""
    params = request.GET.copy()
    for name in NOT_THE_LIST:
        params.pop(name, None)
    return params.urlencode()


def carried(request) -> str | None:
    """The list a page was opened from (its ``?list=``), or None if it wasn't."""
    query = request.GET.get(PARAM)
    if query is None or len(query) > MAX_LENGTH:
        return None
    return query


def with_list(url: str, query: str | None) -> str:
    """``url`` carrying the list (none if ``query`` is None)."""
    return url if query is None else f"{url}?{urlencode({PARAM: query})}"


def list_url(index_url: str, query: str, page: int = 1) -> str:
    """The Bookings list as it was, at ``page``."""
    params = QueryDict(query, mutable=True)
    if page > 1:
        params["p"] = str(page)
    return f"{index_url}?{params.urlencode()}" if params else index_url


@dataclass(frozen=True)
class Place:
    """A booking's place in a list: ``position`` counts from 1 (None: it isn't in the list)."""

    position: int | None
    total: int
    previous: int | None  # the neighbours' ids
    next: int | None
    page: int  # the list's page it is on (or would be)


class ListOnly:
    """The list's view, stopped once it has chosen its rows: what it lists, in its order."""

    def get(self, request, *args, **kwargs):
        return self.queryset


@cache
def list_only(index_view_class):
    return type(f"ListOnly{index_view_class.__name__}", (ListOnly, index_view_class), {})


def listed(model_admin, request, query: str) -> QuerySet | None:
    """The bookings the list at ``query`` shows ``request``'s user, in its order; None if the
    list refuses ``query``."""
    params = QueryDict(query, mutable=True)
    for name in NOT_THE_LIST:
        params.pop(name, None)
    list_request = copy(request)  # the same user, session and messages
    list_request.method, list_request.GET = "GET", params
    view = list_only(model_admin.index_view_class).as_view(model_admin=model_admin)
    try:
        bookings = view(list_request)
    except PermissionDenied:
        return None
    return bookings if isinstance(bookings, QuerySet) else None  # a 400: a refused filter


def place_in_list(model_admin, request, booking, query: str | None) -> Place | None:
    """Where ``booking`` stands in the list at ``query``, as ``request``'s user sees it."""
    if query is None:
        return None
    bookings = listed(model_admin, request, query)
    if bookings is None:
        return None
    per_page = model_admin.list_per_page
    try:
        if row := windowed(bookings, booking.pk):
            page = (row["position"] - 1) // per_page + 1
            return Place(row["position"], row["total"], row["before"], row["after"], page)
        # Not in the list (any more): placed where the list's order puts it, among the rest.
        row = windowed(bookings | with_only(bookings, booking.pk), booking.pk)
    except (FieldError, TypeError):
        return None  # a list that can't be counted this way (a site's own ordering)
    page = (row["position"] - 1) // per_page + 1
    return Place(None, row["total"] - 1, row["before"], row["after"], page)


def with_only(bookings: QuerySet, pk: int) -> QuerySet:
    """The one booking, as a queryset ``bookings`` can be combined with."""
    one = bookings.model._default_manager.filter(pk=pk)
    return one.distinct() if bookings.query.distinct else one


def windowed(bookings: QuerySet, pk: int) -> dict | None:
    """The booking's row number in ``bookings``' order, its neighbours' ids and the count."""
    over = {"order_by": list(bookings.query.order_by)}
    return (
        bookings.annotate(
            position=Window(RowNumber(), **over),
            before=Window(Lag("pk"), **over),
            after=Window(Lead("pk"), **over),
            total=Window(Count("pk")),
            # A window of its row alone: a filter on a window applies once all are counted,
            # where a filter on ``pk`` would leave one row to count.
            row=Window(FirstValue("pk"), partition_by=[F("pk")]),
        )
        .filter(row=pk)
        .values("position", "before", "after", "total")
        .first()
    )
