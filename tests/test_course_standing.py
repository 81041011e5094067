"""Where a course stands, at a glance: on Wagtail's dashboard and at the top of the course
editor's "Places" tab.

Every figure is counted by ``services.availability``, the counting the booking path does under
the course's lock; many courses are counted in one query. People: a superuser; a facilitator
whose group may view bookings and edit one course; an editor who may edit pages but not see
bookings.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.admin_users import booking_admin_url, user_in_group
from tests.factories import BookingFactory
from tests.support.html import parse, text
from wagtail_courses.admin.dashboard import UpcomingCoursesPanel
from wagtail_courses.models import Booking, EventPage
from wagtail_courses.services.availability import (
    availability,
    availability_by_course,
    holds_a_place,
    lapsed,
    still_waiting,
)

DASHBOARD = reverse("wagtailadmin_home")

# One of each state a booking can be in, and what each adds to the figures.
MIX = [
    {"confirmed": True},
    {"confirmed": True, "staff": True},
    {"awaiting_email": True},
    {"awaiting_email": True, "lapsed": True},  # its time ran out: counted nowhere
    {"awaiting_approval": True},
    {"awaiting_payment": True},
    {"awaiting_payment": True, "lapsed": True},
    {"waitlisted": True, "staff": True},
    {"waitlisted": True},
    {"waitlisted": True},
    {"waitlisted": True, "unproven": True, "lapsed": True},
    {"cancelled": True},
    {"declined": True},
    {"expired": True},
]
MIX_FIGURES = {
    "confirmed": 2,
    "held": 3,
    "awaiting_email": 1,
    "awaiting_approval": 1,
    "awaiting_payment": 1,
    "staff_waiting": 1,
    "paid_waiting": 2,
    "lapsed": 3,
}


def figures(places) -> dict:
    return {name: getattr(places, name) for name in MIX_FIGURES}


def book(course, states):
    for state in states:
        BookingFactory(page=course, **state)


@pytest.fixture
def course(make_course):
    return make_course(
        sessions=1,
        facilitators=0,
        title="Compassionate leadership",
        capacity=12,
        staff_free_places=2,
    )


@pytest.fixture
def facilitator(course):
    return user_in_group("facilitator", "wagtail_courses.view_booking", edits=[course])


# The counting


def test_one_course_counts_alone_as_it_does_among_many(course, make_course):
    book(course, MIX)
    other = make_course(sessions=1, facilitators=0, capacity=5)
    book(other, [{"confirmed": True}, {"awaiting_approval": True}])

    alone = availability(course)
    together = availability_by_course([course, other])

    assert together[course.pk] == alone
    assert figures(alone) == MIX_FIGURES
    assert (alone.taken, alone.places_left, alone.waitlisted) == (5, 7, 3)
    assert (together[other.pk].confirmed, together[other.pk].held) == (1, 1)


def test_the_figures_agree_with_the_rules_for_what_holds_waits_and_lapsed(course):
    book(course, MIX)
    now = timezone.now()
    bookings = Booking.objects.filter(page=course)

    places = availability(course, now=now)

    assert places.taken == bookings.filter(holds_a_place(now)).count()
    assert places.waitlisted == bookings.filter(still_waiting(now)).count()
    assert places.lapsed == bookings.filter(lapsed(now)).count()


@pytest.mark.parametrize(("courses", "bookings"), [(2, 3), (6, 30)])
def test_many_courses_are_counted_in_one_query(
    make_course, django_assert_num_queries, courses, bookings
):
    made = [make_course(sessions=0, facilitators=0, capacity=40) for _ in range(courses)]
    for each in made[1:]:  # the first has no bookings at all
        book(each, [{"confirmed": True}, {"awaiting_payment": True}] * (bookings // 2))

    with django_assert_num_queries(1):
        counted = availability_by_course(made)

    assert counted[made[0].pk].taken == 0
    assert counted[made[0].pk].places_left == 40
    assert {counted[each.pk].confirmed for each in made[1:]} == {bookings // 2}
    assert {counted[each.pk].awaiting_payment for each in made[1:]} == {bookings // 2}


@pytest.mark.parametrize("bookings", [3, 30])
def test_one_course_is_still_counted_in_one_query(course, django_assert_num_queries, bookings):
    book(course, [{"awaiting_approval": True}] * bookings)

    with django_assert_num_queries(1):
        places = availability(course)

    assert places.awaiting_approval == bookings


def test_no_courses_are_counted_without_a_query(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        assert availability_by_course([]) == {}


# The dashboard


def dashboard_rows(response) -> dict:
    """Each course's row of the dashboard's "Upcoming courses", by its title."""
    panel = parse(response).select_one("#wagtail-courses-upcoming-section")
    assert panel is not None, "no Upcoming courses panel"
    return {row.th.get_text(strip=True): row for row in panel.select("tbody tr")}


def cells(row) -> list[str]:
    return [text(cell) for cell in row.find_all("td")]


def shown_figures(element) -> dict:
    """What a screen reader reads of a course's places: each term and its figure."""
    return {text(figure.dt): text(figure.dd) for figure in element.select(".wc-standing__figure")}


