"""The example site's URLs, plus its uploaded files (portraits), as the browser tests serve it.

The example site serves media only with DEBUG on; the browser tests run it as in production.
"""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from example_site.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *site_urlpatterns,
]
