"""Dates typed in the admin as people on a UK site type them (dd/mm/yyyy), and ISO anywhere."""

import json
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import SessionPageFactory
from tests.reference import LONDON
from tests.support.form_data import course_form_data, session_form_data
from tests.support.html import parse, text
from tests.support.schedules import add_sessions_url, schedule_data
from wagtail_courses.dates import LocaleDateField, LocaleDateTimeField
from wagtail_courses.models import SessionPage

UK_SCHEDULE = {
    "first_date": "11/05/2027",
    "until": "29/06/2027",
    "skip_dates": "25/05/2027\r\n15/06/2027",
    "extra-0-date": "21/09/2027",
}


@pytest.fixture
def uk_site(settings):
    settings.LANGUAGE_CODE = "en-gb"


@pytest.fixture
def course(make_course):
    return make_course(sessions=0, facilitators=0, time_zone="Europe/London")


def picker_config(soup, name: str) -> dict:
    """What Wagtail's date picker is told about the input named ``name``."""
    # The template writes the id through ``escapejs``.
    field_id = soup.find("input", attrs={"name": name})["id"].replace("-", "\\u002D")
    script = next(s.string for s in soup.find_all("script") if s.string and field_id in s.string)
    return json.loads(script[script.index("{") : script.rindex("}") + 1])


def test_a_uk_schedule_typed_the_uk_way_creates_the_reference_dates(admin_client, course, uk_site):
    response = admin_client.post(add_sessions_url(course), schedule_data(**UK_SCHEDULE))

    assert response.status_code == 302
    starts = [
        s.start.astimezone(LONDON).strftime("%a %d/%m/%Y %H:%M")
        for s in SessionPage.objects.child_of(course).order_by("start")
    ]
    assert starts == [
        "Tue 11/05/2027 15:00",
        "Tue 18/05/2027 15:00",
        "Tue 01/06/2027 15:00",
        "Tue 08/06/2027 15:00",
        "Tue 22/06/2027 15:00",
        "Tue 29/06/2027 15:00",
        "Tue 21/09/2027 15:00",
    ]


def test_the_picker_is_told_the_uk_format_and_keeps_what_is_typed(admin_client, course, uk_site):
    response = admin_client.post(
        add_sessions_url(course), schedule_data(**UK_SCHEDULE, action="preview")
    )

    soup = parse(response)
    for name in ("first_date", "until", "extra-0-date"):
        config = picker_config(soup, name)
        assert config["format"] == "d/m/Y", name
        # Never replaced with today's date when the field loses focus.
        assert config["validateOnBlur"] is False, name
    # What was typed is shown back as typed.
    assert soup.find("input", attrs={"name": "first_date"})["value"] == "11/05/2027"
    assert soup.find("input", attrs={"name": "extra-0-date"})["value"] == "21/09/2027"
    assert "Tuesday 11 May 2027" in text(soup)


def test_iso_dates_are_still_read_on_a_uk_site(admin_client, course, uk_site):
    response = admin_client.post(add_sessions_url(course), schedule_data())

    assert response.status_code == 302
    assert SessionPage.objects.child_of(course).count() == 7


@pytest.mark.parametrize(
    "field, typed",
    [
        ("first_date", "31/02/2027"),
        ("first_date", "next Tuesday"),
        ("until", "29-06-2027x"),
        ("extra-0-date", "21.09.27"),
    ],
)
def test_a_date_that_cant_be_read_is_quoted_back_and_nothing_is_created(
    admin_client, course, uk_site, field, typed
):
    response = admin_client.post(
        add_sessions_url(course), schedule_data(**{**UK_SCHEDULE, field: typed})
    )

    assert response.status_code == 200
    page = text(parse(response))
    assert f"“{typed}” is not a date we can read. Write it as 11/05/2027." in page
    # The form keeps what was typed, not a date the editor never wrote.
    assert parse(response).find("input", attrs={"name": field})["value"] == typed
    assert not SessionPage.objects.child_of(course).exists()


def test_a_skipped_date_that_cant_be_read_names_the_uk_format(admin_client, course, uk_site):
    data = schedule_data(**{**UK_SCHEDULE, "skip_dates": "25/05/2027\r\n31/06/2027"})

    response = admin_client.post(add_sessions_url(course), data)

    assert "Not a date: 31/06/2027. Write one date a line, such as 11/05/2027." in text(
        parse(response)
    )
    assert not SessionPage.objects.child_of(course).exists()


def test_the_form_asks_for_dates_the_sites_way(admin_client, course, uk_site):
    soup = parse(admin_client.get(add_sessions_url(course)))

    assert "One date a line, such as 11/05/2027." in text(soup)


def test_a_site_in_us_english_keeps_wagtails_iso_dates(admin_client, course, settings):
    settings.LANGUAGE_CODE = "en-us"
    soup = parse(admin_client.get(add_sessions_url(course)))

    assert picker_config(soup, "first_date")["format"] == "Y-m-d"
    assert "One date a line, such as 2027-05-11." in text(soup)


