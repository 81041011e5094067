"""A booking's page opened from the Bookings list keeps that list: "3 of 40", the previous and
next booking within its filters, search and order, and the way back to it as it was; an action
taken from the page comes back to it with the list kept, so the next booking is one click on.

The list travels as ``?list=<the list's query string>`` (``admin.list_context``). A list that
can't be read (garbage, a filter value no filter takes, a course the user can't see) gives no
neighbours and never an error.
"""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.admin_users import booking_admin_url, user_in_group
from tests.factories import BookingFactory
from tests.support.html import parse, text
from wagtail_courses.admin.bookings import BookingAdmin
from wagtail_courses.models import Booking

Status = Booking.Status
url = booking_admin_url
AWAITING_APPROVAL = {"status__exact": Status.AWAITING_APPROVAL}
# The inspect page opened from a list, for any number of bookings in it.
INSPECT_QUERIES = 20


@pytest.fixture
def course(make_course):
    return make_course(sessions=1, facilitators=0, title="Compassionate leadership")


@pytest.fixture
def other_course(make_course):
    return make_course(sessions=1, facilitators=0, title="Mindful teams")


def applicants(course, *names, **traits):
    """Bookings by these names (in this order, oldest first), awaiting approval unless told."""
    traits = traits or {"awaiting_approval": True}
    return [BookingFactory(page=course, name=name, **traits) for name in names]


def list_param(query: dict) -> str:
    return urlencode(query, doseq=True)


def inspect(client, booking, query=None, **extra):
    """The booking's page, opened from the list at ``query`` (None: not from a list)."""
    params = {} if query is None else {"list": list_param(query)}
    return client.get(url("inspect", booking.pk), {**params, **extra})


def nav(response):
    return parse(response).select_one("nav[aria-label='Bookings list']")


def link(response, rel):
    found = nav(response).select_one(f"a[rel={rel}]")
    return found["href"] if found else None


def back_link(response):
    return nav(response).select_one("a")["href"]


def opened(client, href):
    """Where the link goes: the booking's page it opens, and the list it carries."""
    response = client.get(href)
    assert response.status_code == 200
    return response


def shown_reference(response) -> str:
    page = parse(response)
    details = dict(
        zip(
            [dt.get_text(strip=True) for dt in page.select("#booking-details ~ dl dt")],
            [dd.get_text(strip=True) for dd in page.select("#booking-details ~ dl dd")],
            strict=True,
        )
    )
    return details["Reference"]


def by_name(client, **filters) -> dict:
    """The list at ``filters``, sorted by its "Name" column as its heading's link sorts it
    (which column number that is depends on the columns shown)."""
    page = parse(client.get(url("index"), filters))
    heading = next(
        th for th in page.select("table.listing thead th") if th.get_text(" ", strip=True) == "Name"
    )
    sort = parse_qs(urlsplit(heading.select_one("a")["href"]).query)["o"][0]
    return {**filters, "o": sort}


def carried_list(href) -> dict:
    """The list's own query that a link carries (its ``?list=``), as a dict of lists."""
    return parse_qs(parse_qs(urlsplit(href).query)["list"][0])


# From the list to a booking


def test_the_lists_row_links_carry_its_filters_search_and_order_but_not_its_page(
    admin_client, course
):
    ada, *_others = applicants(course, "Ada Lovelace", "Ada Byron")
    query = {**AWAITING_APPROVAL, "q": "Ada", "o": "1", "p": "1"}

    page = parse(admin_client.get(url("index"), query))

    rows = {
        anchor["href"].split("?")[0]: anchor["href"]
        for anchor in page.select("table.listing tbody td .title-wrapper a")
    }
    assert carried_list(rows[url("inspect", ada.pk)]) == {
        "status__exact": [Status.AWAITING_APPROVAL],
        "q": ["Ada"],
        "o": ["1"],
    }


