"""The editor's choice, in a session's (or a course's) form, to tell the confirmed attendees
and the facilitators of a change when it is published (``services.change_notices``).

A form field, not a model field: it is a choice made at one publish, not part of the page, so
it is never in a revision and is unticked each time the editor opens the page. The form puts
the choice on the page it saves (``TELL_OF_CHANGE``), where Wagtail's ``before_publish_page``
hook finds it (``change_notice_hooks``). Its box and wording are drawn by
``ChangeNoticePanel``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

FIELD_NAME = "wagtail_courses_tell_of_change"
# Set on the page the form saves: True when the editor asked for the change to be told of.
TELL_OF_CHANGE = "_wagtail_courses_tell_of_change"


class ChangeNoticeFormMixin:
    """For the editor form of a page whose published changes attendees may be told of."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a page not yet created has nobody to tell
            # Unticked unless the editor ticks it: an email to every attendee is never sent
            # by a publish that did not ask for one.
            self.fields[FIELD_NAME] = forms.BooleanField(
                required=False, initial=False, label=_("Tell of this change when I publish")
            )

    def save(self, commit=True):
        page = super().save(commit=commit)
        setattr(page, TELL_OF_CHANGE, bool(self.cleaned_data.get(FIELD_NAME)))
        return page
