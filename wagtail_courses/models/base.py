"""What every page type of the app shares."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, get_page_models
from wagtail.search import index

from wagtail_courses import conf
from wagtail_courses.forms import CoursesPageForm


def with_subclasses(page_models) -> list[type[Page]]:
    """These page types and every page type that extends one: a site's own ``EventPage``
    subclass goes where courses go, and holds sessions as they do."""
    return [model for model in get_page_models() if issubclass(model, tuple(page_models))]


def base_page_model() -> type[Page]:
    """The site's base page model, which every page type of the app extends.

    Wagtail 8 lets a site swap it (``WAGTAIL_PAGE_MODEL = "basepage.BasePage"``, a subclass of
    ``AbstractPage``); Wagtail 7 has only ``wagtailcore.Page``. It is read while Django imports
    the apps' models, where ``swapper.load_model`` fails ("Models aren't loaded yet"), so this
    imports the base page's models module itself: Wagtail's docs keep it in an app of its own.
    Like ``AUTH_USER_MODEL``, the setting is read once, when the models are defined.
    """
    label = getattr(settings, "WAGTAIL_PAGE_MODEL", "wagtailcore.Page")
    if label.lower() == "wagtailcore.page":
        return Page
    app_label, _dot, model_name = label.rpartition(".")
    app = apps.get_app_config(app_label)
    import_module(f"{app.name}.models")
    try:
        return app.get_model(model_name, require_ready=False)
    except LookupError:
        raise ImproperlyConfigured(
            f"WAGTAIL_PAGE_MODEL is {label!r}, which the app {app_label!r} does not define "
            "before it imports wagtail_courses."
        ) from None


class CoursesPage(base_page_model()):
    """Gives every page type of the app the host site's base template, and an editor form
    that keeps one-line text on one line (``forms.SingleLineTextMixin``).

    It extends the site's base page model (``base_page_model()``): a site with a custom one
    on Wagtail 8 gets courses that share its fields and are queried with its other pages.
    """

    base_form_class = CoursesPageForm

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["base_template"] = conf.base_template()
        return context


class CalendarRouteMixin(RoutablePageMixin):
    """Serves the page's iCalendar at ``<page URL>calendar/`` (Wagtail's paths allow no ".ics")."""

    @path("calendar/", name="calendar")
    def calendar(self, request):
        return self.calendar_response(request)

    def calendar_response(self, request):
        raise NotImplementedError

    @property
    def calendar_url(self) -> str:
        return self.url + self.reverse_subpage("calendar")


class ListingPage(CoursesPage):
    """A page that introduces and lists its children."""

    intro = RichTextField(
        verbose_name=_("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("A few words shown above the list."),
    )

    content_panels = CoursesPage.content_panels + [FieldPanel("intro")]
    search_fields = CoursesPage.search_fields + [index.SearchField("intro")]

    class Meta:
        abstract = True
