"""An application's answers as the facilitators read them, in the admin and in their email."""

from django.utils.translation import gettext


def answers_in_form_order(form_fields, form_data: dict) -> list[tuple[str, str]]:
    """Each question's label with its answer, in the form's order.

    The order comes from the form's fields, not from the stored answers: PostgreSQL's jsonb
    does not keep a dict's order. A question left blank says so rather than vanishing, and
    answers to questions since deleted come last, by their name.
    """
    answers = dict(form_data)
    shown = [(field.label, answers.pop(field.clean_name, None)) for field in form_fields]
    shown += list(answers.items())
    return [(label, display_value(value)) for label, value in shown]


def display_value(value) -> str:
    if value is None or value == "" or value == []:
        return gettext("Not answered")
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
