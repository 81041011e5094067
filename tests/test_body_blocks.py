"""Editors get a clear message for body content that would be inaccessible."""

import pytest
import wagtail_factories
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.rich_text import RichText

from tests.support.html import parse
from wagtail_courses.blocks import CourseBodyBlock, ImageBlock


@pytest.fixture
def undescribed_image(db):
    return wagtail_factories.ImageFactory(description="")


def test_image_without_alt_text_must_be_described_or_marked_decorative(undescribed_image):
    block = ImageBlock()
    value = block.to_python({"image": undescribed_image.pk, "alt_text": "", "decorative": False})

    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)

    assert "Describe the image" in str(error.value.block_errors["alt_text"])


def test_decorative_image_renders_with_empty_alt(undescribed_image):
    block = ImageBlock()
    value = block.clean(
        block.to_python({"image": undescribed_image.pk, "alt_text": "", "decorative": True})
    )

    assert parse_html(block.render(value)).img["alt"] == ""


def test_described_image_uses_its_alt_text(undescribed_image):
    block = ImageBlock()
    value = block.clean(
        block.to_python({"image": undescribed_image.pk, "alt_text": "A group in a circle"})
    )

    assert parse_html(block.render(value)).img["alt"] == "A group in a circle"


def test_sub_headings_need_a_section_heading_first(db):
    block = CourseBodyBlock()
    bad = block.to_python([{"type": "paragraph", "value": "<h3>Details</h3><p>Text</p>"}])
    good = block.to_python(
        [
            {"type": "heading", "value": "About"},
            {"type": "paragraph", "value": "<h3>Details</h3><p>Text</p>"},
        ]
    )

    with pytest.raises(StreamBlockValidationError) as error:
        block.clean(bad)
    assert "Add a heading block before" in str(error.value.non_block_errors)
    assert block.clean(good)[1].value == RichText("<h3>Details</h3><p>Text</p>")


def parse_html(html: str):
    class Response:
        content = html.encode()

    return parse(Response)
