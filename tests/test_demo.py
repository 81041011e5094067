"""``load_demo`` reproduces the reference course: its text, people and schedule."""

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from example_site.demo.builder import build_demo, choose_first_session
from tests.reference import LONDON, SEED_SESSIONS, SKIPPED_WEEKS
from tests.support.html import assert_accessible_structure, headings, parse, text
from wagtail_courses.models import EventPage, FacilitatorPage, SessionPage


def local_sessions(course):
    return [
        (timezone.localtime(s.start, LONDON), timezone.localtime(s.end, LONDON), s.title)
        for s in course.sessions()
    ]


@pytest.fixture
def published(db):
    call_command("load_demo", "--as-published", stdout=StringIO())
    return EventPage.objects.get()


def test_as_published_reproduces_the_seven_dated_sessions(published):
    sessions = local_sessions(published)

    assert [(start.date(), title) for start, _, title in sessions] == SEED_SESSIONS
    assert all(start.strftime("%H:%M") == "15:00" for start, _, _ in sessions)
    assert all(end.strftime("%H:%M") == "17:00" for _, end, _ in sessions)
    assert all(start.strftime("%A") == "Tuesday" for start, _, _ in sessions)
    assert not {start.date() for start, _, _ in sessions} & set(SKIPPED_WEEKS)


def test_demo_course_page_reads_like_the_seed(client, published):
    soup = parse(client.get("/events/compassionate-leadership-training-course-tuesdays/"))
    page_text = text(soup)

    assert_accessible_structure(soup)
    assert soup.h1.get_text() == "Compassionate Leadership Training course – Tuesdays"
    assert text(soup.select_one(".wc-course__when")) == "14 May at 15:00 to 17:00"
    assert "« All events" in page_text
    assert text(soup.select_one(".wc-course__schedule")) == (
        "6 weekly sessions on Tuesdays, 15:00 to 17:00, from 14 May to 2 July 2024 "
        "(no sessions on 28 May and 18 June), plus a consolidation session on 24 September 2024"
    )
    assert (
        "Six online weekly two-hour sessions from Tuesday 14 May until 2 July 2024 "
        "(no sessions 28 May and 18 June). There is also a two-hour online consolidation "
        "session on 24 September 2024 from 15.00 to 17.00" in page_text
    )
    heading_texts = [heading for _, heading in headings(soup)]
    for heading in [
        "Who is the course for?",
        "What is the format of the course?",
        "Clara Strauss",
        "Ruth Sequeira",
        "Catherine Cameron",
        "Apply and book your place",
    ]:
        assert heading in heading_texts
    assert "At the heart of compassion is the notion" in page_text
    assert "Prof Michael West has spent his career" in page_text
    assert "There are a limited number of free places for staff" in page_text
    assert [img["alt"] for img in soup.select(".wc-person img")] == [
        "Portrait of Clara Strauss",
        "Portrait of Ruth Sequeira",
        "Portrait of Catherine Cameron",
    ]


def test_three_facilitators_with_bios_and_generated_portraits(published):
    links = list(published.facilitators())

    assert [link.facilitator.title for link in links] == [
        "Clara Strauss",
        "Ruth Sequeira",
        "Catherine Cameron",
    ]
    assert links[0].role == "Course lead"
    for link in links:
        person = link.facilitator
        assert person.biography.startswith(f"<p>{person.title.split()[0]}")
        assert person.portrait.width == person.portrait.height == 480
        assert person.contact_email.endswith("@example.org")


def test_default_moves_the_pattern_to_the_next_year_it_can_be_booked(db):
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    course = build_demo(now=now)
    sessions = local_sessions(course)
    starts = [start.date() for start, _, _ in sessions]

    assert starts[0] == date(2027, 5, 18)
    assert all(start.strftime("%A %H:%M") == "Tuesday 15:00" for start, _, _ in sessions)
    gaps = [(later - earlier).days for earlier, later in zip(starts, starts[1:], strict=False)]
    assert gaps == [7, 14, 7, 14, 7, 84]  # the seed's gaps, skipped weeks and all
    assert sessions[-1][2] == "Consolidation session"


def test_default_uses_this_year_while_its_first_session_is_still_ahead():
    assert choose_first_session(as_published=False, now=datetime(2027, 1, 5, tzinfo=UTC)) == date(
        2027, 5, 18
    )
    assert choose_first_session(
        as_published=False, now=datetime(2027, 5, 18, 14, 1, tzinfo=UTC)
    ) == date(2028, 5, 16)


