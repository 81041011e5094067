"""Forget content types between requests: the browser tests empty the database after each test.

Emptying it re-creates Django's content types, with new ids; a server process that kept the old
ones in ``ContentType``'s cache would then look pages up by ids that no longer exist (Wagtail's
page chooser, for one, would find no facilitators to offer). Wagtail's Forms view keeps its own
copy of the form pages' content types, so that is forgotten too, or it would list no forms.
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.contrib.forms.utils import get_form_types


def fresh_content_types(get_response):
    def middleware(request):
        ContentType.objects.clear_cache()
        get_form_types.cache_clear()
        return get_response(request)

    return middleware
