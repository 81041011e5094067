"""What the editor's change-notice panel says (``ChangeNoticePanel``): who would be told, and
their email. A tag rather than the panel's own code: panels are imported by the models, and
this needs the ``change_notices`` service, which imports the models."""

from django import template

from wagtail_courses.services import change_notices

register = template.Library()


@register.simple_tag
def change_notice(page) -> dict:
    """The box's label, and the email's subject and text (``example``: no change yet)."""
    return {"label": change_notices.ask_label(page), **change_notices.preview(page)}
