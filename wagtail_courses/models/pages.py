"""The page types: courses, their sessions, and the people who run them."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.forms.models import EmailFormMixin, FormMixin
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from wagtail_courses import conf
from wagtail_courses.application_form import ApplicationFormBuilder
from wagtail_courses.blocks import CourseBodyBlock
from wagtail_courses.currency import format_price
from wagtail_courses.filters import CourseFilterForm
from wagtail_courses.forms import EventPageForm, SessionPageForm
from wagtail_courses.services import schedule
from wagtail_courses.services.schedule_summary import describe_schedule
from wagtail_courses.validators import validate_time_zone


class CoursesPage(Page):
    """Gives every page type of the app the host site's base template."""

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


class EventPageQuerySet(PageQuerySet):
    def with_schedule(self, now=None):
        """Annotate each course with its dates, read from its live child sessions.

        One query serves a whole listing, however many courses or sessions there are.
        """
        now = now or timezone.now()
        # Cancelled sessions stay on the schedule, marked, but don't set a course's dates.
        sessions = SessionPage.objects.live().filter(
            path__startswith=OuterRef("path"),
            depth=OuterRef("depth") + 1,
            status=SessionPage.Status.SCHEDULED,
        )
        return self.annotate(
            first_start=Subquery(sessions.order_by("start").values("start")[:1]),
            last_end=Subquery(sessions.order_by("-end").values("end")[:1]),
            next_start=Subquery(
                sessions.filter(start__gte=now).order_by("start").values("start")[:1]
            ),
        )

    def upcoming(self, now=None):
        """Courses whose last session has not ended (or has no date yet), soonest first."""
        now = now or timezone.now()
        return (
            self.with_schedule(now)
            .filter(Q(last_end__gte=now) | Q(last_end__isnull=True))
            .order_by(
                Coalesce("next_start", "first_start").asc(nulls_last=True),
                "title",
            )
        )

    def past(self, now=None):
        """Courses whose last session has ended, most recent first."""
        now = now or timezone.now()
        return self.with_schedule(now).filter(last_end__lt=now).order_by("-last_end", "title")


EventPageManager = PageManager.from_queryset(EventPageQuerySet)


def attach_sessions(courses) -> list:
    """Give each listed course its live sessions, fetched for all of them in one query.

    Sessions are child pages, out of reach of ``prefetch_related``; a card needs them all
    to summarise its schedule.
    """
    courses = list(courses)
    by_path = {course.path: course for course in courses}
    for course in courses:
        course.listed_sessions = []
    if courses:
        paths = Q()
        for path in by_path:
            paths |= Q(path__startswith=path)
        sessions = SessionPage.objects.live().filter(paths, depth=courses[0].depth + 1)
        for session in sessions.order_by("start", "path"):
            course = by_path.get(session.path[: -SessionPage.steplen])
            if course is not None:
                course.listed_sessions.append(session)
    return courses


