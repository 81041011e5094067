"""The app's buttons on pages in the admin: in a page's header and in the explorer's ⋯ menu.

"Add sessions", "Copy for a new run" and "Register" each decide, for one page and user, whether
to offer their button (``make_button(page, user, priority=…)`` gives a ``Button`` or None);
this module puts it in both places. Each view checks the user's rights again.
"""

from collections.abc import Callable

from wagtail import hooks
from wagtail.admin.widgets import Button

MakeButton = Callable[..., Button | None]


def page_button(label: str, url: str, *, icon: str, described: str, priority: int) -> Button:
    """A button whose accessible name says which page it acts on (``described``)."""
    return Button(label, url, icon_name=icon, attrs={"aria-label": described}, priority=priority)


def offer_on_pages(make_button: MakeButton, *, header_priority: int, menu_priority: int) -> None:
    @hooks.register("register_page_header_buttons")
    def in_the_header(page, user, view_name, next_url=None):
        if button := make_button(page, user, priority=header_priority):
            yield button

    @hooks.register("register_page_listing_more_buttons")
    def in_the_menu(page, user, next_url=None):
        if button := make_button(page, user, priority=menu_priority):
            yield button