def test_wagtails_own_date_format_setting_wins(admin_client, course, uk_site, settings):
    settings.WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
    settings.DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]

    with translation.override("en-gb"):
        field = LocaleDateField()
        assert field.widget.format == "%d.%m.%Y"
        assert str(field.clean("11.05.2027")) == "2027-05-11"
        assert str(field.clean("11/05/2027")) == "2027-05-11"


def test_the_fields_follow_the_language_of_each_request():
    field = LocaleDateTimeField()
    with translation.override("en-gb"):
        assert field.widget.format == "%d/%m/%Y %H:%M"
        assert field.clean("11/05/2027 14:30").replace(tzinfo=None) == datetime(2027, 5, 11, 14, 30)
    with translation.override("en-us"):
        assert field.widget.format == "%Y-%m-%d %H:%M"


# The page editor's dates and times


PUBLISH = {"action-publish": "action-publish"}


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def test_a_session_moved_by_typing_a_uk_date_and_time(admin_client, make_course, uk_site):
    course = make_course(sessions=1, facilitators=0, time_zone="Europe/London")
    session = SessionPage.objects.child_of(course).get()

    response = admin_client.post(
        edit_url(session),
        session_form_data(
            title=session.title,
            slug=session.slug,
            start="11/05/2027 14:00",
            end="11/05/2027 16:00",
            **PUBLISH,
        ),
    )

    assert response.status_code == 302, response.context["form"].errors
    session.refresh_from_db()
    assert session.start == datetime(2027, 5, 11, 14, 0, tzinfo=LONDON)
    soup = parse(admin_client.get(edit_url(session)))
    assert soup.find("input", attrs={"name": "start"})["value"] == "11/05/2027 14:00"
    assert picker_config(soup, "start")["format"] == "d/m/Y H:i"


def test_a_session_time_that_cant_be_read_is_quoted_back(admin_client, make_course, uk_site):
    course = make_course(sessions=1, facilitators=0, time_zone="Europe/London")
    session = SessionPage.objects.child_of(course).get()
    before = session.start

    response = admin_client.post(
        edit_url(session),
        session_form_data(title=session.title, slug=session.slug, start="32/05/2027 14:00"),
    )

    assert response.status_code == 200
    assert (
        "“32/05/2027 14:00” is not a date and time we can read. Write it as 11/05/2027 14:00."
        in text(parse(response))
    )
    session.refresh_from_db()
    assert session.start == before


def test_a_courses_booking_window_typed_the_uk_way(admin_client, course, uk_site):
    response = admin_client.post(
        edit_url(course),
        course_form_data(
            title=course.title,
            slug=course.slug,
            booking_opens_at="01/03/2027 09:00",
            booking_closes_at="30/04/2027 17:00",
            **PUBLISH,
        ),
    )

    assert response.status_code == 302, response.context["form"].errors
    course.refresh_from_db()
    assert course.booking_opens_at == datetime(2027, 3, 1, 9, 0, tzinfo=LONDON)
    assert course.booking_closes_at == datetime(2027, 4, 30, 17, 0, tzinfo=LONDON)


# The explorer's list of a course's sessions


def explorer_titles(client, course) -> list[str]:
    soup = parse(client.get(reverse("wagtailadmin_explore", args=(course.pk,))))
    return [cell.get_text(" ", strip=True) for cell in soup.select("td.title .title-wrapper a")]


def test_the_explorer_lists_a_courses_sessions_by_start_with_their_dates(
    admin_client, course, uk_site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(add_sessions_url(course), schedule_data(**UK_SCHEDULE))
        # A one-off session added later, before the consolidation session.
        SessionPageFactory(
            parent=course,
            title="Extra practice",
            start=datetime(2027, 7, 6, 15, 0, tzinfo=LONDON),
            end=datetime(2027, 7, 6, 17, 0, tzinfo=LONDON),
        )

    titles = explorer_titles(admin_client, course)

    assert titles == [
        "Session 1 · Tue 11 May 2027, 15:00",
        "Session 2 · Tue 18 May 2027, 15:00",
        "Session 3 · Tue 1 Jun 2027, 15:00",
        "Session 4 · Tue 8 Jun 2027, 15:00",
        "Session 5 · Tue 22 Jun 2027, 15:00",
        "Session 6 · Tue 29 Jun 2027, 15:00",
        "Extra practice · Tue 6 Jul 2027, 15:00",
        "Consolidation session · Tue 21 Sep 2027, 15:00",
    ]


def test_a_session_moved_to_another_week_takes_its_place(
    admin_client, course, uk_site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(add_sessions_url(course), schedule_data(**UK_SCHEDULE))
    first = SessionPage.objects.child_of(course).order_by("start").first()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            edit_url(first),
            session_form_data(
                title=first.title,
                slug=first.slug,
                start="13/07/2027 15:00",
                end="13/07/2027 17:00",
                **PUBLISH,
            ),
        )

    titles = explorer_titles(admin_client, course)
    assert titles[0].startswith("Session 2 ·")
    assert titles[-2] == "Session 1 · Tue 13 Jul 2027, 15:00"
    assert titles[-1].startswith("Consolidation session ·")