def test_running_twice_duplicates_nothing_and_switching_dates_updates(db):
    call_command("load_demo", stdout=StringIO())
    counts = (
        Page.objects.count(),
        get_image_model().objects.count(),
        SessionPage.objects.count(),
        FacilitatorPage.objects.count(),
    )
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", "--as-published", stdout=StringIO())

    assert (
        Page.objects.count(),
        get_image_model().objects.count(),
        SessionPage.objects.count(),
        FacilitatorPage.objects.count(),
    ) == counts
    course = EventPage.objects.get()
    assert course.facilitator_links.count() == 3
    assert local_sessions(course)[0][0].date() == date(2024, 5, 14)


def test_demo_course_takes_applications_with_its_questions(client, db):
    from datetime import UTC, datetime

    build_demo(now=datetime(2026, 11, 26, tzinfo=UTC))
    build_demo(now=datetime(2026, 11, 26, tzinfo=UTC))  # twice: still three questions
    course = EventPage.objects.get()

    form = parse(client.get(course.url)).select_one("#apply form")
    labels = [label.get_text(" ", strip=True) for label in form.select("label")]

    assert course.form_fields.count() == 3
    assert "Job title (required)" in labels
    legends = [legend.get_text(" ", strip=True) for legend in form.select("legend")]
    assert legends[0].startswith("Your place")
    assert {"A staff free place (12 left)", "A paid place, £150 (28 left)"} <= set(labels)


def test_demo_replaces_the_wagtail_welcome_page_as_site_root(published, client):
    site = Site.objects.get(is_default_site=True)

    assert site.root_page.specific_class.__name__ == "HomePage"
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()
    assert client.get("/").status_code == 200


def test_load_demo_says_what_it_loaded(db):
    out = StringIO()
    call_command("load_demo", "--as-published", stdout=out)

    assert "7 sessions" in out.getvalue()
    assert "/events/compassionate-leadership-training-course-tuesdays/" in out.getvalue()


def test_demo_admin_prints_a_login_that_works(db, client):
    out = StringIO()
    call_command("demo_admin", stdout=out)
    password = out.getvalue().split("password: ")[1].split()[0]

    assert "username: admin" in out.getvalue()
    assert client.login(username="admin", password=password)
    assert get_user_model().objects.get(username="admin").is_superuser

    call_command("demo_admin", "--password", "another-one", stdout=StringIO())
    assert get_user_model().objects.filter(username="admin").count() == 1
    assert client.login(username="admin", password="another-one")


def test_applying_on_the_demo_course_tells_its_three_facilitators_once_proven(
    client, db, django_capture_on_commit_callbacks, prove
):
    from django.core import mail

    from tests.support.applying import application_data
    from wagtail_courses.models import Booking

    build_demo(now=datetime(2026, 11, 26, tzinfo=UTC))
    course = EventPage.objects.get()
    answers = {
        "job_title": "Ward manager",
        "organisation": "Sussex Partnership NHS Foundation Trust",
        "what_would_you_like_to_gain_from_the_course": "Kinder team meetings",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            course.url,
            application_data(
                wc_place="paid", wc_invoice_organisation="Sussex Partnership", **answers
            ),
        )

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert booking.form_data == answers
    assert booking.status == Booking.Status.AWAITING_EMAIL_CONFIRMATION
    (to_applicant,) = mail.outbox  # the facilitators hear of it once the address is proven
    assert to_applicant.to == ["ada@example.org"]
    assert "Staff of Sussex Partnership NHS Foundation Trust" in to_applicant.body
    assert "Confirm your email address" in to_applicant.body

    prove(booking)

    _, to_facilitators = mail.outbox
    assert sorted(to_facilitators.to) == [
        "catherine.cameron@example.org",
        "clara.strauss@example.org",
        "ruth.sequeira@example.org",
    ]
    assert "Kinder team meetings" in to_facilitators.body
    assert booking.status == Booking.Status.AWAITING_APPROVAL


def test_load_demo_points_its_links_where_it_is_served(db):
    call_command("load_demo", "--address", "http://127.0.0.1:8765", stdout=StringIO())

    course = EventPage.objects.get()
    assert course.get_full_url().startswith("http://127.0.0.1:8765/events/")


def test_load_demo_refuses_an_address_that_is_not_one(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="must be like http://127.0.0.1:8000"):
        call_command("load_demo", "--address", "127.0.0.1", stdout=StringIO())
    assert not EventPage.objects.exists()
