"""The admin view behind a course's "Copy for a new run" button: preview, then create."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from wagtail_courses.exceptions import CourseBusy
from wagtail_courses.formatting.schedule import long_day
from wagtail_courses.models import EventPage
from wagtail_courses.next_run.forms import NextRunForm
from wagtail_courses.next_run.service import copy_for_new_run, free_course_slug, old_sessions

URL_NAME = "wagtail_courses_copy_for_new_run"

BUSY = _(
    "The site is busy (someone is applying for a course or changing one), so nothing was "
    "created. Press “Create” again."
)


class NextRunView(WagtailAdminTemplateMixin, View):
    template_name = "wagtail_courses/admin/next_run.html"
    page_title = _("Copy for a new run")
    header_icon = "copy"

    def setup(self, request, *args, page_id: int, **kwargs):
        super().setup(request, *args, page_id=page_id, **kwargs)
        self.course = get_object_or_404(EventPage, pk=page_id)

    def dispatch(self, request, *args, **kwargs):
        # What Wagtail's own "Copy" asks: may edit the course and add a page beside it.
        self.parent = self.course.get_parent()
        if not self.course.permissions_for_user(request.user).can_copy_to(self.parent):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.course.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("wagtailadmin_explore", args=[self.parent.pk]),
                "label": self.parent.get_admin_display_title(),
            },
            {
                "url": reverse("wagtailadmin_explore", args=[self.course.pk]),
                "label": self.course.get_admin_display_title(),
            },
            {"url": "", "label": self.page_title},
        ]

    def get(self, request, *args, **kwargs):
        return self.render(self.next_run_form(initial={"title": self.course.title}))

    def post(self, request, *args, **kwargs):
        form = self.next_run_form(data=request.POST)
        action = request.POST.get("action")
        if action == "change":
            # Back to the form as it was filled in, to change it before previewing again.
            return self.render(form)
        if not form.is_valid():
            return self.render(form)
        if action != "create":
            return self.render(form, preview=form.new_run)
        try:
            new_course = copy_for_new_run(
                course=self.course, run=form.new_run, user=request.user, publish=form.publish
            )
        except CourseBusy:
            # Nothing was created: the preview is shown again, to create it from.
            messages.error(request, BUSY)
            return self.render(form, preview=form.new_run, status=503)
        self.report(new_course, form)
        return redirect("wagtailadmin_explore", new_course.pk)

    def next_run_form(self, **kwargs) -> NextRunForm:
        return NextRunForm(
            sessions=old_sessions(self.course),
            zone=self.course.tzinfo,
            today=timezone.localdate(timezone=self.course.tzinfo),
            can_publish=self.parent.permissions_for_user(self.request.user).can_publish_subpage(),
            booking_opens_at=self.course.booking_opens_at,
            booking_closes_at=self.course.booking_closes_at,
            **kwargs,
        )

    def report(self, new_course: EventPage, form: NextRunForm) -> None:
        run = form.new_run
        values = {
            "title": new_course.title,
            "count": len(run.sessions),
            "first": long_day(run.sessions[0].start.date()),
        }
        if form.publish:
            text = ngettext(
                "“%(title)s” published, with %(count)d session from %(first)s.",
                "“%(title)s” published, with %(count)d sessions from %(first)s.",
                len(run.sessions),
            )
        else:
            text = ngettext(
                "“%(title)s” saved as a draft, with %(count)d session from %(first)s.",
                "“%(title)s” saved as a draft, with %(count)d sessions from %(first)s.",
                len(run.sessions),
            )
        edit = messages.button(reverse("wagtailadmin_pages:edit", args=[new_course.pk]), _("Edit"))
        messages.success(self.request, text % values, buttons=[edit])

    def render(self, form: NextRunForm, preview=None, status: int = 200):
        context = self.get_context_data(
            course=self.course,
            form=form,
            preview=preview,
            new_slug=free_course_slug(self.course, preview.title) if preview else "",
            zone=self.course.tzinfo,
            action_url=reverse(URL_NAME, args=[self.course.pk]),
        )
        return self.render_to_response(context, status=status)
