"""A course's sessions kept in the page tree in the order they start.

Wagtail's explorer lists a page's children in tree order when the parent asks for it
(``EventPage.admin_default_ordering``), and its default, last updated first, put a course's
consolidation session, added last, at the top. Sessions are added in any order (the generator's
run, then a one-off by "Add child page", or a session moved to another week), so each is put in
its place among its course's sessions once saved.
"""

from django.db import transaction
from treebeard.mp_tree import MP_Node

from wagtail_courses.models import SessionPage


def place_when_committed(session: SessionPage) -> None:
    # After commit, from the stored tree: Wagtail's own saves in the same transaction hold the
    # page's old path in memory.
    transaction.on_commit(lambda: place_by_start(session.pk))


def place_by_start(session_id: int) -> None:
    session = SessionPage.objects.filter(pk=session_id).first()
    if session is None:
        return
    siblings = list(SessionPage.objects.sibling_of(session).order_by("path"))
    wanted = sorted(siblings, key=lambda page: (page.start, page.pk))
    if [page.pk for page in siblings] == [page.pk for page in wanted]:
        return
    at = [page.pk for page in wanted].index(session.pk)
    moving = next(page for page in siblings if page.pk == session.pk)
    # Treebeard's own move: a move among siblings changes no URL, and Wagtail's ``Page.move``
    # would log it as an editor's action.
    if at + 1 < len(wanted):
        MP_Node.move(moving, wanted[at + 1], "left")
    else:
        MP_Node.move(moving, wanted[at - 1], "right")
