"""Read-only panels for the course editor.

Models build their editor panels from these, so nothing here imports the models or the
services: what a panel shows is worked out by its template's tag (``templatetags``), which
may.
"""

from wagtail.admin.panels import Panel


class RetentionPanel(Panel):
    """When the course's applicants' personal data will be anonymised, on the saved settings.

    Editors set a number of months; this turns it into the date it means for this course, so
    that nobody has to work it out (or is surprised by it). It reads the saved course: a
    period or sessions changed in the form show here once saved. The sentence is the
    template's ``course_retention_notice`` tag (``wagtail_courses_retention``).
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_courses/admin/retention_panel.html"


class StandingPanel(Panel):
    """Where the saved course stands: its places confirmed, held and free, who awaits
    approval or payment, and who is waiting, as the dashboard shows them.

    Counted now against the course as published (the places that are in force), by the
    template's ``course_standing`` tag (``wagtail_courses_standing``); nothing on a course not
    saved yet.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_courses/admin/standing_panel.html"

        class Media:
            css = {"all": ["wagtail_courses/admin/standing.css"]}

        def is_shown(self):
            return self.instance.pk is not None and super().is_shown()
