"""The "All events" page: upcoming and past courses, filters and a calendar feed."""

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail_courses import conf
from wagtail_courses.filters import CourseFilterForm
from wagtail_courses.models.base import CalendarRouteMixin, ListingPage
from wagtail_courses.models.courses import EventPage
from wagtail_courses.models.queries import attach_sessions
from wagtail_courses.models.sessions import SessionPage


class EventIndexPage(CalendarRouteMixin, ListingPage):
    subpage_types = ["wagtail_courses.EventPage"]

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

    def session_months(self) -> list:
        """The months in which this index's courses meet, for the month filter."""
        return list(self.scheduled_sessions().dates("start", "month"))

    def scheduled_sessions(self):
        return (
            SessionPage.objects.live()
            .descendant_of(self)
            .filter(status=SessionPage.Status.SCHEDULED)
        )

    def search_course_ids(self, query: str) -> list[int]:
        return [course.pk for course in EventPage.objects.live().descendant_of(self).search(query)]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = CourseFilterForm(
            request.GET if request.GET.keys() - {"page", "past_page"} else None,
            months=self.session_months(),
            delivery_modes=EventPage.DeliveryMode.choices,
        )
        courses = form.apply(
            self.courses(),  # one look-up of view restrictions serves both lists
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
