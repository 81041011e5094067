"""Adding an internal note to a booking, from its page in the Bookings admin.

A note is for the organisers ("phoned on Tuesday, paying by card"): it is never sent to the
applicant, and no email or page of theirs shows it. It is personal data all the same, so the
person's data export includes it and anonymisation erases its text (``services.personal_data``,
``services.anonymisation``). Its form is on the booking's page (``booking_detail.NoteForm``);
a note that can't be added shows that page again with the form's errors and the text typed.
"""

from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin import messages

from wagtail_courses.admin.booking_detail import BookingInspectView, NoteForm


class AddNoteView(BookingInspectView):
    """The booking's page, for its POSTed note: only a POST writes one (with the CSRF check)."""

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_write_notes(user, self.instance)

    def get(self, request, *args, **kwargs):
        return redirect(self.inspect_url)  # Nothing to show here but the booking's page.

    def post(self, request, *args, **kwargs):
        form = NoteForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The note was not added: see what to change below."))
            return self.render_to_response(self.get_context_data(note_form=form))
        note = form.save(commit=False)
        note.booking, note.author = self.instance, request.user
        note.save()
        messages.success(
            request,
            _("Note added to booking %(reference)s. The applicant never sees it.")
            % {"reference": self.instance.reference},
        )
        return redirect(f"{self.inspect_url}#booking-notes")