def test_previous_and_next_follow_the_lists_filter_and_order(admin_client, course, other_course):
    # Ordered by name, awaiting approval only, on one course.
    carol, ada, bea = applicants(course, "Carol", "Ada", "Bea")
    applicants(course, "Aaron", confirmed=True)  # not awaiting approval
    applicants(other_course, "Abe")  # another course
    query = by_name(admin_client, **AWAITING_APPROVAL, page__id__exact=str(course.pk))

    middle = inspect(admin_client, bea, query)

    assert "Booking 2 of 3 in this list" in text(nav(middle))
    assert shown_reference(opened(admin_client, link(middle, "prev"))) == ada.reference
    assert shown_reference(opened(admin_client, link(middle, "next"))) == carol.reference
    # Each step keeps the list, so the steps go on along it.
    first = opened(admin_client, link(middle, "prev"))
    assert "Booking 1 of 3 in this list" in text(nav(first))
    assert link(first, "prev") is None
    assert shown_reference(opened(admin_client, link(first, "next"))) == bea.reference
    last = opened(admin_client, link(middle, "next"))
    assert "Booking 3 of 3 in this list" in text(nav(last)) and link(last, "next") is None


def test_search_narrows_the_neighbours_too(admin_client, course):
    ada, _byron, ada_two = applicants(course, "Ada One", "Byron", "Ada Two")

    # The list's own order: newest first.
    response = inspect(admin_client, ada_two, {"q": "Ada"})

    assert "Booking 1 of 2 in this list" in text(nav(response))
    assert shown_reference(opened(admin_client, link(response, "next"))) == ada.reference


def test_back_to_the_list_returns_to_its_filters_and_to_the_page_the_booking_is_on(
    admin_client, course, monkeypatch
):
    bookings = applicants(course, *[f"Applicant {n:02}" for n in range(5)])
    query = by_name(admin_client, **AWAITING_APPROVAL)
    # Two to a page: the fifth by name is on the third page.
    monkeypatch.setattr(BookingAdmin, "list_per_page", 2)

    response = inspect(admin_client, bookings[4], query)
    back = back_link(response)
    listed = parse(admin_client.get(back))

    assert text(nav(response)).startswith("Back to the list")
    assert parse_qs(urlsplit(back).query) == {
        "status__exact": [Status.AWAITING_APPROVAL],
        "o": [query["o"]],
        "p": ["3"],
    }
    assert bookings[4].name in text(listed.select_one("table.listing"))


def test_a_page_not_opened_from_a_list_has_only_the_way_back(admin_client, course):
    booking, _other = applicants(course, "Ada", "Bea")

    response = inspect(admin_client, booking)

    assert text(nav(response)) == "Back to the bookings list"
    assert back_link(response) == url("index")


# Acting from the page, and on to the next


def test_approving_comes_back_with_the_list_and_the_next_booking_one_click_on(
    admin_client, course, django_capture_on_commit_callbacks
):
    carol, ada, bea = applicants(course, "Carol", "Ada", "Bea")
    query = by_name(admin_client, **AWAITING_APPROVAL)
    page = inspect(admin_client, ada, query)
    approve = next(
        anchor["href"]
        for anchor in parse(page).select("footer a")
        if anchor.get_text(strip=True) == "Approve"
    )
    confirmation = parse(admin_client.get(approve))

    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post(confirmation.select_one("main form")["action"], follow=True)

    assert done.redirect_chain == [(page.wsgi_request.get_full_path(), 302)]
    assert f"Booking {ada.reference} approved" in text(parse(done))
    # It has left "awaiting approval", and the list's next booking is still the next one.
    assert "No longer in this list, which now has 2 bookings" in text(nav(done))
    assert link(done, "prev") is None
    following = opened(admin_client, link(done, "next"))
    assert shown_reference(following) == bea.reference
    assert "Booking 1 of 2 in this list" in text(nav(following))
    assert shown_reference(opened(admin_client, link(following, "next"))) == carol.reference


def test_the_pages_forms_keep_the_list(admin_client, course):
    booking, _other = applicants(course, "Ada", "Bea")
    page = parse(inspect(admin_client, booking, AWAITING_APPROVAL))

    note_form = page.select_one("#booking-notes form")["action"]

    assert carried_list(note_form) == {"status__exact": [Status.AWAITING_APPROVAL]}
    response = admin_client.post(note_form, {"text": "Rang her back."})
    assert carried_list(response["Location"]) == {"status__exact": [Status.AWAITING_APPROVAL]}


