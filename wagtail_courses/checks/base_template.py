"""The template every public page of the app extends (``WAGTAIL_COURSES_BASE_TEMPLATE``)."""

from django.core.checks import Error, Tags, Warning, register
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.template.loader_tags import BlockNode, ExtendsNode

from wagtail_courses import conf


@register(Tags.templates)
def check_base_template(app_configs, **kwargs):
    """The base template exists and has the blocks the app's pages fill: the names of Wagtail's
    own project template (``wagtail start``)."""
    if conf.problem("BASE_TEMPLATE"):
        return []  # not a template name at all: check_setting_values says so
    name = conf.base_template()
    try:
        template = get_template(name)
    except TemplateDoesNotExist:
        return [
            Error(
                f"WAGTAIL_COURSES_BASE_TEMPLATE is {name!r}, but no such template can be found.",
                hint="Set it to your site's base template, e.g. 'base.html'.",
                id="wagtail_courses.E001",
            )
        ]
    blocks = template_blocks(template)
    if blocks is None:  # not a Django template (Jinja2, say): nothing to read
        return []
    return missing_block_problems(name, blocks)


def missing_block_problems(name: str, blocks: set[str]) -> list:
    problems = []
    if "content" not in blocks:
        problems.append(
            Error(
                f"The base template {name!r} has no 'content' block: course pages would be empty.",
                hint="Add {% block content %}{% endblock %} where a page's main content goes.",
                id="wagtail_courses.E007",
            )
        )
    if "extra_css" not in blocks:
        problems.append(
            Warning(
                f"The base template {name!r} has no 'extra_css' block: the app's stylesheet "
                "is not loaded, and course pages are unstyled.",
                hint="Add {% block extra_css %}{% endblock %} inside <head>, as Wagtail's "
                "project template has, or link wagtail_courses/css/courses.css yourself.",
                id="wagtail_courses.W007",
            )
        )
    return problems


def template_blocks(template) -> set[str] | None:
    """The names of the blocks in a Django template and the templates it extends."""
    nodelist = getattr(getattr(template, "template", None), "nodelist", None)
    if nodelist is None:
        return None
    names = {node.name for node in nodelist.get_nodes_by_type(BlockNode)}
    for extends in nodelist.get_nodes_by_type(ExtendsNode):
        parent = extends.parent_name.resolve(Context())
        if isinstance(parent, str):
            try:
                names |= template_blocks(get_template(parent)) or set()
            except TemplateDoesNotExist:
                pass
    return names