class EventPage(CalendarRouteMixin, EmailFormMixin, FormMixin, CoursesPage):
    class DeliveryMode(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid (online and in person)")

    summary = models.TextField(
        verbose_name=_("summary"),
        max_length=500,
        help_text=_("One or two sentences, shown under the title and on the list of courses."),
    )
    body = StreamField(
        CourseBodyBlock(),
        verbose_name=_("body"),
        blank=True,
        help_text=_("What the course is, who it is for and how it runs."),
    )
    delivery_mode = models.CharField(
        verbose_name=_("delivery mode"),
        max_length=20,
        choices=DeliveryMode.choices,
        default=DeliveryMode.ONLINE,
    )
    venue = models.CharField(
        verbose_name=_("venue"),
        max_length=255,
        blank=True,
        help_text=_("Where it takes place. Leave blank for an online course: it shows “Online”."),
    )
    time_zone = models.CharField(
        verbose_name=_("time zone"),
        max_length=64,
        default=conf.default_time_zone,
        validators=[validate_time_zone],
        help_text=_("Session times are entered and shown in this time zone."),
    )
    price = models.DecimalField(
        verbose_name=_("price"),
        max_digits=8,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("The price of a paid place. Zero shows as “Free”."),
    )
    currency = models.CharField(
        verbose_name=_("currency"),
        max_length=3,
        default=conf.default_currency,
        validators=[
            RegexValidator(r"^[A-Z]{3}$", _("Enter a three-letter currency code, such as GBP."))
        ],
        help_text=_("A three-letter ISO 4217 code, such as GBP."),
    )
    booking_information = RichTextField(
        verbose_name=_("booking information"),
        blank=True,
        features=["bold", "italic", "link", "ul", "ol"],
        help_text=_("Shown under “Apply and book your place”: how booking works for this course."),
    )

    booking_opens_at = models.DateTimeField(
        verbose_name=_("applications open"),
        null=True,
        blank=True,
        help_text=_("Leave blank to take applications as soon as the course is published."),
    )
    booking_closes_at = models.DateTimeField(
        verbose_name=_("applications close"),
        null=True,
        blank=True,
        help_text=_("Leave blank to close when the first session starts."),
    )
    what_happens_next = models.TextField(
        verbose_name=_("what happens next"),
        blank=True,
        max_length=2000,
        default=_("The facilitators will read your application and contact you about your place."),
        help_text=_("Told to applicants on the confirmation page and in their email."),
    )

    objects = EventPageManager()

    content_panels = CoursesPage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("delivery_mode"),
                FieldPanel("venue"),
                FieldPanel("time_zone"),
            ],
            heading=_("Where and when"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("price"), FieldPanel("currency")])],
            heading=_("Price"),
        ),
        InlinePanel("facilitator_links", label=_("Facilitators"), heading=_("Facilitators")),
        FieldPanel("booking_information"),
    ]
    application_panels = [
        FieldRowPanel(
            [FieldPanel("booking_opens_at"), FieldPanel("booking_closes_at")],
            heading=_("When applications are taken"),
        ),
        InlinePanel(
            "form_fields",
            label=_("Questions"),
            heading=_("Questions"),
            help_text=_(
                "Every application also asks for a full name, an email address and consent "
                "to the privacy notice: don't add those here."
            ),
        ),
        FieldPanel("what_happens_next"),
        MultiFieldPanel(
            [FieldPanel("to_address"), FieldPanel("subject")],
            heading=_("Who is told about applications"),
            help_text=_("The facilitators' contact emails are always told."),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(application_panels, heading=_("Application form")),
            ObjectList(CoursesPage.promote_panels, heading=_("Promote")),
            *(
                [ObjectList(CoursesPage.settings_panels, heading=_("Settings"))]
                if CoursesPage.settings_panels
                else []
            ),
        ],
        base_form_class=EventPageForm,
    )
    search_fields = CoursesPage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("venue"),
        index.FilterField("delivery_mode"),
    ]

    parent_page_types = ["wagtail_courses.EventIndexPage"]
    subpage_types = ["wagtail_courses.SessionPage"]
    base_form_class = EventPageForm
    form_builder = ApplicationFormBuilder
    # The course page itself, with its form; no separate "landing page" preview.
    preview_modes = Page.DEFAULT_PREVIEW_MODES

    template = "wagtail_courses/event_page.html"
    landing_page_template = "wagtail_courses/application_received.html"

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def clean(self):
        super().clean()
        opens, closes = self.booking_opens_at, self.booking_closes_at
        if opens and closes and closes <= opens:
            raise ValidationError(
                {"booking_closes_at": _("Applications must close after they open.")}
            )

    @property
    def tzinfo(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            # A zone this machine's tzdata no longer knows must not take the page down.
            return ZoneInfo(settings.TIME_ZONE)

    @property
    def price_label(self) -> str:
        return format_price(self.price, self.currency)

    @property
    def location_label(self) -> str:
        if self.venue:
            return self.venue
        if self.delivery_mode == self.DeliveryMode.ONLINE:
            return str(_("Online"))
        return ""

    @property
    def schedule_summary(self) -> str:
        """The card line; needs ``attach_sessions()`` to have run on the listing."""
        return describe_schedule(self.listed_sessions, self.tzinfo) or str(
            _("Dates to be announced")
        )

    def sessions(self):
        return SessionPage.objects.child_of(self).live().order_by("start", "path")

    def booking_closes(self):
        """When applications close: as set, or when the first scheduled session starts."""
        if self.booking_closes_at:
            return self.booking_closes_at
        first = self.sessions().filter(status=SessionPage.Status.SCHEDULED).first()
        return first.start if first else None

    def is_booking_open(self, now=None) -> bool:
        now = now or timezone.now()
        closes = self.booking_closes()
        opens = self.booking_opens_at
        return (opens is None or opens <= now) and (closes is None or now < closes)

    # Wagtail's form builder, on the course page

    def get_submission_class(self):
        from wagtail_courses.models.bookings import Booking

        return Booking

    def get_submissions_list_view_class(self):
        # Wagtail's own submissions view, with exports that keep visitors' formulas inert.
        from wagtail_courses.admin_views import CourseSubmissionsListView

        return CourseSubmissionsListView

    def get_data_fields(self):
        """The columns of Wagtail's submissions view and its CSV/XLSX exports."""
        return [
            ("reference", _("Reference")),
            ("name", _("Name")),
            ("email", _("Email")),
            ("status", _("Status")),
            *super().get_data_fields(),
        ]

    @path("")
    def index_route(self, request, *args, **kwargs):
        from wagtail_courses.views.applications import course_page

        return course_page(request, self)

    @path("application/<str:reference>/", name="application")
    def application_route(self, request, reference):
        from wagtail_courses.views.applications import application_received

        return application_received(request, self, reference)

    def calendar_response(self, request):
        """The course's sessions as an iCalendar (.ics) file."""
        from wagtail_courses.views.calendar import course_calendar

        return course_calendar(request, self)

    def facilitators(self):
        """The course's facilitators whose profiles are published."""
        return (
            self.facilitator_links.filter(facilitator__live=True)
            .select_related("facilitator", "facilitator__portrait")
            .prefetch_related("facilitator__portrait__renditions")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sessions = list(self.sessions())
        scheduled = [session for session in sessions if not session.is_cancelled]
        context["sessions"] = sessions
        context["schedule_summary"] = describe_schedule(sessions, self.tzinfo)
        context["first_session"] = scheduled[0] if scheduled else None
        if scheduled:
            context["first_session_label"] = schedule.session_time_html(
                scheduled[0].start, scheduled[0].end, self.tzinfo
            )
        context["facilitator_links"] = self.facilitators()
        context["index_page"] = self.get_parent()
        return context


class EventFacilitator(Orderable):
    """A facilitator on a course, in the order the course page lists them."""

    page = ParentalKey(
        EventPage,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="facilitator_links",
    )
    facilitator = models.ForeignKey(
        "wagtail_courses.FacilitatorPage",
        verbose_name=_("facilitator"),
        on_delete=models.CASCADE,
        related_name="course_links",
    )
    role = models.CharField(
        verbose_name=_("role"),
        max_length=100,
        blank=True,
        help_text=_("Optional, such as “Course lead”."),
    )

    panels = [FieldPanel("facilitator"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("course facilitator")
        verbose_name_plural = _("course facilitators")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "facilitator"], name="wagtail_courses_unique_course_facilitator"
            )
        ]

    def __str__(self):
        return str(self.facilitator)


class SessionPage(CoursesPage):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    start = models.DateTimeField(verbose_name=_("start"))
    end = models.DateTimeField(verbose_name=_("end"))
    description = RichTextField(
        verbose_name=_("description"),
        blank=True,
        features=["bold", "italic", "link", "ul", "ol"],
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.SCHEDULED,
        help_text=_("A cancelled session stays on the page, marked as cancelled."),
    )
    # Calendars replace an event they already hold only when its SEQUENCE rises.
    sequence = models.PositiveIntegerField(
        verbose_name=_("calendar sequence"), default=0, editable=False
    )

    content_panels = CoursesPage.content_panels + [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading=_("When")),
        FieldPanel("status"),
        FieldPanel("description"),
    ]
    search_fields = CoursesPage.search_fields + [index.SearchField("description")]

    parent_page_types = ["wagtail_courses.EventPage"]
    subpage_types = []
    base_form_class = SessionPageForm

    template = "wagtail_courses/session_page.html"

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    # What a calendar shows of a session: a change to any of these is a new SEQUENCE.
    CALENDAR_FIELDS = ("title", "start", "end", "status", "description")

    def save(self, *args, **kwargs):
        # Counted from the stored row, not from this instance: publishing an old revision
        # must still raise the sequence.
        stored = (
            SessionPage.objects.filter(pk=self.pk).values("sequence", *self.CALENDAR_FIELDS).first()
            if self.pk
            else None
        )
        if stored is not None:
            changed = any(stored[name] != getattr(self, name) for name in self.CALENDAR_FIELDS)
            self.sequence = stored["sequence"] + (1 if changed else 0)
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The session must end after it starts.")})

    @classmethod
    def default_title(cls, course: EventPage, start) -> str:
        """ "Session N", where N is the session's place among the course's sessions by start."""
        earlier = SessionPage.objects.child_of(course).filter(start__lt=start).count()
        return cls.numbered_title(earlier + 1)

    @staticmethod
    def numbered_title(number: int) -> str:
        return str(_("Session %(number)d") % {"number": number})

    @cached_property
    def course(self) -> EventPage:
        return self.get_parent().specific

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def route(self, request, path_components):
        # Wagtail serves a live page under a draft parent; a session belongs to its course.
        if not path_components and not self.course.live:
            raise Http404
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["course"] = self.course
        return context


