"""``{% bulk_actions as bulk %}``: the Bookings list's actions on the bookings selected
(``admin.bulk_actions``) that the user may take at all: ``bulk.actions`` (empty for anyone
else), where their confirmation page is (``bulk.url``) and the list the selection comes from
(``bulk.list``, which the page leads back to).

It makes no query: the user's permissions are those the list has already read.
"""

from dataclasses import dataclass

from django import template

from wagtail_courses.admin import bulk_actions, list_context

register = template.Library()


@dataclass(frozen=True)
class Offer:
    actions: list
    url: str
    list: str
    action_param: str = bulk_actions.ACTION
    list_param: str = list_context.PARAM


@register.simple_tag(takes_context=True, name="bulk_actions")
def offer(context) -> Offer:
    request, view = context["request"], context["view"]
    return Offer(
        actions=bulk_actions.offered(request.user),
        url=view.url_helper.get_action_url("bulk"),
        list=list_context.shown_list(request),
    )
