"""The admin view behind a course's "Add sessions" button: preview, then create."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from wagtail_courses.exceptions import CourseBusy
from wagtail_courses.generator.forms import ExtraSessionFormSet, ScheduleForm, planned_sessions
from wagtail_courses.generator.service import create_sessions, rows
from wagtail_courses.models import EventPage

URL_NAME = "wagtail_courses_add_sessions"

BUSY = _(
    "The course is busy (someone is applying for it or changing it), so no sessions were "
    "created. Press “Create sessions” again."
)


class AddSessionsView(WagtailAdminTemplateMixin, View):
    template_name = "wagtail_courses/admin/add_sessions.html"
    page_title = _("Add sessions")
    header_icon = "date"

    def setup(self, request, *args, page_id: int, **kwargs):
        super().setup(request, *args, page_id=page_id, **kwargs)
        self.course = get_object_or_404(EventPage, pk=page_id)

    def dispatch(self, request, *args, **kwargs):
        self.permissions = self.course.permissions_for_user(request.user)
        if not self.permissions.can_add_subpage():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.course.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("wagtailadmin_explore", args=[self.course.pk]),
                "label": self.course.get_admin_display_title(),
            },
            {"url": "", "label": self.page_title},
        ]

    def get(self, request, *args, **kwargs):
        return self.render(self.schedule_form(), ExtraSessionFormSet(prefix="extra"))

    def post(self, request, *args, **kwargs):
        form = self.schedule_form(data=request.POST)
        formset = ExtraSessionFormSet(data=request.POST, prefix="extra")
        if not (form.is_valid() and formset.is_valid()):
            return self.render(form, formset)
        planned = planned_sessions(form, formset)
        if planned is None:
            return self.render(form, formset)
        if request.POST.get("action") != "create":
            return self.render(form, formset, preview=rows(course=self.course, planned=planned))

        try:
            outcome = create_sessions(
                course=self.course, planned=planned, user=request.user, publish=form.publish
            )
        except CourseBusy:
            # The course's lock was not granted in time: nothing was created, the form is kept.
            messages.error(request, BUSY)
            return self.render(form, formset, status=503)
        self.report(outcome)
        return redirect("wagtailadmin_explore", self.course.pk)

    def schedule_form(self, **kwargs) -> ScheduleForm:
        return ScheduleForm(
            zone=self.course.tzinfo, can_publish=self.permissions.can_publish_subpage(), **kwargs
        )

    def report(self, outcome) -> None:
        created, skipped = len(outcome.created), len(outcome.skipped)
        skipped_text = ngettext(
            "%(count)d session already existed and was skipped.",
            "%(count)d sessions already existed and were skipped.",
            skipped,
        ) % {"count": skipped}
        if not created:
            messages.warning(
                self.request, _("No sessions created. %(skipped)s") % {"skipped": skipped_text}
            )
            return
        text = ngettext("%(count)d session created.", "%(count)d sessions created.", created) % {
            "count": created
        }
        if skipped:
            text = f"{text} {skipped_text}"
        messages.success(self.request, text)

    def render(self, form, formset, preview=None, status: int = 200):
        context = self.get_context_data(
            course=self.course,
            form=form,
            formset=formset,
            preview=preview,
            new_count=sum(1 for row in preview or () if not row.exists),
            zone=self.course.tzinfo,
            action_url=reverse(URL_NAME, args=[self.course.pk]),
        )
        return self.render_to_response(context, status=status)
