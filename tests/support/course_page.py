"""Reading the course page's application form as the applicant sees it."""

from tests.support.html import parse, text


def place_choices(response) -> dict[str, str]:
    """The place question's options as the applicant sees them: value -> label."""
    soup = parse(response)
    return {
        radio["value"]: radio.find_parent("label").get_text(" ", strip=True)
        for radio in soup.select('input[type="radio"][name="wc_place"]')
    }


def field_error(response, name: str) -> str:
    """The error shown beside the form's field ``name`` ("" if none)."""
    error = parse(response).select_one(f"#id_{name}-error")
    return error.get_text(" ", strip=True) if error else ""


def availability_text(response) -> str:
    """What the page says of the places left ("" if it says nothing)."""
    box = parse(response).select_one(".wc-availability")
    return text(box) if box else ""


# What the form says when the place chosen has gone, or the address can't have it.
STAFF_GONE = "The staff free places have all been taken."
PAID_GONE = "The paid places have all been taken."
FULLY_BOOKED = "The course is now fully booked. You can join the waitlist."
NOT_STAFF = "A staff free place needs your work email address"
