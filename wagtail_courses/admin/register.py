"""The attendance register in the admin: a course's sessions, each one's register, the export.

One screen per session: each attendee is a fieldset named after them, holding a radio group
(present, absent, apologies), and one Save button, so the whole register is kept with the
keyboard (Tab to a person, arrow keys to a mark) or by touch. "Mark everyone present" saves
the register with everyone not marked otherwise present. The marks go through
``services.attendance``, which refuses a register with anything wrong in it, saving nothing.

Who may: whoever may manage the course's bookings (``REGISTER_PERMISSIONS`` for the course,
as ``permissions`` decides). Wagtail's admin turns a refusal into its "Sorry, you do not have
permission" and a way back to the dashboard.
"""

import codecs
import csv
import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from wagtail_courses.admin.exports import course_in_filename, neutralise_formula
from wagtail_courses.models import Booking, EventPage, SessionPage
from wagtail_courses.permissions import may_for_course
from wagtail_courses.services import attendance, attendance_export

SESSION_URL_NAME = "wagtail_courses_session_register"
COURSE_URL_NAME = "wagtail_courses_course_register"
EXPORT_URL_NAME = "wagtail_courses_course_register_export"

# Keeping a register changes what a booking records: those who may change bookings, or
# approve and decline them, may keep it.
REGISTER_PERMISSIONS = ("change_booking", "manage_places")
# The form's field for each attendee, by booking id; and the button that marks the rest present.
FIELD_PREFIX = "mark-"
EVERYONE_PRESENT = "everyone_present"

BAD_FORM = gettext_lazy("The register's form was not as this page sends it. Nothing was saved.")


def may_keep_register(user, page) -> bool:
    """For a course, or a session (its course's permission covers it)."""
    return may_for_course(user, page, REGISTER_PERMISSIONS)


@dataclass(frozen=True)
class Row:
    """An attendee's line on the page: their entry, and the mark shown chosen."""

    entry: attendance.Entry
    chosen: str

    @property
    def field_name(self) -> str:
        return f"{FIELD_PREFIX}{self.entry.booking.pk}"


def posted_marks(data) -> dict[int, str]:
    """The marks the form sent, by booking id; ``RegisterRefused`` for a field it never sends."""
    marks = {}
    for name, value in data.items():
        if not name.startswith(FIELD_PREFIX):
            continue
        pk = name.removeprefix(FIELD_PREFIX)
        if not pk.isdigit():
            raise attendance.RegisterRefused(str(BAD_FORM))
        marks[int(pk)] = value
    return marks


class RegisterMixin(WagtailAdminTemplateMixin):
    header_icon = "tasks"
    course: EventPage

    def dispatch(self, request, *args, **kwargs):
        if not may_keep_register(request.user, self.course):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def course_breadcrumbs(self) -> list[dict]:
        return self.breadcrumbs_items + [
            {
                "url": reverse("wagtailadmin_explore", args=[self.course.pk]),
                "label": self.course.get_admin_display_title(),
            },
            {"url": reverse(COURSE_URL_NAME, args=[self.course.pk]), "label": _("Register")},
        ]


