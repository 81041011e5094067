"""Copying a course for its next run ("Copy for a new run"), through the Wagtail admin."""

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, PageLogEntry

from example_site.demo.builder import build_demo
from tests.admin_users import assert_refused, user_in_group
from tests.factories import BookingFactory
from tests.reference import LONDON
from tests.support.html import parse, text
from wagtail_courses.models import Booking, EventPage, SessionPage
from wagtail_courses.next_run.plan import MoveError, OldSession, plan_new_run

# Applications for the reference course open and close at these times before its first
# session; the new run's should be as long before its own.
OPENS_BEFORE = timedelta(days=60, hours=-6)
CLOSES_BEFORE = timedelta(days=7)


@pytest.fixture
def course(db):
    """The reference course in the first year its run is still ahead, with two bookings, one
    cancelled session and set dates for applications."""
    course = build_demo()
    first = SessionPage.objects.child_of(course).order_by("start").first()
    course.booking_opens_at = first.start - OPENS_BEFORE
    course.booking_closes_at = first.start - CLOSES_BEFORE
    course.save_revision().publish()
    BookingFactory(page=course, confirmed=True)
    BookingFactory(page=course, waitlisted=True)
    fourth = SessionPage.objects.child_of(course).order_by("start")[3]
    fourth.status = SessionPage.Status.CANCELLED
    fourth.save_revision().publish()
    return EventPage.objects.get(pk=course.pk)


def next_run_url(page) -> str:
    return reverse("wagtail_courses_copy_for_new_run", args=(page.pk,))


def sessions_of(course) -> list[SessionPage]:
    return list(SessionPage.objects.child_of(course).order_by("start"))


def local_days(course) -> list[date]:
    return [session.start.astimezone(LONDON).date() for session in sessions_of(course)]


def gaps(days: list[date]) -> list[timedelta]:
    return [later - earlier for earlier, later in zip(days, days[1:], strict=False)]


def a_year_on(course) -> date:
    """The Tuesday nearest a year after the first session: 52 weeks on."""
    return local_days(course)[0] + timedelta(weeks=52)


def form_data(**overrides) -> dict:
    return {"title": "Compassionate Leadership – next year", "state": "draft", **overrides}


def new_run(course) -> EventPage:
    return EventPage.objects.exclude(pk=course.pk).get()


def first_date_error(response) -> str:
    return " ".join(str(error) for error in response.context["form"].errors["first_date"])


# The whole path, as an editor takes it


def test_the_reference_course_copied_a_year_on(admin_client, course):
    old_days = local_days(course)
    first = a_year_on(course)

    response = admin_client.post(
        next_run_url(course), form_data(first_date=first.isoformat(), action="create")
    )

    copy = new_run(course)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=(copy.pk,))
    new_days = local_days(copy)
    assert new_days[0] == first
    assert [new - old for old, new in zip(old_days, new_days, strict=True)] == [
        timedelta(days=364)
    ] * 7
    assert all(day.strftime("%A") == "Tuesday" for day in new_days)
    # The gaps, the two skipped weeks and the consolidation session's distance come along.
    assert gaps(new_days) == gaps(old_days)
    assert gaps(new_days) == [timedelta(days=d) for d in (7, 14, 7, 14, 7, 84)]
    sessions = sessions_of(copy)
    assert {session.start.astimezone(LONDON).time() for session in sessions} == {time(15)}
    assert {session.end.astimezone(LONDON).time() for session in sessions} == {time(17)}
    assert [session.title for session in sessions] == [s.title for s in sessions_of(course)]


