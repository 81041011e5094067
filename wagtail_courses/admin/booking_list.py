"""The Bookings list (``BookingAdmin``'s index view), its filters, its search and its exports.

Filtered to one course (``filtered_course``), the list shows the answers its editor chose as
columns (``answer_columns``); its search looks in every answer (``booking_search``); its
exports carry every question, and are named after the course and the day.

Everything in a booking was typed by a visitor: the exports go through
``exports.FormulaSafeExportMixin``, so a cell a visitor filled in is never run as a formula.
"""

from django.contrib.admin import (
    ChoicesFieldListFilter,
    DateFieldListFilter,
    FieldListFilter,
    RelatedOnlyFieldListFilter,
)
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import (
    build_q_object_from_lookup_parameters,
    get_fields_from_path,
    label_for_field,
    lookup_field,
)
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail_modeladmin.views import IndexView

from wagtail_courses.admin import booking_search
from wagtail_courses.admin.answer_columns import AnswerColumn, export_columns, question_names
from wagtail_courses.admin.exports import (
    FormulaSafeExportMixin,
    ReadableExportMixin,
    course_in_filename,
)
from wagtail_courses.admin.filtered_course import filtered_course
from wagtail_courses.models import Booking, EventPage
from wagtail_courses.services.booking_status import shown_as


class CourseListFilter(RelatedOnlyFieldListFilter):
    """Only the courses that have bookings, not every page of the site."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = gettext_lazy("course")


class StatusListFilter(ChoicesFieldListFilter):
    """By the status the list shows (``booking_status.shown_status``), not the one stored:
    "Expired" also finds the holds whose time ran out before they were marked so, which
    "Awaiting payment" then no longer finds. Its links are Django's (``?status__exact=…``)."""

    def queryset(self, request, queryset):
        shown = self.used_parameters.get(self.lookup_kwarg)
        if not shown:
            return super().queryset(request, queryset)
        if unknown := set(shown) - set(Booking.Status.values):
            # Not a status (an old link, a typed URL): say so, rather than list nothing.
            raise IncorrectLookupParameters(f"No such status: {sorted(unknown)}")
        now = timezone.now()
        wanted = Q()
        for value in shown:
            wanted |= shown_as(value, now)
        # Anything else it was given (``status__isnull``) filters as Django's would.
        others = {k: v for k, v in self.used_parameters.items() if k != self.lookup_kwarg}
        try:
            return queryset.filter(wanted, build_q_object_from_lookup_parameters(others))
        except (ValueError, ValidationError) as error:
            raise IncorrectLookupParameters(error) from error


class SubmittedListFilter(DateFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = gettext_lazy("submitted")


class BookingIndexView(FormulaSafeExportMixin, ReadableExportMixin, IndexView):
    """The Bookings list and its exports, which take only the filters the list declares.

    wagtail-modeladmin turns every query-string parameter that no declared filter took into a
    database filter (``?page__owner__password__startswith=…`` would narrow the list one
    character at a time); here such parameters are ignored. A declared filter given a value it
    can't use is a 400, not a server error.
    """

    def dispatch(self, request, *args, **kwargs):
        # PostgreSQL can't compare text with a NUL character: no filter or search holds one.
        if any("\x00" in value for _name, values in request.GET.lists() for value in values):
            return self.bad_filter()
        try:
            return super().dispatch(request, *args, **kwargs)
        except IncorrectLookupParameters:
            return self.bad_filter()

    def bad_filter(self):
        return HttpResponseBadRequest(
            _("The bookings can't be filtered by that value."), content_type="text/plain"
        )

    def get_filters(self, request):
        params = self.get_filters_params()
        specs = [
            self.declared_filter(list_filter, request, params) for list_filter in self.list_filter
        ]
        # Every declared filter applies (a course filter with one choice still narrows to it);
        # ``params`` now holds only what none of them took, and it filters nothing.
        return specs, any(spec.has_output() for spec in specs), {}, False

    def declared_filter(self, list_filter, request, params):
        """One of ``list_filter``'s filters, built as Django's admin builds it."""
        if isinstance(list_filter, tuple | list):
            field_path, filter_class = list_filter
        else:
            field_path, filter_class = list_filter, FieldListFilter.create
        field = get_fields_from_path(self.model, field_path)[-1]
        return filter_class(
            field, request, params, self.model, self.model_admin, field_path=field_path
        )

    @cached_property
    def course(self) -> EventPage | None:
        """The one course the list is filtered to, if one (``filtered_course``)."""
        return filtered_course(self.request)

    # Search

    @cached_property
    def searched_answers(self) -> list[str]:
        """The questions whose answers the search looks in: of the filtered course, else of
        every course the user may see bookings of."""
        return question_names(self.course, self.get_base_queryset(self.request))

    def get_search_results(self, request, queryset, search_term):
        if not search_term.split():
            return queryset
        return booking_search.search(
            queryset, search_term, fields=self.search_fields, answers=self.searched_answers
        )

    # Exports

    def as_spreadsheet(self, queryset, spreadsheet_format):
        """With a column for each question (``answer_columns.export_columns``)."""
        self.list_export = [*self.list_export, *export_columns(self.course, queryset)]
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def get_filename(self):
        """E.g. "bookings-mindfulness-based-cognitive-therapy-2026-12-01": the course (if the
        list is filtered to one) and the local day, so that one course's or day's download
        doesn't overwrite another's."""
        parts = [super().get_filename()]
        if self.course is not None:
            parts.append(course_in_filename(self.course))
        parts.append(timezone.localdate().isoformat())
        return "-".join(parts)

    def get_sheet_title(self) -> str:
        return self.course.title if self.course is not None else _("Bookings")

    def get_heading(self, queryset, field):
        """A question's label as its editor wrote it; a column's as Wagtail writes it."""
        if isinstance(field, AnswerColumn):
            return field.label
        return capfirst(str(label_for_field(field, self.model, model_admin=self.model_admin)))

    def to_row_dict(self, item):
        """Each column's value; nothing (an empty cell) where there is none."""
        row = {}
        for field in self.list_export:
            _field, _attr, value = lookup_field(field, item, self.model_admin)
            row[field] = "" if value is None else value
        return row
