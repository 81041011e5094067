"""Adding a course's sessions from a repeating schedule, through the Wagtail admin."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import OperationalError
from django.urls import reverse
from wagtail.models import GroupPagePermission

from tests.factories import SessionPageFactory
from tests.reference import LONDON, SEED_DATES
from tests.support.html import parse, text
from tests.support.schedules import add_sessions_url, schedule_data
from wagtail_courses.generator.plan import (
    MAX_SESSIONS,
    ExtraSession,
    PlanError,
    Schedule,
    plan,
)
from wagtail_courses.models import SessionPage


@pytest.fixture
def course(make_course):
    return make_course(sessions=0, facilitators=0, time_zone="Europe/London")


NO_EXTRAS = {f"extra-0-{name}": "" for name in ("date", "start_time", "end_time", "title")}


def sessions_of(course) -> list[SessionPage]:
    return list(SessionPage.objects.child_of(course).order_by("start"))


def london(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


# The whole path, as an editor takes it


def test_reference_schedule_gives_the_seven_sessions(admin_client, course):
    response = admin_client.post(add_sessions_url(course), schedule_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=(course.pk,))
    sessions = sessions_of(course)
    assert [session.start for session in sessions] == [london(day, 15) for day in SEED_DATES]
    # 15:00 to 17:00 in London in summer is 14:00 to 16:00 UTC.
    assert [session.start.astimezone(UTC).time() for session in sessions] == [time(14)] * 7
    assert [session.end.astimezone(UTC).time() for session in sessions] == [time(16)] * 7
    assert [session.title for session in sessions] == [
        "Session 1",
        "Session 2",
        "Session 3",
        "Session 4",
        "Session 5",
        "Session 6",
        "Consolidation session",
    ]
    assert all(session.live and not session.has_unpublished_changes for session in sessions)
    assert len({session.slug for session in sessions}) == 7
    assert course.sessions().count() == 7


def test_success_message_says_how_many_were_created(admin_client, course):
    response = admin_client.post(add_sessions_url(course), schedule_data(), follow=True)

    messages = [str(message).strip() for message in response.context["messages"]]
    assert messages == ["7 sessions created."]


def test_preview_lists_the_sessions_and_creates_nothing(admin_client, course):
    response = admin_client.post(add_sessions_url(course), schedule_data(action="preview"))

    assert response.status_code == 200
    rows = response.context["preview"]
    assert [row.start for row in rows] == [london(day, 15) for day in SEED_DATES]
    assert [row.title for row in rows][-2:] == ["Session 6", "Consolidation session"]
    assert not any(row.exists for row in rows)
    content = response.content.decode()
    assert "Tuesday 14 May 2024" in content
    assert "Tuesday 24 September 2024" in content
    assert "Tuesday 28 May 2024" not in content
    assert "15:00" in content and "17:00" in content
    assert "7 sessions will be created" in content
    assert not SessionPage.objects.child_of(course).exists()


def test_running_it_again_creates_nothing_new_and_says_so(admin_client, course):
    admin_client.post(add_sessions_url(course), schedule_data())

    preview = admin_client.post(add_sessions_url(course), schedule_data(action="preview"))
    assert all(row.exists for row in preview.context["preview"])
    assert "Already exists: skipped" in preview.content.decode()

    response = admin_client.post(add_sessions_url(course), schedule_data(), follow=True)

    assert len(sessions_of(course)) == 7
    assert [str(message).strip() for message in response.context["messages"]] == [
        "No sessions created. 7 sessions already existed and were skipped."
    ]


def test_an_existing_session_is_skipped_and_counted_in_the_numbering(admin_client, course):
    SessionPageFactory(
        parent=course,
        title="Welcome",
        start=london(date(2024, 5, 21), 15),
        end=london(date(2024, 5, 21), 17),
    )

    response = admin_client.post(add_sessions_url(course), schedule_data(), follow=True)

    assert [session.title for session in sessions_of(course)] == [
        "Session 1",
        "Welcome",
        "Session 3",
        "Session 4",
        "Session 5",
        "Session 6",
        "Consolidation session",
    ]
    assert [str(message).strip() for message in response.context["messages"]] == [
        "6 sessions created. 1 session already existed and was skipped."
    ]


def test_draft_option_leaves_the_sessions_unpublished(admin_client, course):
    admin_client.post(add_sessions_url(course), schedule_data(state="draft"))

    sessions = sessions_of(course)
    assert len(sessions) == 7
    assert not any(session.live for session in sessions)
    assert all(session.latest_revision_id for session in sessions)
    assert not course.sessions().exists()


def test_every_n_weeks_with_a_number_of_sessions(admin_client, course):
    response = admin_client.post(
        add_sessions_url(course),
        schedule_data(interval="2", until="", count="4", skip_dates="", **NO_EXTRAS),
    )

    assert response.status_code == 302
    assert [session.start for session in sessions_of(course)] == [
        london(date(2024, 5, 14), 15),
        london(date(2024, 5, 28), 15),
        london(date(2024, 6, 11), 15),
        london(date(2024, 6, 25), 15),
    ]


def test_a_skipped_date_does_not_count_towards_the_number_of_sessions(admin_client, course):
    admin_client.post(
        add_sessions_url(course),
        schedule_data(until="", count="3", skip_dates="2024-05-21", **NO_EXTRAS),
    )

    assert [session.start.date() for session in sessions_of(course)] == [
        date(2024, 5, 14),
        date(2024, 5, 28),
        date(2024, 6, 4),
    ]


def test_another_weekday_than_the_first_dates(admin_client, course):
    # The first date is a Tuesday; the sessions are on Thursdays from then on.
    admin_client.post(
        add_sessions_url(course),
        schedule_data(weekday="3", until="2024-05-31", skip_dates="", **NO_EXTRAS),
    )

    assert [session.start.date() for session in sessions_of(course)] == [
        date(2024, 5, 16),
        date(2024, 5, 23),
        date(2024, 5, 30),
    ]


def test_weekly_15_00_stays_15_00_london_time_when_the_clocks_go_back(admin_client, course):
    admin_client.post(
        add_sessions_url(course),
        schedule_data(first_date="2024-10-15", until="", count="4", skip_dates="", **NO_EXTRAS),
    )

    sessions = sessions_of(course)
    assert [session.start.astimezone(LONDON).time() for session in sessions] == [time(15)] * 4
    assert [session.start.astimezone(UTC) for session in sessions] == [
        datetime(2024, 10, 15, 14, tzinfo=UTC),
        datetime(2024, 10, 22, 14, tzinfo=UTC),
        datetime(2024, 10, 29, 15, tzinfo=UTC),  # GMT from 27 October
        datetime(2024, 11, 5, 15, tzinfo=UTC),
    ]


# Bad input: a message next to the field, and nothing created


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "15:00"}, "end_time", "The end time must be after the start time."),
        ({"end_time": "14:00"}, "end_time", "The end time must be after the start time."),
        ({"until": "2024-05-13"}, "until", "The end date must not be before the first date."),
        (
            {"count": "6"},
            "until",
            "Give either an end date or a number of sessions, not both.",
        ),
        ({"until": ""}, "until", "Give either an end date or a number of sessions."),
        (
            {"skip_dates": "2024-05-28\r\n2024-07-09"},
            "skip_dates",
            "Tuesday 9 July 2024 is outside the repeating sessions, which run from "
            "Tuesday 14 May 2024 to Tuesday 2 July 2024.",
        ),
        (
            {"skip_dates": "2024-05-07"},
            "skip_dates",
            "Tuesday 7 May 2024 is outside the repeating sessions, which run from "
            "Tuesday 14 May 2024 to Tuesday 2 July 2024.",
        ),
        (
            {"skip_dates": "2024-05-29"},
            "skip_dates",
            "Wednesday 29 May 2024 is not the date of one of the repeating sessions.",
        ),
        (
            {"skip_dates": "next Tuesday"},
            "skip_dates",
            "Not a date: next Tuesday. Write one date a line, such as 11/05/2027.",
        ),
        (
            {"until": "", "count": "0"},
            "count",
            "Ensure this value is greater than or equal to 1.",
        ),
        (
            {"weekday": "2", "until": "2024-05-14"},
            "until",
            "No session falls on or before this end date.",
        ),
        (
            {"until": "", "count": str(MAX_SESSIONS + 1)},
            "count",
            f"Ensure this value is less than or equal to {MAX_SESSIONS}.",
        ),
        (
            {"until": "2204-07-02"},
            "until",
            f"This gives more than {MAX_SESSIONS} sessions, the most that can be added at once.",
        ),
        (
            # The clocks go forward at 01:00 on Sunday 31 March 2024 in London.
            {
                "first_date": "2024-03-24",
                "start_time": "01:30",
                "end_time": "03:00",
                "until": "2024-04-07",
                "skip_dates": "",
            },
            "start_time",
            "01:30 does not exist on Sunday 31 March 2024 in Europe/London: "
            "the clocks go forward then.",
        ),
        ({"first_date": ""}, "first_date", "This field is required."),
        ({"start_time": "25:00"}, "start_time", "Enter a valid time."),
        (
            {"state": "publish-later"},
            "state",
            "Select a valid choice. publish-later is not one of the available choices.",
        ),
    ],
)
def test_bad_schedule_is_refused_next_to_the_field(admin_client, course, overrides, field, message):
    response = admin_client.post(add_sessions_url(course), schedule_data(**overrides))

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    # The message is in the page, tied to its field's input.
    auto_id = f"id_{field}"
    content = response.content.decode()
    assert f'id="{auto_id}-errors"' in content
    assert f'aria-describedby="{auto_id}-errors' in content
    assert not SessionPage.objects.child_of(course).exists()


def test_schedule_giving_no_sessions_is_refused(admin_client, course):
    response = admin_client.post(
        add_sessions_url(course),
        schedule_data(until="2024-05-21", skip_dates="2024-05-14\r\n2024-05-21", **NO_EXTRAS),
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["This schedule gives no sessions."]
    assert "This schedule gives no sessions." in response.content.decode()
    assert not SessionPage.objects.child_of(course).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"extra-0-end_time": "15:00"},
            "end_time",
            "The end time must be after the start time.",
        ),
        (
            {"extra-0-date": "2024-06-25"},
            "start_time",
            "Another session in this schedule starts at the same time.",
        ),
        ({"extra-0-date": ""}, "date", "This field is required."),
    ],
)
def test_bad_extra_session_is_refused_next_to_its_field(
    admin_client, course, overrides, field, message
):
    response = admin_client.post(add_sessions_url(course), schedule_data(**overrides))

    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors[field] == [message]
    assert f'id="id_extra-0-{field}-errors"' in response.content.decode()
    assert not SessionPage.objects.child_of(course).exists()


def test_the_form_is_labelled_and_starts_empty(admin_client, course):
    response = admin_client.get(add_sessions_url(course))

    assert response.status_code == 200
    content = response.content.decode()
    for name in ("first_date", "start_time", "end_time", "until", "count", "skip_dates"):
        assert f'for="id_{name}"' in content
    assert 'for="id_extra-2-title"' in content
    assert "In the course&#x27;s time zone (Europe/London)." in content
    assert 'name="action" value="preview"' in content
    assert 'name="action" value="create"' in content


def test_each_input_is_described_by_what_the_page_shows_of_it(admin_client, course):
    soup = parse(admin_client.get(add_sessions_url(course)))

    # Help text where there is some (set by the form, or for the course's zone); nothing
    # named that the page doesn't have.
    assert soup.select_one("#id_interval")["aria-describedby"] == "id_interval-helptext"
    assert soup.select_one("#id_start_time")["aria-describedby"] == "id_start_time-helptext"
    assert not soup.select_one("#id_first_date").has_attr("aria-describedby")
    assert not soup.select_one("#id_extra-0-date").has_attr("aria-describedby")
    assert_descriptions_are_on_the_page(soup)


def test_an_error_and_help_text_both_describe_their_input(admin_client, course):
    soup = parse(admin_client.post(add_sessions_url(course), schedule_data(interval="0")))

    interval = soup.select_one("#id_interval")
    assert interval["aria-describedby"] == "id_interval-errors id_interval-helptext"
    assert interval["aria-invalid"] == "true"
    assert_descriptions_are_on_the_page(soup)
    assert not SessionPage.objects.child_of(course).exists()


def test_a_problem_the_plan_finds_describes_its_extra_sessions_input(admin_client, course):
    # The fields are valid; the plan puts the problem on the field after cleaning.
    response = admin_client.post(
        add_sessions_url(course), schedule_data(**{"extra-0-end_time": "15:00"})
    )
    soup = parse(response)

    end = soup.select_one("#id_extra-0-end_time")
    assert end["aria-describedby"] == "id_extra-0-end_time-errors"
    assert "The end time must be after the start time." in text(soup)
    assert_descriptions_are_on_the_page(soup)
    assert not SessionPage.objects.child_of(course).exists()


def assert_descriptions_are_on_the_page(soup) -> None:
    for element in soup.select("form [aria-describedby]"):
        for element_id in element["aria-describedby"].split():
            assert soup.find(id=element_id), f"{element['id']} names a missing {element_id}"


# Slugs


def test_a_title_already_in_the_course_gets_the_next_free_slug(admin_client, course):
    SessionPageFactory(
        parent=course,
        title="Consolidation session",
        slug="consolidation-session",
        start=london(date(2024, 9, 10), 15),
        end=london(date(2024, 9, 10), 17),
    )
    second_extra = {
        "extra-1-date": "2024-10-01",
        "extra-1-start_time": "15:00",
        "extra-1-end_time": "17:00",
        "extra-1-title": "Consolidation session",
    }

    response = admin_client.post(add_sessions_url(course), schedule_data(**second_extra))

    assert response.status_code == 302
    consolidation = [s for s in sessions_of(course) if s.title == "Consolidation session"]
    assert [session.slug for session in consolidation] == [
        "consolidation-session",
        "consolidation-session-2",
        "consolidation-session-3",
    ]


# The course's lock


def test_a_busy_course_creates_nothing_and_keeps_the_form(admin_client, course, monkeypatch):
    def locked(course):
        # What SQLite says when its write lock is not granted in time.
        raise OperationalError("database is locked")

    # The lock every change to the course's places takes: the generator takes the same one.
    monkeypatch.setattr("wagtail_courses.services.course_lock.lock_course", locked)
    response = admin_client.post(add_sessions_url(course), schedule_data())

    assert response.status_code == 503
    assert "so no sessions were created. Press “Create sessions” again." in text(parse(response))
    assert parse(response).select_one("#id_first_date")["value"] == "2024-05-14"
    assert not SessionPage.objects.child_of(course).exists()


# Who may use it, and where the button is


def test_superuser_sees_the_button_on_a_course(admin_client, course, event_index):
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=(course.pk,)))
    assert add_sessions_url(course) in edit.content.decode()

    explore = admin_client.get(reverse("wagtailadmin_explore", args=(course.pk,)))
    assert add_sessions_url(course) in explore.content.decode()


def test_no_button_on_pages_that_are_not_courses(admin_client, course, event_index):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=(event_index.pk,)))

    assert response.status_code == 200
    assert "add-sessions" not in response.content.decode()
    assert admin_client.get(add_sessions_url(event_index)).status_code == 404


@pytest.fixture
def editor_without_add(django_user_model, course):
    """An admin user who may edit the course but not add pages under it."""
    user = django_user_model.objects.create_user(username="editor", password="password")
    group = Group.objects.create(name="Course editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group,
        page=course,
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="change_page"
        ),
    )
    user.groups.add(group)
    return user


def test_user_who_may_not_add_pages_gets_no_button_and_no_view(client, course, editor_without_add):
    client.force_login(editor_without_add)

    edit = client.get(reverse("wagtailadmin_pages:edit", args=(course.pk,)))
    assert edit.status_code == 200
    assert "add-sessions" not in edit.content.decode()

    # Wagtail's admin turns the view's PermissionDenied into its usual denial: back to the
    # dashboard with a message.
    denied = client.get(add_sessions_url(course), follow=True)
    assert denied.redirect_chain == [(reverse("wagtailadmin_home"), 302)]
    assert "Sorry, you do not have permission to access this area." in [
        str(message).strip() for message in denied.context["messages"]
    ]
    posted = client.post(add_sessions_url(course), schedule_data())
    assert posted.status_code == 302
    assert posted["Location"] == reverse("wagtailadmin_home")
    assert not SessionPage.objects.child_of(course).exists()


def test_user_who_may_add_but_not_publish_can_only_save_drafts(client, course, editor_without_add):
    GroupPagePermission.objects.create(
        group=editor_without_add.groups.get(),
        page=course,
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="add_page"
        ),
    )
    client.force_login(editor_without_add)

    refused = client.post(add_sessions_url(course), schedule_data())
    assert "state" in refused.context["form"].errors
    assert not SessionPage.objects.child_of(course).exists()

    client.post(add_sessions_url(course), schedule_data(state="draft"))
    sessions = sessions_of(course)
    assert len(sessions) == 7
    assert not any(session.live for session in sessions)


# The plan on its own: no database


def reference_schedule(**overrides) -> Schedule:
    fields = {
        "first_date": date(2024, 5, 14),
        "start_time": time(15),
        "end_time": time(17),
        "until": date(2024, 7, 2),
        "skip_dates": frozenset({date(2024, 5, 28), date(2024, 6, 18)}),
        "extras": (ExtraSession(date(2024, 9, 24), time(15), time(17), "Consolidation session"),),
    }
    fields.update(overrides)
    return Schedule(**fields)


def problems(schedule: Schedule, **kwargs) -> list[tuple]:
    with pytest.raises(PlanError) as caught:
        plan(schedule, zone=LONDON, **kwargs)
    return [
        (problem.field, problem.extra, str(problem.message)) for problem in caught.value.problems
    ]


def test_plan_of_the_reference_course():
    sessions = plan(reference_schedule(), zone=LONDON)

    assert [session.start for session in sessions] == [london(day, 15) for day in SEED_DATES]
    assert [session.end for session in sessions] == [london(day, 17) for day in SEED_DATES]
    assert [session.repeating for session in sessions] == [True] * 6 + [False]
    assert [session.title for session in sessions] == [""] * 6 + ["Consolidation session"]


def test_plan_sorts_an_extra_session_among_the_repeating_ones():
    sessions = plan(
        reference_schedule(extras=(ExtraSession(date(2024, 5, 15), time(10), time(12)),)),
        zone=LONDON,
    )

    assert sessions[1].start == london(date(2024, 5, 15), 10)
    assert not sessions[1].repeating


def test_plan_keeps_wall_clock_time_across_both_clock_changes():
    sessions = plan(
        reference_schedule(
            first_date=date(2024, 3, 19), until=None, count=34, skip_dates=frozenset(), extras=()
        ),
        zone=LONDON,
    )

    assert {session.start.astimezone(LONDON).time() for session in sessions} == {time(15)}
    assert {session.start.utcoffset().total_seconds() / 3600 for session in sessions} == {0, 1}


def test_plan_in_another_zone():
    new_york = ZoneInfo("America/New_York")
    (session,) = plan(
        reference_schedule(until=None, count=1, skip_dates=frozenset(), extras=()),
        zone=new_york,
    )

    assert session.start.astimezone(UTC) == datetime(2024, 5, 14, 19, tzinfo=UTC)


def test_plan_every_three_weeks_until_a_date():
    sessions = plan(reference_schedule(interval=3, skip_dates=frozenset(), extras=()), zone=LONDON)

    assert [session.start.date() for session in sessions] == [
        date(2024, 5, 14),
        date(2024, 6, 4),
        date(2024, 6, 25),
    ]


def test_plan_takes_the_first_of_a_time_the_clocks_pass_twice():
    # 01:30 on 27 October 2024 happens in summer time and again in winter time.
    (session,) = plan(
        reference_schedule(
            first_date=date(2024, 10, 27),
            start_time=time(1, 30),
            end_time=time(3),
            until=None,
            count=1,
            skip_dates=frozenset(),
            extras=(),
        ),
        zone=LONDON,
    )

    assert session.start.astimezone(UTC) == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)


def test_plan_reports_every_problem_at_once():
    found = problems(
        reference_schedule(
            end_time=time(15),
            until=date(2024, 5, 1),
            count=3,
            extras=(ExtraSession(date(2024, 9, 24), time(17), time(15)),),
        )
    )

    assert found == [
        ("end_time", None, "The end time must be after the start time."),
        ("until", None, "Give either an end date or a number of sessions, not both."),
        ("until", None, "The end date must not be before the first date."),
        ("end_time", 0, "The end time must be after the start time."),
    ]


def test_plan_refuses_a_time_the_clocks_skip_in_an_extra_session():
    found = problems(
        reference_schedule(extras=(ExtraSession(date(2024, 3, 31), time(1, 15), time(3)),))
    )

    assert found == [
        (
            "start_time",
            0,
            "01:15 does not exist on Sunday 31 March 2024 in Europe/London: "
            "the clocks go forward then.",
        )
    ]


def test_plan_limit_counts_the_extra_sessions_too():
    found = problems(reference_schedule(), limit=6)

    assert found == [
        ("", None, "This gives more than 6 sessions, the most that can be added at once.")
    ]


def test_plan_looks_at_no_more_dates_than_the_limit_needs():
    # An end date thousands of years away is refused quickly, not worked through.
    found = problems(reference_schedule(until=date(9999, 12, 31), skip_dates=frozenset()))

    assert found == [
        (
            "until",
            None,
            f"This gives more than {MAX_SESSIONS} sessions, the most that can be added at once.",
        )
    ]


def test_the_course_editor_says_where_add_sessions_is_and_the_menu_has_it(admin_client, course):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=(course.pk,)))
    page = response.content.decode()

    assert "“Add sessions” in the ⋯ menu at the top of this page" in page
    assert f'href="{add_sessions_url(course)}"' in page