class FacilitatorIndexPage(ListingPage):
    subpage_types = ["wagtail_courses.FacilitatorPage"]

    template = "wagtail_courses/facilitator_index_page.html"

    class Meta:
        verbose_name = _("facilitators index")
        verbose_name_plural = _("facilitators indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["facilitators"] = (
            FacilitatorPage.objects.child_of(self)
            .live()
            .public()
            .select_related("portrait")
            .prefetch_related("portrait__renditions")
            .order_by("title")
        )
        return context


class FacilitatorPage(CoursesPage):
    job_title = models.CharField(verbose_name=_("job title"), max_length=255, blank=True)
    organisation = models.CharField(verbose_name=_("organisation"), max_length=255, blank=True)
    portrait = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("portrait"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    portrait_alt_text = models.CharField(
        verbose_name=_("portrait alternative text"),
        max_length=255,
        blank=True,
        help_text=_("Leave blank for “Portrait of <name>”."),
    )
    biography = RichTextField(
        verbose_name=_("biography"), blank=True, features=["bold", "italic", "link", "ul", "ol"]
    )
    contact_email = models.EmailField(
        verbose_name=_("contact email"),
        blank=True,
        help_text=_(
            "Receives applications for this facilitator's courses. Never shown on the website."
        ),
    )

    content_panels = CoursesPage.content_panels + [
        FieldPanel("job_title"),
        FieldPanel("organisation"),
        MultiFieldPanel(
            [FieldPanel("portrait"), FieldPanel("portrait_alt_text")], heading=_("Portrait")
        ),
        FieldPanel("biography"),
        FieldPanel("contact_email"),
    ]
    # The contact email is deliberately not indexed: search results are public.
    search_fields = CoursesPage.search_fields + [
        index.SearchField("job_title"),
        index.SearchField("organisation"),
        index.SearchField("biography"),
    ]

    parent_page_types = ["wagtail_courses.FacilitatorIndexPage"]
    subpage_types = []

    template = "wagtail_courses/facilitator_page.html"

    class Meta:
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitators")

    @property
    def portrait_alt(self) -> str:
        return self.portrait_alt_text or str(_("Portrait of %(name)s") % {"name": self.title})

    def upcoming_courses(self):
        return (
            EventPage.objects.live().public().filter(facilitator_links__facilitator=self).upcoming()
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["upcoming_courses"] = attach_sessions(self.upcoming_courses())
        context["index_page"] = self.get_parent()
        return context
