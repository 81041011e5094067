"""A course's page, with its application form (Wagtail's form builder), and its facilitators.

The page goes through Wagtail's form hooks, so that a site extends it the way Wagtail's docs
teach: ``get_form_parameters()`` gives the form what it needs, ``process_form_submission()``
takes the application (through ``services.applications``) and ``render_landing_page()``
redirects to the page that says it was received. The routes hand the request to
``views.applications``, imported inside them: the one place the models reach up.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from wagtail_courses import conf
from wagtail_courses.blocks import CourseBodyBlock
from wagtail_courses.formatting import schedule
from wagtail_courses.formatting.currency import format_price
from wagtail_courses.formatting.schedule_summary import describe_schedule
from wagtail_courses.forms import EventPageForm
from wagtail_courses.models.application_form_page import ApplicationFormMixin
from wagtail_courses.models.base import CalendarRouteMixin, CoursesPage
from wagtail_courses.models.booking_rules import BookingRules
from wagtail_courses.models.course_life import CourseLife
from wagtail_courses.models.queries import EventPageManager
from wagtail_courses.models.sessions import SessionPage
from wagtail_courses.validators import validate_time_zone


class EventPage(CalendarRouteMixin, ApplicationFormMixin, BookingRules, CourseLife, CoursesPage):
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
    # The explorer lists a course's sessions in tree order, which is the order they start
    # (``session_order``), not the last updated first.
    admin_default_ordering = "ord"
    # Wagtail's own "Copy" too: the old run's joining link is no place for the next run's.
    exclude_fields_in_copy = ["joining_link"]

    content_panels = CoursesPage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("delivery_mode"),
                FieldPanel("venue"),
                FieldPanel("time_zone"),
                HelpPanel(
                    content=_(
                        "The dates are the course's sessions: once the course is saved, "
                        "“Add sessions” in the ⋯ menu at the top of this page adds a weekly "
                        "run of them, or add one with “Add child page”."
                    )
                ),
            ],
            heading=_("Where and when"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("price"), FieldPanel("currency")])],
            heading=_("Price"),
        ),
        InlinePanel("facilitator_links", label=_("Facilitator"), heading=_("Facilitators")),
        FieldPanel("booking_information"),
    ]
    application_panels = [
        FieldRowPanel(
            [FieldPanel("booking_opens_at"), FieldPanel("booking_closes_at")],
            heading=_("When applications are taken"),
        ),
        InlinePanel(
            "form_fields",
            label=_("Question"),
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
        FieldPanel(
            "from_address",
            heading=_("Emails come from"),
            help_text=_(
                "The sender of this course's emails, to applicants and to the facilitators. "
                "Leave blank for the site's sender."
            ),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(application_panels, heading=_("Application form")),
            ObjectList(BookingRules.places_panels, heading=_("Places")),
            ObjectList(CourseLife.life_panels, heading=_("Attendance")),
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
    # The course page itself, with its form; no separate "landing page" preview.
    preview_modes = CoursesPage.DEFAULT_PREVIEW_MODES

    template = "wagtail_courses/event_page.html"
    landing_page_template = "wagtail_courses/application_received.html"

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def clean(self):
        super().clean()  # BookingRules checks the places and payment
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

    def booking_closes(self, sessions=None):
        """When applications close: as set, or when the first scheduled session starts.

        ``sessions`` (the course's sessions in order, if already loaded) spares a query.
        """
        if self.booking_closes_at:
            return self.booking_closes_at
        return self.first_session_start(sessions)

    def cancellation_closes(self, sessions=None):
        """Until when applicants may cancel online: the cut-off before the first session."""
        first = self.first_session_start(sessions)
        return first - timedelta(hours=self.cancellation_cutoff_hours) if first else None

    def first_session_start(self, sessions=None):
        if sessions is None:
            first = self.sessions().filter(status=SessionPage.Status.SCHEDULED).first()
        else:
            first = next((session for session in sessions if not session.is_cancelled), None)
        return first.start if first else None

    def is_booking_open(self, now=None, sessions=None) -> bool:
        now = now or timezone.now()
        closes = self.booking_closes(sessions)
        opens = self.booking_opens_at
        return (opens is None or opens <= now) and (closes is None or now < closes)

    @path("")
    def index_route(self, request, *args, **kwargs):
        from wagtail_courses.views.applications import course_page

        return course_page(request, self)

    @path("application/<str:reference>/", name="application")
    def application_route(self, request, reference):
        from wagtail_courses.views.applications import application_received

        return application_received(request, self, reference)

    @path("manage/<str:token>/", name="manage_booking")
    def manage_booking_route(self, request, token):
        from wagtail_courses.views.manage import manage_booking

        return manage_booking(request, self, token)

    @path("manage/<str:token>/certificate/", name="manage_certificate")
    def certificate_download_route(self, request, token):
        from wagtail_courses.views.certificates import download_certificate

        return download_certificate(request, self, token)

    @path("certificate/<str:reference>/", name="certificate")
    def certificate_check_route(self, request, reference):
        from wagtail_courses.views.certificates import check_certificate

        return check_certificate(request, self, reference)

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
