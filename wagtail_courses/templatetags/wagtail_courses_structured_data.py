"""Puts a course's schema.org data on its page as JSON-LD."""

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from wagtail_courses.services.structured_data import course_graph

register = template.Library()

# A script element ends at the first "</script" whatever its type, and HTML escaping would
# corrupt the JSON: JSON's own \u escapes keep "<", ">" and "&" out of the markup instead,
# and a JSON-LD parser reads them back as the same characters. (Django's ``json_script`` does
# the same, but always writes type="application/json".)
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data: Any) -> SafeString:
    """``data`` as a JSON-LD script element that no value in it can break out of."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        JSON_SCRIPT_ESCAPES
    )
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text),  # noqa: S308 (escaped above for a script element)
    )


@register.simple_tag(takes_context=True)
def course_structured_data(context) -> SafeString:
    """The course page's JSON-LD, from the schedule and people its context already holds."""
    return json_ld_script(
        course_graph(
            course=context["page"],
            sessions=context["sessions"],
            facilitator_links=context["facilitator_links"],
            request=context["request"],
            places=context.get("places"),
        )
    )
