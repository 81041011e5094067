"""Middleware for ``benchmarks/booking_rush.py``: how many queries each POST made.

``benchmarks/settings.py`` puts it first in ``MIDDLEWARE`` when
``WAGTAIL_COURSES_BENCH_QUERY_LOG`` names a file, so that the count covers every other
middleware and the view. Each POST logs one line, "<status> <queries>", on the
``benchmarks.queries`` logger, which those settings send to that file.
"""

import logging

from django.db import connection

logger = logging.getLogger("benchmarks.queries")


class QueryCounter:
    """A database execute wrapper that only counts (``connection.execute_wrapper``)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        if request.method == "POST":
            # Only POSTs: the rush's figures are per application sent.
            logger.debug("%s %s", response.status_code, counter.count)
        return response