def bar(element) -> list[tuple[str, str]]:
    """The bar's parts, as (kind, width class), left to right."""
    drawn = element.select_one(".wc-standing__bar")
    if drawn is None:
        return []
    assert drawn["aria-hidden"] == "true"  # the figures are read instead
    return [
        tuple(c.rpartition("__")[2] for c in part["class"] if c != "wc-standing__part")
        for part in drawn.select(".wc-standing__part")
    ]


def test_the_dashboard_shows_where_each_upcoming_course_stands(admin_client, course):
    book(course, MIX)

    response = admin_client.get(DASHBOARD)

    row = dashboard_rows(response)["Compassionate leadership"]
    assert shown_figures(row) == {"Places": "12", "Confirmed": "2", "Held": "3", "Free": "7"}
    # Confirmed, held and free: 2, 3 and 7 of 12 places.
    assert bar(row) == [("part--confirmed", "w17"), ("part--held", "w25"), ("part--free", "w58")]
    approval, payment, waitlisted = cells(row)[2:5]
    assert (approval, payment, waitlisted) == ("1", "1", "1 staff, 2 paid")
    links = {text(link): link["href"] for link in row.find_all("a")}
    assert links["Compassionate leadership"] == reverse("wagtailadmin_pages:edit", args=[course.pk])
    assert links["Bookings for “Compassionate leadership”"] == (
        f"{booking_admin_url('index')}?page__id__exact={course.pk}"
    )
    assert "Held places await the applicant's email confirmation" in text(parse(response))


def test_the_bookings_link_opens_the_list_of_that_course_only(admin_client, course, make_course):
    BookingFactory(page=course, name="Ada Lovelace")
    BookingFactory(page=make_course(sessions=1, facilitators=0), name="Someone Else")
    row = dashboard_rows(admin_client.get(DASHBOARD))["Compassionate leadership"]

    listing = admin_client.get(row.select_one("a.button")["href"])

    assert "Ada Lovelace" in text(parse(listing))
    assert "Someone Else" not in text(parse(listing))


def test_the_bar_adds_up_to_the_places_and_a_full_course_has_no_free_part(
    admin_client, make_course
):
    thirds = make_course(sessions=1, facilitators=0, title="Thirds", capacity=3)
    book(thirds, [{"confirmed": True}, {"awaiting_payment": True}])
    full = make_course(sessions=1, facilitators=0, title="Full", capacity=2)
    book(full, [{"confirmed": True}] * 2 + [{"waitlisted": True}])

    rows = dashboard_rows(admin_client.get(DASHBOARD))

    assert bar(rows["Thirds"]) == [
        ("part--confirmed", "w33"),
        ("part--held", "w34"),
        ("part--free", "w33"),
    ]
    assert bar(rows["Full"]) == [("part--confirmed", "w100")]
    assert shown_figures(rows["Full"])["Free"] == "0"
    assert cells(rows["Full"])[4] == "1"


def test_a_course_without_a_limit_shows_its_counts_and_no_limit_instead_of_a_bar(
    admin_client, make_course
):
    open_ended = make_course(sessions=0, facilitators=0, title="Open-ended", capacity=None)
    book(open_ended, [{"confirmed": True}, {"awaiting_email": True}])

    row = dashboard_rows(admin_client.get(DASHBOARD))["Open-ended"]

    assert bar(row) == []
    assert shown_figures(row) == {"Places": "no limit", "Confirmed": "1", "Held": "1"}
    assert cells(row)[0] == "No sessions yet"


def test_the_dashboard_lists_the_next_ten_published_courses_soonest_first(
    admin_client, make_course
):
    now = timezone.now()
    for day in range(12, 0, -1):
        make_course(
            sessions=1,
            facilitators=0,
            title=f"In {day} days",
            first_start=now + timedelta(days=day),
        )
    make_course(sessions=1, facilitators=0, title="Finished", first_start=now - timedelta(days=2))
    make_course(sessions=0, facilitators=0, title="No dates yet")
    draft = make_course(sessions=1, facilitators=0, title="Unpublished")
    draft.unpublish()

    rows = dashboard_rows(admin_client.get(DASHBOARD))

    assert list(rows) == [f"In {day} days" for day in range(1, 11)]


def test_a_facilitator_sees_only_the_courses_whose_bookings_they_may_see(
    client, course, facilitator, make_course
):
    make_course(sessions=1, facilitators=0, title="Someone else's course")
    client.force_login(facilitator)

    assert list(dashboard_rows(client.get(DASHBOARD))) == ["Compassionate leadership"]


def test_a_facilitator_with_no_upcoming_course_is_told_so(client, course, facilitator):
    course.get_children().specific().first().delete()
    EventPage.objects.filter(pk=course.pk).update(live=False)
    client.force_login(facilitator)

    panel = parse(client.get(DASHBOARD)).select_one("#wagtail-courses-upcoming-section")

    assert "No upcoming courses whose bookings you may see." in text(panel)
    assert panel.select("table") == []


