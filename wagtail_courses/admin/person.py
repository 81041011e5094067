"""Personal data requests in the admin: find a person by email address, then download what is
held about them (JSON or CSV) or erase it (``services.personal_data``).

Every step is a POST with Django's CSRF check, the address in its body: an address in a URL
would be kept in server logs and browser history, the very places a request for erasure
cannot reach. A GET of a download or of the erasure has no address, so it says so and
changes nothing. Each view needs its own permission; Wagtail's admin turns a refusal into
its usual "Sorry, you do not have permission" and a way back to the dashboard.
"""

import csv
import io
import json

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from wagtail_courses.admin.exports import neutralise_formula
from wagtail_courses.exceptions import CourseBusy
from wagtail_courses.services import personal_data

URL_NAME = "wagtail_courses_personal_data"
EXPORT_URL_NAME = "wagtail_courses_personal_data_export"
ERASE_URL_NAME = "wagtail_courses_personal_data_erase"

EXPORT_PERMISSION = "wagtail_courses.export_personal_data"
ERASE_PERMISSION = "wagtail_courses.erase_personal_data"

FORMATS = ("json", "csv")


def can_export(user) -> bool:
    return user.has_perm(EXPORT_PERMISSION)


def can_erase(user) -> bool:
    return user.has_perm(ERASE_PERMISSION)


def can_use(user) -> bool:
    """Whether the page (and its menu item) is for ``user``: finding a person by address
    already says whether they applied, which is theirs to know, not everyone's."""
    return can_export(user) or can_erase(user)


class PersonalDataMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use(request.user)


class PersonForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        help_text=gettext_lazy("The address the person applied with; capitals don't matter."),
    )


def not_found(email: str) -> str:
    return _("No bookings found for %(email)s.") % {"email": email}


def on_courses(bookings: int, courses: int) -> str:
    """E.g. "2 bookings on 2 courses"."""
    return _("%(bookings)s on %(courses)s") % {
        "bookings": ngettext("%(count)d booking", "%(count)d bookings", bookings)
        % {"count": bookings},
        "courses": ngettext("%(count)d course", "%(count)d courses", courses) % {"count": courses},
    }


def counted(summary) -> str:
    return on_courses(len(summary.bookings), summary.courses)


class PersonalDataView(WagtailAdminTemplateMixin, View):
    page_title = gettext_lazy("Personal data requests")
    header_icon = "user"
    template_name = "wagtail_courses/person/find.html"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtail_courses_booking_modeladmin_index"), "label": _("Bookings")},
            {"url": "", "label": self.page_title},
        ]

    def may(self, user) -> bool:
        return can_use(user)

    def dispatch(self, request, *args, **kwargs):
        if not self.may(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            find_url=reverse(URL_NAME),
            export_urls={name: reverse(EXPORT_URL_NAME, args=[name]) for name in FORMATS},
            erase_url=reverse(ERASE_URL_NAME),
            can_export=can_export(user),
            can_erase=can_erase(user),
            **kwargs,
        )

    def render(self, **context):
        return self.render_to_response(self.get_context_data(**context))


class FindPersonView(PersonalDataView):
    """The address asked about, and what is held for it: N bookings on M courses."""

    def get(self, request):
        return self.render(form=PersonForm())

    def post(self, request):
        form = PersonForm(request.POST)
        if not form.is_valid():
            return self.render(form=form)
        summary = personal_data.summary(form.cleaned_data["email"])
        if not summary.bookings:
            return self.render(form=form, not_found=not_found(summary.email))
        return self.render(form=form, summary=summary, counted=counted(summary))


class PersonRequestView(PersonalDataView):
    """A step that needs an address, which only a POST from the summary page brings."""

    def get(self, request, *args, **kwargs):
        messages.error(request, _("Enter the person's email address first."))
        return redirect(URL_NAME)

    def post(self, request, *args, **kwargs):
        form = PersonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter a valid email address."))
            return redirect(URL_NAME)
        summary = personal_data.summary(form.cleaned_data["email"])
        if not summary.bookings:
            messages.error(request, not_found(summary.email))
            return redirect(URL_NAME)
        return self.act(summary, *args, **kwargs)


class ExportView(PersonRequestView):
    def may(self, user) -> bool:
        return can_export(user)

    def act(self, summary, format):
        data = personal_data.export(email=summary.email, by=self.request.user)
        filename = f"personal-data-{timezone.localdate():%Y-%m-%d}.{format}"
        if format == "json":
            response = HttpResponse(
                json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
            )
        else:
            response = HttpResponse(csv_file(data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        add_never_cache_headers(response)  # a person's data: kept by no cache on the way
        return response


def csv_file(data: dict) -> str:
    """With a byte order mark, so that spreadsheet programs read it as UTF-8; a cell the
    person typed that starts like a formula is shown as text, never run."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("Reference"), _("Course"), _("Section"), _("Item"), _("Value")])
    for row in personal_data.rows(data):
        writer.writerow([neutralise_formula(cell) for cell in row])
    return out.getvalue()


class EraseView(PersonRequestView):
    """A confirmation naming what will go; its own form (``confirm``) erases it."""

    template_name = "wagtail_courses/person/erase.html"

    def may(self, user) -> bool:
        return can_erase(user)

    def act(self, summary):
        if self.request.POST.get("confirm") != "yes":
            return self.render(summary=summary, counted=counted(summary))
        try:
            outcome = personal_data.erase(
                email=summary.email,
                by=self.request.user,
                references=self.request.POST.getlist("reference"),
            )
        except CourseBusy:
            # A course's lock not granted in time; what was done is kept, the rest is not.
            messages.error(
                self.request,
                _("The database is busy, so the erasure did not finish. Erase again to finish."),
            )
            return redirect(URL_NAME)
        if not outcome.bookings:
            messages.error(self.request, not_found(summary.email))
        else:
            messages.success(self.request, erased_message(outcome))
        return redirect(URL_NAME)


def erased_message(outcome) -> str:
    message = _("Erased the personal data of %(counted)s.") % {
        "counted": on_courses(outcome.bookings, outcome.courses)
    }
    if outcome.cancelled:
        message += " " + ngettext(
            "%(count)d was cancelled first and its place offered to the next person waiting.",
            "%(count)d were cancelled first and their places offered to the next people waiting.",
            outcome.cancelled,
        ) % {"count": outcome.cancelled}
    return message
