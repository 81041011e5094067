"""The example site's URLs with anymail's webhooks mounted, as its settings' comment suggests."""

from django.urls import include, path

from example_site.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("anymail/", include("anymail.urls")), *site_urlpatterns]
