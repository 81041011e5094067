"""The people who run courses, and the page that lists them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
)
from wagtail.fields import RichTextField
from wagtail.images import get_image_model_string
from wagtail.search import index

from wagtail_courses.forms import FacilitatorPageForm
from wagtail_courses.models.base import CoursesPage, ListingPage
from wagtail_courses.models.courses import EventPage
from wagtail_courses.models.queries import attach_sessions


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
    # Changing the contact email needs a bookings permission for the facilitator's courses.
    base_form_class = FacilitatorPageForm

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
