"""The applicant gives up their place, or leaves the waitlist, on their manage page as a
browser does it: the page's button, then "Yes, …" on the page that asks if they are sure."""

from tests.support.html import parse

# The "are you sure" step on the manage page, and its form that does it.
ASKING = ".wc-are-you-sure"


def asked_form(response) -> dict:
    """The POST data of the "Yes, …" form on a page that asks if the applicant is sure."""
    form = parse(response).select_one(f"{ASKING} form")
    assert form is not None, "the page doesn't ask if they are sure"
    return {field["name"]: field["value"] for field in form.select("input[type=hidden]")}


def give_up(client, link: str, action: str = "cancel"):
    """POST ``action`` ("cancel" or "leave_waitlist"), then, if the page asks, say yes: the
    last response (a page that refused at once, without asking, is returned as it is)."""
    asked = client.post(link, {"action": action})
    if asked.status_code != 200:
        return asked
    return client.post(link, asked_form(asked))
