from wagtail.admin.panels import FieldPanel
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
