"""The answers to a course's questions as columns of the Bookings list and of its exports.

Each answer is read from ``Booking.form_data`` by its question's ``clean_name`` and worded as
the booking's own page words it (``formatting.answers.display_value``: a list joined, a
checkbox "Yes" or "No"). A column is a callable of the booking, as Django's admin takes in
``list_display``: it reads only the row, so a longer list makes no more queries.

The list shows the questions its editor ticked "show in the Bookings list"
(``CourseFormField.show_in_bookings_list``), of the one course it is filtered to; the exports
carry every question.
"""

from django.db.models import QuerySet
from django.utils.html import format_html

from wagtail_courses.formatting.answers import display_value
from wagtail_courses.models import CourseFormField, EventPage


class AnswerColumn:
    """One question's answers: ``column(booking)`` is the booking's answer ("" if none).

    In the list (``in_list``) the answer stays on one line, cut short by the list's CSS
    (``wagtail_courses/admin/bookings.css``) and whole in its tooltip; in an export it is the
    whole text.
    """

    def __init__(self, name: str, label: str, *, in_list: bool = False):
        self.name = name
        self.label = label
        self.in_list = in_list
        # What Django's admin reads off a ``list_display`` callable: its heading, the name in
        # its cells' and heading's classes, and what sorting by it orders by.
        self.short_description = label
        self.__name__ = f"answer_{name}"
        if "__" not in name:  # A name that is no lookup path can't be sorted on.
            self.admin_order_field = f"form_data__{name}"

    def __str__(self) -> str:
        return self.__name__  # The ``field-…`` class of the list's cells.

    def __repr__(self) -> str:
        return f"<AnswerColumn {self.name}>"

    def __call__(self, booking) -> str:
        answers = booking.form_data if isinstance(booking.form_data, dict) else {}
        value = answers.get(self.name)
        if value is None or value == "" or value == []:
            return ""
        text = display_value(value)
        if self.in_list:
            return format_html('<span class="wc-clip" title="{}">{}</span>', text, text)
        return text


def list_columns(course: EventPage | None) -> list[AnswerColumn]:
    """The columns the course's editor chose for its Bookings list, in the form's order."""
    if course is None:
        return []
    return [
        AnswerColumn(field.clean_name, field.label, in_list=True)
        for field in course.get_form_fields()
        if getattr(field, "show_in_bookings_list", False)
    ]


def export_columns(course: EventPage | None, bookings: QuerySet) -> list[AnswerColumn]:
    """Every question, in the form's order: of ``course``, or (for a list of several courses)
    of each course among ``bookings``, by the courses' titles.

    A question that several courses ask (the same ``clean_name``, which Wagtail makes from the
    label) is one column, headed with its label as the first course asks it: so one
    spreadsheet can be filtered by it across courses.
    """
    if course is not None:
        questions = [(field.clean_name, field.label) for field in course.get_form_fields()]
    else:
        questions = (
            CourseFormField.objects.filter(page_id__in=bookings.values("page_id"))
            .order_by("page__title", "page_id", "sort_order")
            .values_list("clean_name", "label")
        )
    columns = {}
    for name, label in questions:
        columns.setdefault(name, AnswerColumn(name, label))
    return list(columns.values())


def question_names(course: EventPage | None, bookings: QuerySet) -> list[str]:
    """The ``form_data`` keys of the questions asked of ``bookings``: of ``course`` if the list
    is filtered to one, else of each course among them."""
    if course is not None:
        return [field.clean_name for field in course.get_form_fields()]
    return list(
        CourseFormField.objects.filter(page_id__in=bookings.values("page_id"))
        .order_by("clean_name")
        .values_list("clean_name", flat=True)
        .distinct()
    )
