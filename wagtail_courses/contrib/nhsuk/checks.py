"""The NHS.UK look needs wagtail-nhsuk-frontend, its templates must come before the app's, and
the base template the course pages extend should be an NHS.UK page.

Registered by the look's ``ready()``, so they run only where the look is installed."""

from django.apps import apps
from django.core.checks import Error, Warning
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.template.loader_tags import ExtendsNode, IncludeNode

from wagtail_courses import conf

LOOK_APP = "wagtail_courses.contrib.nhsuk"


def check_nhsuk_look(app_configs, **kwargs):
    problems = []
    if not apps.is_installed("wagtailnhsukfrontend"):
        problems.append(
            Error(
                "wagtail_courses.contrib.nhsuk is installed, but wagtailnhsukfrontend is not: "
                "the course pages would have no NHS.UK header, footer or styles.",
                hint="pip install wagtail-nhsuk-frontend, and add 'wagtailnhsukfrontend' to "
                "INSTALLED_APPS.",
                id="wagtail_courses.E017",
            )
        )
    # In INSTALLED_APPS order, however each is named there (a module or its AppConfig).
    order = [config.name for config in apps.get_app_configs()]
    both = {"wagtail_courses", LOOK_APP} <= set(order)
    if both and order.index("wagtail_courses") < order.index(LOOK_APP):
        problems.append(
            Error(
                "wagtail_courses.contrib.nhsuk is listed after wagtail_courses in "
                "INSTALLED_APPS, so Django finds the app's own templates first and the NHS.UK "
                "look is never used.",
                hint="Move 'wagtail_courses.contrib.nhsuk' above 'wagtail_courses'.",
                id="wagtail_courses.E018",
            )
        )
    return problems


def check_base_template_is_nhsuk(app_configs, **kwargs):
    """A base template without NHS.UK frontend's styles would show the NHS.UK markup unstyled:
    a stock `wagtail start` base.html, say. Read from the template's source and those it
    extends or includes by name; the app's own checks report a base template that is missing."""
    if conf.problem("BASE_TEMPLATE"):
        return []
    name = conf.base_template()
    try:
        sources = template_sources(get_template(name))
    except TemplateDoesNotExist:
        return []
    if sources is None or any("nhsuk" in source for source in sources):
        return []
    return [
        Warning(
            f"WAGTAIL_COURSES_BASE_TEMPLATE is {name!r}, which doesn't look like an NHS.UK "
            "page (neither it nor the templates it extends or includes mention 'nhsuk'): the "
            "NHS.UK look's course pages would be unstyled.",
            hint="Set it to your NHS.UK base template, or to 'wagtail_courses/base.html' for "
            "the look's own page, with wagtail-nhsuk-frontend's header and footer.",
            id="wagtail_courses.W012",
        )
    ]


def template_sources(template, seen: set[str] | None = None) -> list[str] | None:
    """The source of a Django template and of each template it extends or includes by name,
    each read once (a menu may include itself); None for another engine's template (Jinja2,
    say), which there is no reading."""
    origin_template = getattr(template, "template", None)
    if origin_template is None or not hasattr(origin_template, "nodelist"):
        return None
    seen = seen if seen is not None else {origin_template.origin.name}
    nodelist = origin_template.nodelist
    named = [node.parent_name for node in nodelist.get_nodes_by_type(ExtendsNode)]
    named += [node.template for node in nodelist.get_nodes_by_type(IncludeNode)]
    sources = [origin_template.source]
    for expression in named:
        name = expression.resolve(Context())
        if not isinstance(name, str):
            continue
        try:
            found = get_template(name)
        except TemplateDoesNotExist:
            continue
        origin = found.template.origin.name if hasattr(found, "template") else name
        if origin not in seen:
            seen.add(origin)
            sources += template_sources(found, seen) or []
    return sources
