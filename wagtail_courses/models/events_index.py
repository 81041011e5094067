"""The "All events" page: upcoming and past courses, filters and a calendar feed."""

from django.core.paginator import Paginator
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search.query import PlainText

from wagtail_courses import conf
from wagtail_courses.filters import CourseFilterForm
from wagtail_courses.models.base import CalendarRouteMixin, ListingPage, with_subclasses
from wagtail_courses.models.courses import EventPage
from wagtail_courses.models.queries import attach_sessions
from wagtail_courses.models.sessions import SessionPage
from wagtail_courses.text import search_words


class EventIndexPage(CalendarRouteMixin, ListingPage):
    subpage_types = ["wagtail_courses.EventPage"]

    @classmethod
    def clean_subpage_models(cls):
        return with_subclasses(super().clean_subpage_models())

    template = "wagtail_courses/event_index_page.html"

    class Meta:
        verbose_name = _("events index")
        verbose_name_plural = _("events indexes")

    def courses(self):
        return EventPage.objects.child_of(self).live().public()

    def calendar_response(self, request):
        """A subscribable iCalendar feed of the upcoming courses' sessions."""
        from wagtail_courses.views.calendar import index_calendar

        return index_calendar(request, self)

    def session_months(self, courses=None) -> list:
        """The months in which this index's listed courses meet, for the month filter.

        Only the live sessions of courses a visitor may see count: a draft or restricted
        course must not show through its dates. ``courses`` (``self.courses()``, if already
        built) spares a second look-up of view restrictions.
        """
        courses = self.courses() if courses is None else courses
        sessions = (
            self.scheduled_sessions()
            .filter(depth=self.depth + 2)
            .annotate(course_path=Substr("path", 1, Length("path") - SessionPage.steplen))
            .filter(course_path__in=courses.values("path"))
        )
        return list(sessions.dates("start", "month"))

    def scheduled_sessions(self):
        return (
            SessionPage.objects.live()
            .descendant_of(self)
            .filter(status=SessionPage.Status.SCHEDULED)
        )

    def search_course_ids(self, query: str) -> list[int]:
        """The courses matching the words of a visitor's search (any text is safe)."""
        words = search_words(query)
        if not words:
            return []
        courses = EventPage.objects.live().descendant_of(self)
        return [course.pk for course in courses.search(PlainText(words))]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        listed = self.courses()  # one look-up of view restrictions serves every list
        form = CourseFilterForm(
            request.GET if request.GET.keys() - {"page", "past_page"} else None,
            months=self.session_months(listed),
            delivery_modes=EventPage.DeliveryMode.choices,
        )
        courses = form.apply(
            listed,
            sessions=self.scheduled_sessions(),
            search=self.search_course_ids,
        )
        now = timezone.now()
        size = conf.index_page_size()
        when = form.period
        context["filter_form"] = form
        context["upcoming_courses"] = None
        context["past_courses"] = None
        if when != "past":
            context["upcoming_courses"] = self._page(courses.upcoming(now), size, request, "page")
        if when != "upcoming":
            context["past_courses"] = self._page(courses.past(now), size, request, "past_page")
        return context

    @staticmethod
    def _page(courses, size: int, request, param: str):
        page = Paginator(courses, size).get_page(request.GET.get(param))
        page.object_list = attach_sessions(page.object_list)
        return page
