from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractFormField, EmailFormMixin, FormMixin
from wagtail.fields import RichTextField

from wagtail_courses.models.base import base_page_model

# wagtailcore.Page, or the site's own base page model on Wagtail 8 (WAGTAIL_PAGE_MODEL).
BasePage = base_page_model()


class HomePage(BasePage):
    """The example site's home page: a short welcome with links to the courses."""

    intro = RichTextField(verbose_name="introduction", blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    max_count = 1

    template = "demo/home_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().in_menu()
        return context

    class Meta:
        verbose_name = "home page"


class PlainFormField(AbstractFormField):
    page = ParentalKey(
        "demo.PlainFormPage",
        verbose_name="form page",
        on_delete=models.CASCADE,
        related_name="form_fields",
    )

    class Meta(AbstractFormField.Meta):
        verbose_name = "form field"
        verbose_name_plural = "form fields"


class PlainFormPage(EmailFormMixin, FormMixin, BasePage):
    """Wagtail's stock email form page, as its documentation builds one, and nothing more.

    It is the baseline that ``benchmarks/submit_application.py`` compares the course page's
    application form with, so it stays as Wagtail ships it: no overridden methods. It is
    ``AbstractEmailForm`` spelled out (its mixins on the site's base page model), as Wagtail's
    docs build a form page for a custom base page model. The demo
    content never includes one (``load_demo`` does not build it) and editors cannot add one;
    only the benchmark creates it, in its own throwaway database.
    """

    intro = RichTextField(verbose_name="introduction", blank=True)
    thank_you_text = RichTextField(verbose_name="thank-you text", blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form fields"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading="Email",
        ),
    ]

    # A benchmark baseline, not demo content: kept out of the admin's "Add child page" choices.
    is_creatable = False
    parent_page_types = ["demo.HomePage"]
    subpage_types = []

    template = "demo/plain_form_page.html"
    landing_page_template = "demo/plain_form_page_landing.html"

    class Meta:
        verbose_name = "plain form page"