class SessionRegisterView(RegisterMixin, View):
    template_name = "wagtail_courses/admin/register.html"
    page_title = gettext_lazy("Register")

    def setup(self, request, *args, session_id: int, **kwargs):
        super().setup(request, *args, session_id=session_id, **kwargs)
        self.session = get_object_or_404(SessionPage, pk=session_id)
        self.course = get_object_or_404(EventPage.objects.parent_of(self.session))
        self.session.__dict__["course"] = self.course  # its cached property, read already

    def get_page_subtitle(self):
        return self.session.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return self.course_breadcrumbs() + [{"url": "", "label": self.get_page_subtitle()}]

    def get(self, request, *args, **kwargs):
        return self.render()

    def post(self, request, *args, **kwargs):
        marks = {}
        try:
            marks = posted_marks(request.POST)
            if request.POST.get("action") == EVERYONE_PRESENT:
                # Present unless chosen otherwise: those on the register as it stands.
                everyone = attendance.attendees(self.course).values_list("pk", flat=True)
                marks = dict.fromkeys(everyone, attendance.Mark.PRESENT) | marks
            changed = attendance.mark(
                session=self.session, course=self.course, marks=marks, by=request.user
            )
        except attendance.RegisterRefused as refused:
            messages.error(request, refused.message)
            # What they chose stays chosen, to correct and save again.
            status = 409 if self.session.is_cancelled else 400
            return self.render(chosen=marks, status=status)
        messages.success(request, saved_message(len(changed)))
        return redirect(SESSION_URL_NAME, self.session.pk)

    def render(self, *, chosen=None, status: int = 200):
        entries = attendance.register(self.session, self.course)
        chosen = chosen or {}
        rows = [Row(entry, chosen.get(entry.booking.pk, entry.mark)) for entry in entries]
        context = self.get_context_data(
            course=self.course,
            session=self.session,
            rows=rows,
            marked=sum(1 for entry in entries if entry.mark),
            mark_choices=attendance.Mark.choices,
            action_url=reverse(SESSION_URL_NAME, args=[self.session.pk]),
            course_register_url=reverse(COURSE_URL_NAME, args=[self.course.pk]),
            everyone_present=EVERYONE_PRESENT,
            not_started=attendance.not_started_notice(self.session, self.course),
        )
        return self.render_to_response(context, status=status)


def saved_message(changed: int) -> str:
    if not changed:
        return _("Register saved: no marks changed.")
    return ngettext(
        "Register saved: %(count)d mark changed.",
        "Register saved: %(count)d marks changed.",
        changed,
    ) % {"count": changed}


class CourseRegisterView(RegisterMixin, View):
    """The course's sessions, how many of each one's attendees are marked, and the export."""

    template_name = "wagtail_courses/admin/course_register.html"
    page_title = gettext_lazy("Register")

    def setup(self, request, *args, course_id: int, **kwargs):
        super().setup(request, *args, course_id=course_id, **kwargs)
        self.course = get_object_or_404(EventPage, pk=course_id)

    def get_page_subtitle(self):
        return self.course.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return self.course_breadcrumbs()[:-1] + [{"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        on_register = Q(attendance__booking__in=Booking.objects.attending())
        sessions = self.course.sessions().annotate(marked=Count("attendance", filter=on_register))
        for session in sessions:
            session.__dict__["course"] = self.course
        context = self.get_context_data(
            course=self.course,
            sessions=sessions,
            attendees=attendance.attendees(self.course).count(),
            session_url_name=SESSION_URL_NAME,
            export_url=reverse(EXPORT_URL_NAME, args=[self.course.pk]),
        )
        return self.render_to_response(context)


class RegisterExportView(RegisterMixin, View):
    """The course's register as CSV, UTF-8 with a byte order mark (as the Bookings export):
    Excel reads it in the machine's code page without one, and garbles every accent."""

    def setup(self, request, *args, course_id: int, **kwargs):
        super().setup(request, *args, course_id=course_id, **kwargs)
        self.course = get_object_or_404(EventPage, pk=course_id)

    def get(self, request, *args, **kwargs):
        out = io.StringIO()
        writer = csv.writer(out)
        for row in attendance_export.table(self.course):
            # Names and addresses were typed by visitors: never a formula in a spreadsheet.
            writer.writerow([neutralise_formula(str(cell)) for cell in row])
        response = HttpResponse(
            codecs.BOM_UTF8 + out.getvalue().encode("utf-8"),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.filename()}"'
        return response

    def filename(self) -> str:
        """E.g. "register-compassionate-leadership-2026-12-01.csv"."""
        day = timezone.localdate().isoformat()
        return f"register-{course_in_filename(self.course)}-{day}.csv"