def test_an_editor_who_may_not_see_bookings_has_no_upcoming_courses_panel(client, course):
    client.force_login(user_in_group("editor"))

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    assert parse(response).select_one("#wagtail-courses-upcoming-section") is None


def render_panel(user) -> str:
    request = RequestFactory().get(DASHBOARD)
    request.user = type(user).objects.get(pk=user.pk)  # nothing cached from before
    return UpcomingCoursesPanel().render_html({"request": request})


@pytest.mark.parametrize(("courses", "bookings"), [(2, 3), (6, 30)])
def test_the_dashboard_panel_queries_do_not_grow(
    make_course, facilitator, event_index, django_assert_num_queries, courses, bookings
):
    for number in range(courses):
        made = make_course(sessions=2, facilitators=0, capacity=40, title=f"Course {number}")
        book(
            made,
            [{"confirmed": True}, {"waitlisted": True}, {"awaiting_approval": True}]
            * (bookings // 3),
        )
    facilitator.groups.first().page_permissions.update(page=event_index)
    render_panel(facilitator)  # once, for what Django caches for good (content types)

    # The user and their permissions (3), the pages they may edit, the courses, their counts.
    with django_assert_num_queries(6):
        html = render_panel(facilitator)

    # Their own course, made by the fixture, has none of these bookings.
    assert html.count("<tr>") == courses + 2  # and the header's, and their own course's


def test_the_whole_dashboard_makes_as_many_queries_for_many_courses_as_for_few(
    client, facilitator, event_index, make_course
):
    facilitator.groups.first().page_permissions.update(page=event_index)
    client.force_login(facilitator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DASHBOARD).status_code == 200
        return len(captured)

    book(make_course(sessions=1, facilitators=0, capacity=10), [{"confirmed": True}] * 3)
    queries()  # the first visit also fills what the admin caches (its site's root, …)
    few = queries()
    for _ in range(5):
        made = make_course(sessions=3, facilitators=0, capacity=40)
        book(made, [{"confirmed": True}, {"awaiting_payment": True}] * 15)

    assert queries() == few


# The course's editor


def edit_url(course) -> str:
    return reverse("wagtailadmin_pages:edit", args=[course.pk])


def standing_panel(response):
    """The "Where the course stands" panel, checked to be the first of the "Places" tab."""
    places_tab = parse(response).select_one("#tab-places")
    first = places_tab.select_one("section[data-panel]")
    if first is None or "Where the course stands" not in text(first.select_one("h2")):
        return None
    return first


def test_the_course_editor_shows_where_it_stands_at_the_top_of_the_places_tab(admin_client, course):
    book(course, MIX)

    panel = standing_panel(admin_client.get(edit_url(course)))

    assert panel is not None
    assert shown_figures(panel) == {
        "Places": "12",
        "Confirmed": "2",
        "Held": "3",
        "Free": "7",
        "Awaiting approval": "1",
        "Awaiting payment": "1",
        "Awaiting email confirmation": "1",
        "Waitlisted for a staff free place": "1",
        "Waitlisted for a paid place": "2",
    }
    assert bar(panel) == [("part--confirmed", "w17"), ("part--held", "w25"), ("part--free", "w58")]
    link = panel.find("a", string="See this course's bookings")
    assert link["href"] == f"{booking_admin_url('index')}?page__id__exact={course.pk}"


def test_the_editor_loads_the_bars_stylesheet(admin_client, course):
    response = admin_client.get(edit_url(course))

    assert b"wagtail_courses/admin/standing.css" in response.content


def test_a_course_not_saved_yet_shows_no_standing(admin_client, event_index):
    add = reverse("wagtailadmin_pages:add", args=("wagtail_courses", "eventpage", event_index.pk))

    response = admin_client.get(add)

    assert response.status_code == 200
    assert "Where the course stands" not in text(parse(response))


def test_an_editor_who_may_not_see_bookings_sees_the_figures_without_the_link(client, course):
    book(course, [{"confirmed": True}])
    client.force_login(user_in_group("editor"))

    panel = standing_panel(client.get(edit_url(course)))

    assert shown_figures(panel)["Confirmed"] == "1"
    assert panel.find("a", string="See this course's bookings") is None


def test_a_draft_with_more_places_is_counted_against_the_published_places(admin_client, course):
    book(course, [{"confirmed": True}] * 3)
    course.capacity = 20
    course.save_revision()

    panel = standing_panel(admin_client.get(edit_url(course)))

    assert shown_figures(panel)["Places"] == "12"
    assert shown_figures(panel)["Free"] == "9"
    assert "the places in this draft count once it is published" in text(panel)


def test_places_lowered_below_those_taken_are_shown_as_more_than_the_course_has(
    admin_client, course
):
    book(course, [{"confirmed": True}] * 3 + [{"awaiting_payment": True}])
    EventPage.objects.filter(pk=course.pk).update(capacity=3)

    panel = standing_panel(admin_client.get(edit_url(course)))

    assert shown_figures(panel)["Free"] == "0"
    assert bar(panel) == [("part--confirmed", "w75"), ("part--held", "w25")]
    assert "One place more is taken than the course has" in text(panel)
