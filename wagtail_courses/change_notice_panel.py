"""The editor's panel that asks whether to tell a change to the people it concerns.

On a published session (and, for its joining link, a published course): the box of
``change_notice_form``, worded with who would be told, and a preview of their email. The
models build their panels from this module, so it imports neither the models nor the
services: the wording and the preview are the template's tag's
(``wagtail_courses_change_notices``), which may.
"""

from wagtail.admin.panels import Panel

from wagtail_courses.change_notice_form import FIELD_NAME


class ChangeNoticePanel(Panel):
    """The box "Tell the N confirmed attendees … of this change when I publish", unticked,
    with the email it would send. Only on a page that is live: nobody has seen any other."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_courses/admin/change_notice_panel.html"

        def is_shown(self):
            if self.form is None or FIELD_NAME not in self.form.fields:
                return False
            return self.instance.pk is not None and self.instance.live and super().is_shown()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["field"] = self.form[FIELD_NAME]
            return context
