"""The Bookings list (``BookingAdmin``'s index view), its filters and its exports.

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
from django.contrib.admin.utils import build_q_object_from_lookup_parameters, get_fields_from_path
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail_modeladmin.views import IndexView

from wagtail_courses.admin.exports import FormulaSafeExportMixin
from wagtail_courses.models import Booking
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


class BookingIndexView(FormulaSafeExportMixin, IndexView):
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