def test_the_copy_keeps_the_course_and_leaves_the_old_runs_things_behind(admin_client, course):
    admin_client.post(
        next_run_url(course),
        form_data(first_date=a_year_on(course).isoformat(), action="create"),
    )

    copy = new_run(course)
    assert copy.title == "Compassionate Leadership – next year"
    assert copy.slug == "compassionate-leadership-next-year"
    assert copy.get_parent().pk == course.get_parent().pk
    # Questions, facilitators and place settings, as the old run has them.
    assert [(f.label, f.field_type, f.required) for f in copy.form_fields.all()] == [
        (f.label, f.field_type, f.required) for f in course.form_fields.all()
    ]
    assert len(copy.form_fields.all()) > 0
    assert [(link.facilitator_id, link.role) for link in copy.facilitator_links.all()] == [
        (link.facilitator_id, link.role) for link in course.facilitator_links.all()
    ]
    assert len(copy.facilitator_links.all()) == 3
    for name in (
        "capacity",
        "staff_free_places",
        "requires_approval",
        "payment_method",
        "payment_instructions",
        "price",
        "summary",
        "time_zone",
    ):
        assert getattr(copy, name) == getattr(course, name), name
    # The old run's: its joining link, its bookings, its cancellation and calendar sequences.
    assert course.joining_link and copy.joining_link == ""
    assert not Booking.objects.filter(page=copy).exists()
    assert Booking.objects.filter(page=course).count() == 2
    sessions = sessions_of(copy)
    assert {session.status for session in sessions} == {SessionPage.Status.SCHEDULED}
    assert {session.sequence for session in sessions} == {0}
    assert not {s.pk for s in sessions} & {s.pk for s in sessions_of(course)}
    # Applications open and close as long before the first session as they did.
    first = sessions[0].start
    assert first - copy.booking_opens_at == OPENS_BEFORE
    assert first - copy.booking_closes_at == CLOSES_BEFORE
    # A draft, with one fresh revision and none of the old run's history.
    assert not copy.live and not any(session.live for session in sessions)
    assert copy.revisions.count() == 1
    assert admin_client.get(reverse("wagtailadmin_pages:edit", args=(copy.pk,))).status_code == 200
    # The old run is as it was.
    assert len(sessions_of(course)) == 7
    assert EventPage.objects.get(pk=course.pk).live


def test_the_message_and_the_history_name_the_new_run(admin_client, course):
    response = admin_client.post(
        next_run_url(course),
        form_data(first_date=a_year_on(course).isoformat(), action="create"),
        follow=True,
    )

    first = a_year_on(course)
    # The message's first line; its "Edit" button follows.
    messages = [str(message).strip().splitlines()[0] for message in response.context["messages"]]
    assert messages == [
        "“Compassionate Leadership – next year” saved as a draft, with 7 sessions from "
        f"{first:%A} {first.day} {first:%B %Y}."
    ]
    copy = new_run(course)
    entry = PageLogEntry.objects.get(page=copy, action="wagtail_courses.copy_for_new_run")
    assert entry.message == (
        "“Compassionate Leadership – next year” created as a new run of "
        f"“{course.title}”, every session 364 days later"
    )
    history = admin_client.get(reverse("wagtailadmin_pages:history", args=(copy.pk,)))
    assert "created as a new run of" in text(parse(history))


def test_publishing_the_copy_publishes_it_and_its_sessions(admin_client, course):
    admin_client.post(
        next_run_url(course),
        form_data(first_date=a_year_on(course).isoformat(), state="publish", action="create"),
    )

    copy = new_run(course)
    assert copy.live and not copy.has_unpublished_changes
    assert copy.sessions().count() == 7
    assert all(session.live for session in sessions_of(copy))
    assert admin_client.get(copy.url).status_code == 200


def test_a_run_moved_across_the_clock_change_keeps_its_wall_clock_times(admin_client, course):
    # From British Summer Time to a run from November, mostly in GMT: 15:00 stays 15:00.
    first = local_days(course)[0] + timedelta(weeks=26)

    admin_client.post(
        next_run_url(course), form_data(first_date=first.isoformat(), action="create")
    )

    sessions = sessions_of(new_run(course))
    assert local_days(new_run(course))[0] == first
    assert [session.start.astimezone(LONDON).time() for session in sessions] == [time(15)] * 7
    assert [session.end.astimezone(LONDON).time() for session in sessions] == [time(17)] * 7
    # The old run was all in summer time; the new one's weekly sessions are in GMT.
    assert {s.start.astimezone(LONDON).utcoffset() for s in sessions_of(course)} == {
        timedelta(hours=1)
    }
    assert sessions[0].start.astimezone(LONDON).utcoffset() == timedelta(0)


def test_the_title_is_the_old_one_at_first_and_its_slug_is_made_free(admin_client, course):
    form = admin_client.get(next_run_url(course))
    assert parse(form).select_one("#id_title")["value"] == course.title

    admin_client.post(
        next_run_url(course),
        form_data(title=course.title, first_date=a_year_on(course).isoformat(), action="create"),
    )

    assert new_run(course).slug == f"{course.slug}-2"


# The preview


