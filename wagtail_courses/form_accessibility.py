"""Tying a form's input to the text that describes it, so a screen reader reads them together.

A field's help and its error are shown beside the input, each under an id of its own; the
input's ``aria-describedby`` names them. It names only those the page shows: an id that is
on no element describes nothing, and would hide a mistake in a template. Each template
names its ids its own way (Wagtail's admin ``-helptext`` and ``-errors``, the app's pages
``-help`` and ``-error``), so the form says which; this module writes the attribute.

(``aria-invalid`` needs nothing here: Django marks an input with errors as it renders it.)
"""

from django import forms


def describe_by(widget: forms.Widget, *ids: str | None) -> None:
    """Describe the widget by the elements with these ids, in order; a falsy one (help text
    or an error the field doesn't have) is left out, and with none the attribute goes."""
    shown = [element_id for element_id in ids if element_id]
    if shown:
        widget.attrs["aria-describedby"] = " ".join(shown)
    else:
        widget.attrs.pop("aria-describedby", None)
