"""The views behind the "Bookings" admin (see ``wagtail_courses.admin``).

Everything in a booking was typed by a visitor. Templates escape it; spreadsheet exports go
through ``exports.FormulaSafeExportMixin``, so a cell a visitor filled in is never run as a
formula.
"""

from django.contrib.admin import FieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.contrib.forms.views import SubmissionsListView
from wagtail_modeladmin.views import IndexView, InspectView, InstanceSpecificView

from wagtail_courses.exports import FormulaSafeExportMixin
from wagtail_courses.models import OutboundEmail
from wagtail_courses.services import emails as email_services


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


class CourseSubmissionsListView(FormulaSafeExportMixin, SubmissionsListView):
    """Wagtail's form submissions view for a course, with the same safe exports.

    For ``EventPage.submissions_list_view_class``; Wagtail's own view writes CSV cells as typed.
    """


def answers(booking) -> list[tuple[str, str]]:
    """Each question's label with the answer, in the form's order; old questions last."""
    course = booking.page.specific
    fields = course.get_form_fields() if hasattr(course, "get_form_fields") else []
    data = dict(booking.form_data)
    rows = [(field.label, data.pop(field.clean_name, None)) for field in fields]
    rows += list(data.items())
    return [(label, display_answer(value)) for label, value in rows]


def display_answer(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def readable_time(moment) -> str:
    """E.g. "Monday 3 March 2025, 14:30 GMT", in the admin user's time zone; "—" for none."""
    if moment is None:
        return "—"
    return formats.date_format(timezone.localtime(moment), "l j F Y, H:i T")


def held_until(booking) -> str:
    """When the booking's hold runs out, and how long is left (or that it has run out)."""
    if booking.hold_expires_at is None:
        return "—"
    when = readable_time(booking.hold_expires_at)
    if booking.hold_expires_at <= timezone.now():
        # It stopped counting then, even if the status doesn't say "expired" yet.
        return _("%(when)s (ran out)") % {"when": when}
    return _("%(when)s (in %(left)s)") % {"when": when, "left": timeuntil(booking.hold_expires_at)}


class BookingInspectView(InspectView):
    @cached_property
    def send_email_url_name(self):
        return self.url_helper.get_action_url_name("send_email")

    def get_fields_dict(self):
        booking = self.instance
        return [
            {"label": _("Reference"), "value": booking.reference},
            {"label": _("Name"), "value": booking.name},
            {"label": _("Email"), "value": booking.email},
            {"label": _("Course"), "value": booking.page.title},
            {"label": _("Status"), "value": booking.get_status_display()},
            {"label": _("Place"), "value": booking.get_place_type_display()},
            {"label": _("Held until"), "value": held_until(booking)},
            {"label": _("Email confirmed"), "value": readable_time(booking.email_confirmed_at)},
            {"label": _("Marked paid"), "value": readable_time(booking.paid_at)},
            {"label": _("Submitted"), "value": booking.submit_time},
            {"label": _("Updated"), "value": booking.updated_at},
        ]

    def get_context_data(self, **kwargs):
        booking = self.instance
        permissions = self.permission_helper
        return super().get_context_data(
            answers=answers(booking),
            history=booking.history.select_related("changed_by"),
            emails=booking.emails.all(),
            can_send_emails=permissions.user_can_send_emails(self.request.user, booking),
            failed=OutboundEmail.Status.FAILED,
            **kwargs,
        )


class SendEmailAgainView(InstanceSpecificView):
    email_pk = None

    def __init__(self, model_admin, instance_pk, email_pk):
        super().__init__(model_admin, instance_pk)
        self.email = get_object_or_404(self.instance.emails, pk=email_pk)

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_send_emails(user, self.instance)

    @classmethod
    def as_view(cls, **initkwargs):
        return require_POST(super().as_view(**initkwargs))

    def post(self, request, *args, **kwargs):
        inspect_url = self.url_helper.get_action_url("inspect", self.pk_quoted)
        email = self.email
        if email.status != OutboundEmail.Status.FAILED:
            messages.warning(
                request,
                _("The email “%(subject)s” has not failed (%(status)s); it was not sent again.")
                % {"subject": email.subject, "status": email.get_status_display().lower()},
            )
            return redirect(inspect_url)
        email = email_services.send(email)
        to = ", ".join(email.to)
        if email.status == OutboundEmail.Status.FAILED:
            messages.error(
                request,
                _("The email to %(to)s failed again: %(error)s") % {"to": to, "error": email.error},
            )
        else:
            messages.success(request, _("The email was sent again to %(to)s.") % {"to": to})
        return redirect(inspect_url)