def test_the_preview_lists_the_new_run_and_creates_nothing(admin_client, course):
    pages = Page.objects.count()
    first = a_year_on(course)

    response = admin_client.post(
        next_run_url(course), form_data(first_date=first.isoformat(), action="preview")
    )

    assert response.status_code == 200
    assert Page.objects.count() == pages
    soup = parse(response)
    assert "“Compassionate Leadership – next year” will be created with 7 sessions. " in text(soup)
    assert "Nothing has been created yet." in text(soup)
    assert "364 days later, at the same times in Europe/London" in text(soup)
    rows = [
        [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in soup.select("table.listing tbody tr")
    ]
    new_days = [old + timedelta(days=364) for old in local_days(course)]
    assert [row[1] for row in rows] == [f"{day:%A} {day.day} {day:%B %Y}" for day in new_days]
    assert {row[2] for row in rows} == {"15:00–17:00"}
    assert rows[-1][0] == "Consolidation session"
    assert [row[3].endswith("(cancelled in this run)") for row in rows] == [
        False,
        False,
        False,
        True,
        False,
        False,
        False,
    ]
    # What the preview shows is what "Create" posts: the form's values, kept hidden.
    assert soup.select_one("input[type=hidden][name=first_date]")["value"] == first.isoformat()
    buttons = {
        button["value"]: button.get_text(strip=True)
        for button in soup.select("button[name=action]")
    }
    assert buttons["create"] == "Create" and buttons["change"] == "Change"


def test_change_goes_back_to_the_form_as_filled_in(admin_client, course):
    first = a_year_on(course).isoformat()
    pages = Page.objects.count()

    response = admin_client.post(next_run_url(course), form_data(first_date=first, action="change"))

    soup = parse(response)
    assert soup.select_one("#id_first_date")["value"] == first
    assert soup.select_one("#id_title")["value"] == "Compassionate Leadership – next year"
    assert not soup.select("table.listing")
    assert Page.objects.count() == pages


def test_preview_queries_do_not_grow_with_the_sessions(
    admin_client, make_course, django_assert_num_queries
):
    first_start = datetime.combine(
        timezone.localdate() + timedelta(days=30), time(15), tzinfo=LONDON
    )
    for sessions in (2, 8):
        course = make_course(sessions=sessions, first_start=first_start)
        first = first_start.date() + timedelta(weeks=52)
        admin_client.get(next_run_url(course))  # the admin's per-user caches, filled once
        with django_assert_num_queries(PREVIEW_QUERIES):
            response = admin_client.post(
                next_run_url(course), form_data(first_date=first.isoformat(), action="preview")
            )
        assert len(parse(response).select("table.listing tbody tr")) == sessions


PREVIEW_QUERIES = 11


# Bad input: a clear message next to the field, and nothing created


def weekday_after(course) -> date:
    return a_year_on(course) + timedelta(days=1)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            lambda course: weekday_after(course).isoformat(),
            lambda course: (
                f"“{weekday_after(course).isoformat()}”: {weekday_after(course).day} "
                f"{weekday_after(course):%B %Y} is a Wednesday, and the first session was on a "
                f"Tuesday ({local_days(course)[0]:%A} {local_days(course)[0].day} "
                f"{local_days(course)[0]:%B %Y}): choose a Tuesday."
            ),
        ),
        (
            lambda course: "2020-05-12",
            lambda course: (
                "“2020-05-12” (Tuesday 12 May 2020) is in the past: choose today or a later date."
            ),
        ),
        (lambda course: "", lambda course: "Give the date of the new run's first session."),
        (
            lambda course: "next tuesday",
            lambda course: "“next tuesday” is not a date we can read. Write it as 11/05/2027.",
        ),
        (
            lambda course: "2028-02-30",
            lambda course: "“2028-02-30” is not a date we can read. Write it as 11/05/2027.",
        ),
    ],
    ids=["another weekday", "in the past", "empty", "garbled", "no such day"],
)
@pytest.mark.parametrize("action", ["preview", "create"])
def test_a_bad_first_date_is_refused_next_to_the_field(
    admin_client, course, typed, message, action
):
    pages = Page.objects.count()

    response = admin_client.post(
        next_run_url(course), form_data(first_date=typed(course), action=action)
    )

    assert response.status_code == 200
    assert first_date_error(response) == message(course)
    soup = parse(response)
    assert soup.select_one("#id_first_date-errors") is not None or message(course) in text(soup)
    assert "id_first_date-errors" in soup.select_one("#id_first_date")["aria-describedby"]
    assert Page.objects.count() == pages


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "Give the new run a title."),
        ("Course\nSet-Cookie: x", "Use one line of plain text here"),
    ],
    ids=["empty", "line break"],
)
def test_a_bad_title_is_refused_and_nothing_is_created(admin_client, course, title, message):
    pages = Page.objects.count()

    response = admin_client.post(
        next_run_url(course),
        form_data(title=title, first_date=a_year_on(course).isoformat(), action="create"),
    )

    assert message in " ".join(response.context["form"].errors["title"])
    assert Page.objects.count() == pages


