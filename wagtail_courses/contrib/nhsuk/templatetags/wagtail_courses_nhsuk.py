"""Template tags of the NHS.UK look: the package's header, footer and assets, and form inputs
with NHS.UK frontend's classes."""

from functools import cache
from importlib.resources import files

from django import template
from django.apps import apps
from django.forms import BoundField, Select
from django.template.loader import render_to_string
from django.templatetags.static import static

register = template.Library()

# The header and footer are edited in Wagtail's settings when the package's settings app is
# installed; without it, they are the package's templates with their defaults.
SETTINGS_APP = "wagtailnhsukfrontend.settings"


@cache
def frontend_asset(kind: str) -> str:
    """The static path of the NHS.UK frontend file the package ships, e.g.
    ``wagtailnhsukfrontend/css/nhsuk-frontend-10.4.2.min.css``: its name carries the version,
    which changes with the package."""
    folder = files("wagtailnhsukfrontend") / "static" / "wagtailnhsukfrontend" / kind
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(f".min.{kind}"))
    if not names:
        raise template.TemplateSyntaxError(f"wagtail-nhsuk-frontend ships no .min.{kind} file.")
    return f"wagtailnhsukfrontend/{kind}/{names[-1]}"


@register.simple_tag
def nhsuk_frontend_stylesheet() -> str:
    return static(frontend_asset("css"))


@register.simple_tag
def nhsuk_frontend_script() -> str:
    return static(frontend_asset("js"))


@register.simple_tag(takes_context=True)
def nhsuk_header(context) -> str:
    if apps.is_installed(SETTINGS_APP):
        from wagtailnhsukfrontend.settings.templatetags.nhsukfrontendsettings_tags import header

        return render_to_string("wagtailnhsukfrontend/header.html", header(context))
    return render_to_string("wagtailnhsukfrontend/header.html", {})


@register.simple_tag(takes_context=True)
def nhsuk_footer(context) -> str:
    if apps.is_installed(SETTINGS_APP):
        from wagtailnhsukfrontend.settings.templatetags.nhsukfrontendsettings_tags import footer

        return render_to_string("wagtailnhsukfrontend/footer.html", footer(context))
    return render_to_string("wagtailnhsukfrontend/footer.html", {})


@register.filter
def nhsuk_input(field: BoundField):
    """The field's input with NHS.UK frontend's class for its kind, and its error class when
    it has an error (``nhsuk-input nhsuk-input--error``). Radio buttons and checkbox groups are
    laid out by the template, option by option."""
    # Imported here, not above: without the package this library still loads, and the
    # look's check (wagtail_courses.E017) can say what is missing.
    from wagtailnhsukfrontend.forms.templatetags.nhsukfrontendforms_tags import (
        get_widget_html_class,
        get_widget_html_error_class,
    )

    widget = field.field.widget
    classes = [widget.attrs.get("class", ""), get_widget_html_class(widget)]
    if field.errors:
        # The package's helper has no error class for a select; NHS.UK frontend has one.
        is_select = isinstance(widget, Select)
        classes.append("nhsuk-select--error" if is_select else get_widget_html_error_class(widget))
    return field.as_widget(attrs={"class": " ".join(name for name in classes if name)})
