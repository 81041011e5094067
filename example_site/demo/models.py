from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The example site's home page: a short welcome with links to the courses."""

    intro = RichTextField(verbose_name="introduction", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
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


class PlainFormPage(AbstractEmailForm):
    """Wagtail's stock email form page, as its documentation builds one, and nothing more.

    It is the baseline that ``benchmarks/submit_application.py`` compares the course page's
    application form with, so it stays as Wagtail ships it: no overridden methods. The demo
    content never includes one (``load_demo`` does not build it) and editors cannot add one;
    only the benchmark creates it, in its own throwaway database.
    """

    intro = RichTextField(verbose_name="introduction", blank=True)
    thank_you_text = RichTextField(verbose_name="thank-you text", blank=True)

    content_panels = AbstractEmailForm.content_panels + [
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
