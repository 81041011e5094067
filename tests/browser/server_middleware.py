"""Forget content types between requests: the browser tests empty the database after each test.

Emptying it re-creates Django's content types, with new ids; a server process that kept the old
ones in ``ContentType``'s cache would then look pages up by ids that no longer exist (Wagtail's
page chooser, for one, would find no facilitators to offer).
"""

from django.contrib.contenttypes.models import ContentType


def fresh_content_types(get_response):
    def middleware(request):
        ContentType.objects.clear_cache()
        return get_response(request)

    return middleware
