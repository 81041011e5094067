"""Who receives a course's applications is a privileged choice.

Every application, with all its answers, is emailed to the course's facilitators' contact
emails and to the course's extra addresses. Anyone who could change those could read the next
applicant's answers without any bookings permission. So, in the editor, changing them needs a
bookings permission for the course (``permissions.may_for_course``): for a facilitator, for
every course they run. Each change is written to the course's history (Reports > Site history
and the page's own History).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from wagtail_courses.permissions import can_see_bookings, may_for_course

LOG_ACTION = "wagtail_courses.recipients_changed"
NOT_YOURS = _(
    "This address receives applicants' answers: only someone who may see the bookings of "
    "%(courses)s can change it. Leave it as it was, or ask them to."
)
NOT_YOURS_ANY = _(
    "This address receives applicants' answers: only someone with a bookings permission can "
    "set it. Leave it as it was, or ask them to."
)


class RecipientsFormMixin:
    """For a page's editor form: ``recipient_fields`` may only be changed by those who may see
    the bookings of ``recipient_courses()``."""

    recipient_fields: tuple[str, ...] = ()

    def recipient_courses(self) -> list:
        """The courses whose applications these fields send; meant to be overridden."""
        raise NotImplementedError

    def clean(self):
        cleaned_data = super().clean()
        changes = self.recipient_changes(cleaned_data)
        if changes:
            self.refuse_unless_permitted(changes)
        # Kept on the page, to be logged once it is saved.
        self.instance.wagtail_courses_recipient_changes = changes
        return cleaned_data

    def save(self, commit=True):
        page = super().save(commit=commit)
        if page.pk:
            log_recipient_changes(page=page, user=getattr(self, "for_user", None))
        # A new page is logged by the ``after_create_page`` hook, once it has its place.
        return page

    def recipient_changes(self, cleaned_data) -> list[tuple[str, str, str]]:
        """(field, old value, new value) for each recipient field the editor changed."""
        changes = []
        for name in self.recipient_fields:
            if name not in cleaned_data:
                continue  # already an error, or not on this form
            old = getattr(self.instance, name) or ""
            new = cleaned_data[name] or ""
            if old.strip() != new.strip():
                changes.append((name, old, new))
        return changes

    def refuse_unless_permitted(self, changes) -> None:
        user = getattr(self, "for_user", None)
        if user is None:
            return  # not the admin's form (a script or a test building pages): nothing to check
        courses = self.recipient_courses()
        if courses:
            refused = [course for course in courses if not may_for_course(user, course)]
            if not refused:
                return
            message = NOT_YOURS % {"courses": ", ".join(f"“{c.title}”" for c in refused)}
        elif can_see_bookings(user):
            return
        else:
            message = NOT_YOURS_ANY
        for name, _old, _new in changes:
            self.add_error(name, message)


def log_recipient_changes(*, page, user) -> None:
    """Write the changes the editor's form found on ``page`` to its history, and for a
    facilitator to the history of each course they run."""
    changes = getattr(page, "wagtail_courses_recipient_changes", [])
    links = getattr(page, "course_links", None)
    pages = [page, *(link.page for link in links.select_related("page"))] if links else [page]
    for name, old, new in changes:
        label = str(page._meta.get_field(name).verbose_name)
        data = {"field": label, "old": old, "new": new, "page_title": page.title}
        for history_page in pages:
            log(instance=history_page, action=LOG_ACTION, user=user, data=data)
    page.wagtail_courses_recipient_changes = []
