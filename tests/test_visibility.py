"""Only published, public content shows on public pages."""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.factories import EventFacilitatorFactory, FacilitatorPageFactory, SessionPageFactory
from tests.support.html import parse, text
from wagtail_courses.models import EventPage, SessionPage


def test_draft_facilitator_is_not_on_the_course_page(client, make_course, facilitator_index):
    course = make_course(sessions=1, facilitators=0)
    EventFacilitatorFactory(
        page=course, facilitator=FacilitatorPageFactory(parent=facilitator_index, title="Shown")
    )
    EventFacilitatorFactory(
        page=course,
        facilitator=FacilitatorPageFactory(parent=facilitator_index, title="Draft", live=False),
    )

    names = [h.get_text() for h in parse(client.get(course.url)).select(".wc-person__name")]

    assert names == ["Shown"]


def test_restricted_course_is_not_listed_anywhere(client, make_course, facilitator_index):
    open_course = make_course(sessions=1, facilitators=0, title="Open to all")
    private = make_course(sessions=1, facilitators=0, title="Staff only")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    person = FacilitatorPageFactory(parent=facilitator_index)
    for course in (open_course, private):
        EventFacilitatorFactory(page=course, facilitator=person)

    index_titles = [a.get_text() for a in parse(client.get("/events/")).select(".wc-card a")]
    person_titles = [a.get_text() for a in parse(client.get(person.url)).select(".wc-card a")]

    assert index_titles == person_titles == ["Open to all"]


def test_session_of_a_draft_course_is_not_served(client, make_course):
    course = make_course(sessions=1, facilitators=0)
    session = SessionPage.objects.child_of(course).get()
    url = session.url
    course.unpublish()

    assert client.get(url).status_code == 404


def test_cancelled_sessions_do_not_set_the_course_dates(client, make_course):
    now = timezone.now()
    course = make_course(
        sessions=3, facilitators=0, title="Partly cancelled", first_start=now + timedelta(days=7)
    )
    first = SessionPage.objects.child_of(course).order_by("start").first()
    first.status = SessionPage.Status.CANCELLED
    first.save()
    all_cancelled = make_course(sessions=1, facilitators=0, first_start=now + timedelta(days=1))
    SessionPage.objects.child_of(all_cancelled).update(status=SessionPage.Status.CANCELLED)

    course_page = parse(client.get(course.url))
    cards = {
        card.h3.get_text(): text(card) for card in parse(client.get("/events/")).select(".wc-card")
    }

    second = SessionPage.objects.child_of(course).order_by("start")[1]
    assert course_page.select_one(".wc-course__when time")["datetime"] == (
        timezone.localtime(second.start, course.tzinfo).date().isoformat()
    )
    assert "3 weekly sessions" in cards["Partly cancelled"]
    assert (
        "(the session on" in cards["Partly cancelled"]
        and "is cancelled)" in cards["Partly cancelled"]
    )
    assert cards[all_cancelled.title].count("(cancelled)") == 1


def test_a_time_zone_this_machine_no_longer_knows_falls_back_to_the_site_zone(client, make_course):
    course = make_course(sessions=1, facilitators=0)
    EventPage.objects.filter(pk=course.pk).update(time_zone="Atlantis/Lost_City")

    assert client.get(course.url).status_code == 200
    assert client.get("/events/").status_code == 200


def test_paging_one_list_keeps_the_other_lists_place(client, make_course, settings):
    settings.WAGTAIL_COURSES_INDEX_PAGE_SIZE = 1
    now = timezone.now()
    for days in (10, 20, -30, -40):
        make_course(sessions=1, facilitators=0, first_start=now + timedelta(days=days))

    soup = parse(client.get("/events/?page=1&past_page=2"))

    links = [a["href"] for a in soup.select(".wc-pagination a")]
    assert links == ["?page=2&past_page=2", "?page=1&past_page=1"]


def test_live_session_page_is_served_and_says_which_course(client, make_course):
    course = make_course(sessions=0, facilitators=0, title="The course")
    session = SessionPageFactory(parent=course)

    assert "The course" in text(parse(client.get(session.url)))
