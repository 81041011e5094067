"""The blocks an editor can use in a course's body."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        max_length=255,
        help_text=_(
            "What the image shows, for people who cannot see it. "
            "Leave blank to use the image's own description."
        ),
    )
    decorative = blocks.BooleanBlock(
        label=_("Decorative"),
        required=False,
        help_text=_("Tick if the image adds nothing a reader needs: screen readers skip it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "wagtail_courses/blocks/image.html"

    def clean(self, value, *args, **kwargs):
        value = super().clean(value, *args, **kwargs)
        image = value.get("image")
        described = value.get("alt_text") or getattr(image, "description", "")
        if image and not value.get("decorative") and not described:
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        _("Describe the image for people who cannot see it, or tick “Decorative”.")
                    )
                }
            )
        return value


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        label = _("Call-out")
        template = "wagtail_courses/blocks/callout.html"


class CourseBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        max_length=120,
        form_classname="title",
        template="wagtail_courses/blocks/heading.html",
        help_text=_("A section heading, such as “Who is the course for?”"),
    )
    paragraph = blocks.RichTextBlock(
        label=_("Rich text"),
        features=["h3", "bold", "italic", "link", "ol", "ul"],
    )
    image = ImageBlock()
    callout = CalloutBlock()

    def clean(self, value, *args, **kwargs):
        value = super().clean(value, *args, **kwargs)
        # Rich text may use level-3 headings, but only inside a section a heading block opened:
        # a page's outline must not jump from its title to a sub-heading.
        for child in value:
            if child.block_type == "heading":
                break
            if child.block_type == "paragraph" and "<h3" in child.value.source:
                raise StreamBlockValidationError(
                    non_block_errors=[
                        ValidationError(
                            _("Add a heading block before text that uses sub-headings.")
                        )
                    ]
                )
        return value