# Lists that can't be read


@pytest.mark.parametrize(
    "query",
    [
        "status__exact=not-a-status",  # a value the status filter refuses
        "submit_time__gte=yesterday",  # a date filter given no date
        "q=Ada%00",  # a NUL, which PostgreSQL can't compare
        "o=" + "9." * 1500,  # longer than any list's own link
    ],
    ids=["status", "date", "nul", "too-long"],
)
def test_a_list_that_cant_be_read_gives_no_neighbours_and_no_error(admin_client, course, query):
    booking, _other = applicants(course, "Ada", "Bea")

    response = admin_client.get(url("inspect", booking.pk), {"list": query})

    assert response.status_code == 200
    assert text(nav(response)) == "Back to the bookings list"
    assert back_link(response) == url("index")
    assert shown_reference(response) == booking.reference


@pytest.mark.parametrize(
    "query", ["page__owner__password__startswith=x", "%%%zz&&==&o"], ids=["undeclared", "garbage"]
)
def test_what_the_list_ignores_its_neighbours_ignore(admin_client, course, query):
    """``?page__owner__password__startswith=…`` filters neither the list nor its neighbours;
    nor does what is no filter at all."""
    first, second = applicants(course, "Ada", "Bea")

    response = admin_client.get(url("inspect", second.pk), {"list": query})

    assert "Booking 1 of 2 in this list" in text(nav(response))
    assert shown_reference(opened(admin_client, link(response, "next"))) == first.reference


def test_a_course_the_user_cant_see_lists_no_neighbours(client, course, other_course):
    mine, _also_mine = applicants(course, "Ada", "Bea")
    applicants(other_course, "Carol", "Dora")
    client.force_login(user_in_group("facilitator", "wagtail_courses.view_booking", edits=[course]))

    response = inspect(client, mine, {"page__id__exact": str(other_course.pk)})

    assert response.status_code == 200
    assert link(response, "prev") is None and link(response, "next") is None
    assert "Carol" not in text(parse(response)) and "Dora" not in text(parse(response))


def test_neighbours_are_only_bookings_the_user_may_see(client, course, other_course):
    ada, bea = applicants(course, "Ada", "Bea")
    applicants(other_course, "Carol")  # between them by name, on a course not theirs
    client.force_login(user_in_group("facilitator", "wagtail_courses.view_booking", edits=[course]))

    response = inspect(client, ada, by_name(client))

    assert "Booking 1 of 2 in this list" in text(nav(response))
    assert shown_reference(opened(client, link(response, "next"))) == bea.reference


# Cost


@pytest.mark.parametrize("bookings", [10, 100])
def test_the_neighbours_cost_the_same_queries_for_a_short_or_a_long_list(
    admin_client, course, django_assert_num_queries, bookings
):
    built = BookingFactory.build_batch(bookings, page=course, awaiting_approval=True)
    for booking in built:
        booking.mailbox = booking.email  # as ``save`` would, which ``bulk_create`` skips
    Booking.objects.bulk_create(built)
    middle = Booking.objects.order_by("name")[bookings // 2]
    query = by_name(admin_client, **AWAITING_APPROVAL, page__id__exact=str(course.pk))
    inspect(admin_client, middle, query)

    with django_assert_num_queries(INSPECT_QUERIES):
        response = inspect(admin_client, middle, query)

    assert f"of {bookings} in this list" in text(nav(response))
    # One no longer in the list (approved since) is placed among the rest: one query more.
    Booking.objects.filter(pk=middle.pk).update(status=Status.AWAITING_PAYMENT)
    with django_assert_num_queries(INSPECT_QUERIES + 1):
        response = inspect(admin_client, middle, query)
    assert f"which now has {bookings - 1} bookings" in text(nav(response))
    assert link(response, "prev") and link(response, "next")