def test_a_course_without_sessions_says_so(admin_client, make_course):
    course = make_course(sessions=0)
    pages = Page.objects.count()

    response = admin_client.post(
        next_run_url(course), form_data(first_date="2040-05-15", action="create")
    )

    assert response.context["form"].non_field_errors() == [
        "This course has no sessions to move: use Wagtail's “Copy” instead."
    ]
    assert Page.objects.count() == pages


# All or nothing


def test_a_busy_database_creates_nothing_and_shows_the_preview_again(
    admin_client, course, monkeypatch
):
    def busy(**kwargs):
        # What SQLite says when its write lock is not granted in time, after the course's
        # copy was written: that copy is rolled back with the rest.
        raise OperationalError("database is locked")

    monkeypatch.setattr("wagtail_courses.next_run.service.copy_sessions", busy)
    pages = Page.objects.count()

    response = admin_client.post(
        next_run_url(course),
        form_data(first_date=a_year_on(course).isoformat(), action="create"),
    )

    assert response.status_code == 503
    assert "so nothing was created. Press “Create” again." in text(parse(response))
    assert len(parse(response).select("table.listing tbody tr")) == 7
    assert Page.objects.count() == pages


# Who may use it, and where the button is


def test_superuser_sees_the_button_on_a_course_and_not_elsewhere(admin_client, course):
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=(course.pk,)))
    assert next_run_url(course) in edit.content.decode()

    listing = admin_client.get(reverse("wagtailadmin_explore", args=(course.get_parent().pk,)))
    assert next_run_url(course) in listing.content.decode()

    index = admin_client.get(reverse("wagtailadmin_pages:edit", args=(course.get_parent().pk,)))
    assert "copy-for-new-run" not in index.content.decode()
    assert admin_client.get(next_run_url(course.get_parent())).status_code == 404


def test_an_editor_of_the_course_who_may_not_add_beside_it_is_refused(client, course):
    # May edit the course and add sessions to it, but not add a course to All events.
    user = user_in_group("Course editors", edits=[course])
    GroupPagePermission.objects.create(
        group=user.groups.get(),
        page=course,
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="add_page"
        ),
    )
    client.force_login(user)

    edit = client.get(reverse("wagtailadmin_pages:edit", args=(course.pk,)))
    assert edit.status_code == 200
    assert "copy-for-new-run" not in edit.content.decode()

    assert_refused(client.get(next_run_url(course)))
    pages = Page.objects.count()
    assert_refused(
        client.post(
            next_run_url(course),
            form_data(first_date=a_year_on(course).isoformat(), action="create"),
        )
    )
    assert Page.objects.count() == pages


def test_an_editor_who_may_add_but_not_publish_saves_a_draft_only(client, course):
    user = user_in_group("Course writers", edits=[course.get_parent()])
    GroupPagePermission.objects.create(
        group=user.groups.get(),
        page=course.get_parent(),
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="add_page"
        ),
    )
    client.force_login(user)

    edit = client.get(reverse("wagtailadmin_pages:edit", args=(course.pk,)))
    assert next_run_url(course) in edit.content.decode()

    refused = client.post(
        next_run_url(course),
        form_data(first_date=a_year_on(course).isoformat(), state="publish", action="create"),
    )
    assert "state" in refused.context["form"].errors
    assert not EventPage.objects.exclude(pk=course.pk).exists()

    client.post(
        next_run_url(course),
        form_data(first_date=a_year_on(course).isoformat(), action="create"),
    )
    copy = new_run(course)
    assert not copy.live and copy.owner == user
    assert len(sessions_of(copy)) == 7


