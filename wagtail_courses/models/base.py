"""What every page type of the app shares."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from wagtail_courses import conf
from wagtail_courses.forms import CoursesPageForm


class CoursesPage(Page):
    """Gives every page type of the app the host site's base template, and an editor form
    that keeps one-line text on one line (``forms.SingleLineTextMixin``)."""

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
