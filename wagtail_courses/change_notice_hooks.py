"""Wagtail's publish hooks for change notices (``services.change_notices``); imported by
``wagtail_hooks``, which registers nothing else of them.

``before_publish_page`` is given the page the editor's form saved, which carries their choice
(``change_notice_form``), before anything of it is live; ``after_publish_page`` the page as
now published. What was live in between is kept on the request, the one thing both are given.
"""

import logging

from django.contrib import messages
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks

from wagtail_courses.change_notice_form import TELL_OF_CHANGE
from wagtail_courses.services import change_notices

logger = logging.getLogger(__name__)

# On the request: {page id: its ``live_state`` before this publish}, for pages to tell of.
LIVE_BEFORE = "_wagtail_courses_live_before_publish"
NOT_TOLD = _(
    "The change is published, but the database was too busy to write the emails about it: "
    "nobody was emailed. Tell the attendees with “Email the selected” in Bookings."
)


@hooks.register("before_publish_page")
def note_what_was_live(request, page):
    if getattr(page, TELL_OF_CHANGE, False):
        noted = request.__dict__.setdefault(LIVE_BEFORE, {})
        noted[page.pk] = change_notices.live_state(page)


@hooks.register("after_publish_page")
def tell_of_change(request, page):
    noted = request.__dict__.get(LIVE_BEFORE, {})
    if page.pk not in noted:
        return  # not asked
    try:
        emails = change_notices.tell(page=page.specific, before=noted.pop(page.pk))
    except DatabaseError:
        # Wagtail has already published, outside any transaction of ours: the page can't
        # go back, so the editor is told plainly that nobody heard of it.
        logger.exception("Change notices for page %s were not written", page.pk)
        messages.error(request, NOT_TOLD)
        return
    if emails:
        message = ngettext(
            "%(count)d email about the change will be sent.",
            "%(count)d emails about the change will be sent.",
            len(emails),
        ) % {"count": len(emails)}
        messages.success(request, message)
    elif page.go_live_at and page.go_live_at > timezone.now():
        messages.warning(request, _("Publishing later tells no one: nobody has been emailed."))
    else:
        messages.info(
            request, _("Nothing worth telling changed on the published page: nobody was emailed.")
        )