def test_the_button_adds_no_query_to_the_explorers_listing(
    client, make_course, event_index, monkeypatch
):
    """Asked once a row, from the row's path: no parent page is fetched for it."""
    user = user_in_group("Course writers", edits=[event_index])
    GroupPagePermission.objects.create(
        group=user.groups.get(),
        page=event_index,
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="add_page"
        ),
    )
    client.force_login(user)
    listing = reverse("wagtailadmin_explore", args=(event_index.pk,))

    def listing_queries(*, buttons: int) -> int:
        client.get(listing)  # the admin's per-user caches, filled once
        with CaptureQueriesContext(connection) as captured:
            response = client.get(listing)
        assert response.content.decode().count("copy-for-new-run") == buttons
        return len(captured)

    for _course in range(3):
        make_course(sessions=1)
    with_buttons = listing_queries(buttons=3)
    # Where the parent would be read: without it, no button, and not one query fewer.
    monkeypatch.setattr("wagtail_courses.next_run.hooks.may_add_beside", lambda *args: False)

    assert listing_queries(buttons=0) == with_buttons


# Wagtail's own "Copy" still works on a course


def test_wagtails_own_copy_of_a_course_still_works(admin_client, course):
    course.joining_link = "https://meet.example/old-run"
    course.save_revision().publish()
    response = admin_client.post(
        reverse("wagtailadmin_pages:copy", args=(course.pk,)),
        {
            "new_title": "A plain copy",
            "new_slug": "a-plain-copy",
            "new_parent_page": course.get_parent().pk,
            "copy_subpages": "on",
        },
    )

    assert response.status_code == 302
    copy = EventPage.objects.get(slug="a-plain-copy")
    assert len(sessions_of(copy)) == 7
    assert not Booking.objects.filter(page=copy).exists()
    # Nor does it take the old run's joining link along.
    assert copy.joining_link == ""


# The plan on its own: no database


def london(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def test_plan_moves_every_session_by_the_same_days_keeping_wall_clock_times():
    # Sunday 24 October 2027 is summer time; a week later is GMT.
    sessions = [
        OldSession(
            pk=1,
            title="One",
            start=london(date(2027, 10, 24), 15),
            end=london(date(2027, 10, 24), 17),
        ),
        OldSession(
            pk=2,
            title="Two",
            start=london(date(2027, 10, 31), 15),
            end=london(date(2027, 10, 31), 17),
        ),
    ]

    run = plan_new_run(title="Next", sessions=sessions, first_date=date(2028, 3, 19), zone=LONDON)

    assert run.days == 147
    assert [(moved.start, moved.end) for moved in run.sessions] == [
        (london(date(2028, 3, 19), 15), london(date(2028, 3, 19), 17)),
        (london(date(2028, 3, 26), 15), london(date(2028, 3, 26), 17)),
    ]


def test_plan_refuses_a_session_the_clocks_skip():
    sessions = [
        OldSession(
            pk=1,
            title="Night shift",
            start=london(date(2027, 3, 21), 1, 30),
            end=london(date(2027, 3, 21), 3),
        ),
    ]

    with pytest.raises(MoveError) as caught:
        plan_new_run(title="Next", sessions=sessions, first_date=date(2028, 3, 26), zone=LONDON)

    assert str(caught.value) == (
        "“Night shift” would be at 01:30 on Sunday 26 March 2028, which does not exist in "
        "Europe/London (the clocks go forward then): choose another date."
    )


def test_plan_moves_the_application_dates_with_the_sessions():
    sessions = [
        OldSession(
            pk=1,
            title="One",
            start=london(date(2027, 5, 18), 15),
            end=london(date(2027, 5, 18), 17),
        ),
    ]

    run = plan_new_run(
        title="Next",
        sessions=sessions,
        first_date=date(2027, 11, 16),
        zone=LONDON,
        booking_opens_at=london(date(2027, 4, 1), 9),
        booking_closes_at=None,
    )

    assert run.booking_opens_at == london(date(2027, 9, 30), 9)
    assert run.booking_closes_at is None


def test_the_new_first_date_may_be_typed_the_uk_way(admin_client, course, settings):
    settings.LANGUAGE_CODE = "en-gb"
    day = a_year_on(course)

    response = admin_client.post(
        next_run_url(course), form_data(first_date=day.strftime("%d/%m/%Y"), action="preview")
    )

    assert response.status_code == 200
    assert f"{day:%A} {day.day} {day:%B %Y}" in text(parse(response))
    assert parse(response).find("input", attrs={"name": "first_date"})["value"] == day.strftime(
        "%d/%m/%Y"
    )
