"""The attendance register: a course's facilitators mark each session's confirmed attendees
present, absent or apologies, one screen per session, and export the course's register as CSV.

People: a facilitator whose group may manage places on the course; a viewer who may only view
its bookings; another course's facilitator.
"""

import codecs
import csv
import io
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.admin_users import assert_refused, user_in_group
from tests.factories import BookingFactory
from tests.support.attendance import (
    course_register_url,
    marks_for,
    marks_saved_calls,
    register_export_url,
    session_register_url,
)
from tests.support.html import parse, text
from wagtail_courses.models import Attendance, Certificate, SessionPage
from wagtail_courses.services.anonymisation import anonymise

Mark = Attendance.Mark
# Wagtail's admin (the user, their permissions, its menu: 10), the session, its course and the
# course's page permissions, and the register: its marks and its attendees.
REGISTER_QUERIES = 15


@pytest.fixture
def course(make_course):
    # Paid by invoice: a place confirmed before its invoice is paid is on the register too.
    return make_course(
        sessions=3,
        facilitators=1,
        title="Compassionate leadership",
        price=75,
        payment_method="invoice",
        payment_instructions="Finance will invoice you.",
    )


@pytest.fixture
def other_course(make_course):
    return make_course(sessions=1, facilitators=0, title="Mindful leadership")


@pytest.fixture
def sessions(course):
    return list(course.sessions())


@pytest.fixture
def session(sessions):
    return sessions[0]


@pytest.fixture
def ada(course):
    return BookingFactory(page=course, name="Ada Lovelace", confirmed=True, paid=True)


@pytest.fixture
def grace(course):
    """Confirmed, her invoice still to be paid."""
    return BookingFactory(page=course, name="Grace Hopper", confirmed=True)


@pytest.fixture
def not_on_register(course):
    """Held, waiting or given up: no place to attend."""
    return [
        BookingFactory(page=course, name="Held Applicant", awaiting_approval=True),
        BookingFactory(page=course, name="Waiting Applicant", waitlisted=True),
        BookingFactory(page=course, name="Cancelled Applicant", cancelled=True),
    ]


@pytest.fixture
def facilitator(course):
    return user_in_group(
        "facilitator",
        "wagtail_courses.view_booking",
        "wagtail_courses.manage_places",
        edits=[course],
    )


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator)
    return client


@pytest.fixture
def save(facilitator_client, session, django_capture_on_commit_callbacks):
    """Post the session's register as its form does; after-commit callbacks run."""

    def save(marks: dict, *, client=None, target=None, **extra):
        data = {f"mark-{booking.pk}": value for booking, value in marks.items()}
        with django_capture_on_commit_callbacks(execute=True):
            return (client or facilitator_client).post(
                session_register_url(target or session), {**data, **extra}
            )

    return save


def legends(response) -> list[str]:
    return [legend.get_text(strip=True) for legend in parse(response).select("fieldset legend")]


# The register page


def test_the_register_lists_only_the_confirmed_attendees(
    facilitator_client, session, ada, grace, not_on_register
):
    response = facilitator_client.get(session_register_url(session))

    assert response.status_code == 200
    assert legends(response) == ["Ada Lovelace", "Grace Hopper"]
    page = text(parse(response))
    assert "0 of 2 attendees marked." in page
    assert "Held Applicant" not in page


def test_each_attendee_is_a_radio_group_named_after_them_with_one_save_button(
    facilitator_client, session, ada, grace
):
    soup = parse(facilitator_client.get(session_register_url(session)))

    fieldset = soup.select("form.wc-register fieldset")[0]
    assert fieldset.legend.get_text(strip=True) == "Ada Lovelace"
    radios = fieldset.select("input[type=radio]")
    assert [radio["value"] for radio in radios] == ["present", "absent", "apologies"]
    assert {radio["name"] for radio in radios} == {f"mark-{ada.pk}"}
    # Each radio is inside its label: the whole label is the touch target.
    assert [radio.find_parent("label").get_text(strip=True) for radio in radios] == [
        "Present",
        "Absent",
        "Apologies",
    ]
    buttons = [button.get_text(strip=True) for button in soup.select("form.wc-register button")]
    assert buttons == ["Save", "Mark everyone present"]


def test_marking_saves_each_mark_and_shows_them_chosen(
    facilitator_client, save, session, ada, grace
):
    response = save({ada: "present", grace: "absent"})

    assert response.status_code == 302
    assert marks_for(session) == {"Ada Lovelace": "present", "Grace Hopper": "absent"}
    page = facilitator_client.get(response["Location"])
    assert "Register saved: 2 marks changed." in text(parse(page))
    checked = parse(page).select("input[type=radio][checked]")
    assert {(radio["name"], radio["value"]) for radio in checked} == {
        (f"mark-{ada.pk}", "present"),
        (f"mark-{grace.pk}", "absent"),
    }
    assert Attendance.objects.get(booking=ada, session=session).marked_by.username == "facilitator"


def test_a_mark_is_changed_and_everyone_saved_is_told_of(
    facilitator_client, save, session, ada, grace
):
    save({ada: "present", grace: "present"})

    with marks_saved_calls() as calls:
        response = save({ada: "present", grace: "apologies"})

    assert marks_for(session) == {"Ada Lovelace": "present", "Grace Hopper": "apologies"}
    # Completion hears of every booking saved: it issues a certificate once however often.
    assert [(pk, bookings) for pk, bookings, _by in calls] == [
        (session.pk, sorted([ada.pk, grace.pk]))
    ]
    assert Attendance.objects.filter(session=session).count() == 2
    page = facilitator_client.get(response["Location"])
    assert "Register saved: 1 mark changed." in text(parse(page))


def test_the_signal_names_the_session_the_marked_bookings_and_who_marked(
    save, session, ada, grace, facilitator
):
    with marks_saved_calls() as calls:
        save({ada: "present", grace: "absent"})

    assert calls == [(session.pk, sorted([ada.pk, grace.pk]), facilitator)]


def test_saving_nothing_new_still_tells_completion(
    facilitator_client, save, session, ada, facilitator
):
    save({ada: "present"})
    with marks_saved_calls() as calls:
        response = save({ada: "present"})

    assert calls == [(session.pk, [ada.pk], facilitator)]
    assert "Register saved: no marks changed." in text(
        parse(facilitator_client.get(response["Location"]))
    )


def test_everyone_present_marks_the_rest_present_and_keeps_the_chosen(
    save, session, ada, grace, course
):
    third = BookingFactory(page=course, name="Mary Seacole", confirmed=True)

    save({grace: "absent"}, action="everyone_present")

    assert marks_for(session) == {
        "Ada Lovelace": "present",
        "Grace Hopper": "absent",
        third.name: "present",
    }


def test_apologies_the_applicant_sent_show_as_chosen_and_as_theirs(
    facilitator_client, session, ada, grace
):
    Attendance.objects.create(booking=ada, session=session, mark=Mark.APOLOGIES, by_applicant=True)

    soup = parse(facilitator_client.get(session_register_url(session)))

    ada_group = soup.select("fieldset")[0]
    assert "sent apologies themselves" in text(ada_group)
    assert ada_group.select_one("input[checked]")["value"] == "apologies"
    assert "1 of 2 attendees marked." in text(soup)


def test_a_facilitators_apologies_stay_theirs_once_their_account_is_deleted(
    facilitator_client, save, session, ada, grace
):
    someone = user_in_group("leaver", "wagtail_courses.manage_places")
    Attendance.objects.create(booking=ada, session=session, mark=Mark.APOLOGIES, marked_by=someone)
    someone.delete()

    soup = parse(facilitator_client.get(session_register_url(session)))

    ada_group = soup.select("fieldset")[0]
    assert ada_group.select_one("input[checked]")["value"] == "apologies"
    assert "sent apologies themselves" not in text(soup)


def test_apologies_saved_by_the_register_are_the_facilitators(
    facilitator_client, save, session, ada
):
    Attendance.objects.create(booking=ada, session=session, mark=Mark.ABSENT, by_applicant=True)

    save({ada: "apologies"})

    row = Attendance.objects.get(booking=ada, session=session)
    assert (row.mark, row.by_applicant) == (Mark.APOLOGIES, False)
    page = facilitator_client.get(session_register_url(session))
    assert "sent apologies themselves" not in text(parse(page))


def test_an_anonymised_booking_is_not_on_the_register(facilitator_client, session, ada, grace):
    anonymise(booking=grace, reason="test", action="wagtail_courses.erase_personal_data")

    response = facilitator_client.get(session_register_url(session))

    assert legends(response) == ["Ada Lovelace"]
    assert "0 of 1 attendee marked." in text(parse(response))


# A session still to come


def test_a_session_still_to_come_says_when_present_counts(facilitator_client, course, session):
    start = datetime(2027, 6, 9, 14, 0, tzinfo=course.tzinfo)
    SessionPage.objects.filter(pk=session.pk).update(start=start, end=start + timedelta(hours=2))
    BookingFactory(page=course, confirmed=True)

    page = text(parse(facilitator_client.get(session_register_url(session))))

    assert (
        "This session starts on Wednesday 9 June 2027 at 14:00. Marks of present count towards "
        "completing the course once it has started: save the register again then if you mark "
        "it before."
    ) in page


def test_a_session_that_has_started_says_nothing_of_when_it_starts(
    facilitator_client, course, session, ada
):
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    SessionPage.objects.filter(pk=session.pk).update(start=start, end=start + timedelta(hours=2))

    page = text(parse(facilitator_client.get(session_register_url(session))))

    assert "This session starts on" not in page


def test_present_marked_before_the_start_completes_when_saved_again_after_it(
    make_course, facilitator_client, save
):
    soon = make_course(sessions=1, facilitators=0, completion_rule="all_sessions")
    only = soon.sessions().get()
    booking = BookingFactory(page=soon, confirmed=True)
    facilitator_client.force_login(
        user_in_group("soon", "wagtail_courses.manage_places", edits=[soon])
    )

    save({booking: "present"}, target=only)
    assert not Certificate.objects.filter(booking=booking).exists()

    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=10)
    SessionPage.objects.filter(pk=only.pk).update(start=start, end=start + timedelta(hours=2))
    response = save({booking: "present"}, target=SessionPage.objects.get(pk=only.pk))

    assert response.status_code == 302
    assert Certificate.objects.filter(booking=booking).count() == 1
    save({booking: "present"}, target=only)  # and once only
    assert Certificate.objects.filter(booking=booking).count() == 1


def test_marks_are_per_session(save, sessions, ada):
    save({ada: "present"}, target=sessions[1])

    assert marks_for(sessions[0]) == {}
    assert marks_for(sessions[1]) == {"Ada Lovelace": "present"}


# Bad input: a clear message, nothing saved


@pytest.mark.parametrize("value", ["late", "", "PRESENT"])
def test_an_unknown_mark_is_refused_and_nothing_is_saved(save, session, ada, grace, value):
    response = save({ada: "present", grace: value})

    assert response.status_code == 400
    assert "is not a mark: choose present, absent or apologies. Nothing was saved." in text(
        parse(response)
    )
    assert marks_for(session) == {}


def test_a_booking_of_another_course_is_refused_and_nothing_is_saved(
    save, session, ada, other_course
):
    stranger = BookingFactory(page=other_course, name="Stranger", confirmed=True)

    with marks_saved_calls() as calls:
        response = save({ada: "present", stranger: "present"})

    assert response.status_code == 400
    assert "is not on this session's register" in text(parse(response))
    assert "Nothing was saved." in text(parse(response))
    assert marks_for(session) == {}
    assert Attendance.objects.count() == 0
    assert calls == []


def test_a_place_cancelled_since_the_page_was_opened_is_refused_and_the_choices_kept(
    save, session, ada, grace
):
    type(grace).objects.filter(pk=grace.pk).update(status=grace.Status.CANCELLED)

    response = save({ada: "absent", grace: "present"})

    assert response.status_code == 400
    assert "their place may have been cancelled" in text(parse(response))
    assert marks_for(session) == {}
    # Ada's choice is still chosen, to save again.
    checked = parse(response).select("input[type=radio][checked]")
    assert [(radio["name"], radio["value"]) for radio in checked] == [(f"mark-{ada.pk}", "absent")]


def test_a_field_the_form_never_sends_is_refused(save, session, ada):
    response = save({ada: "present"}, **{"mark-abc": "present"})

    assert response.status_code == 400
    assert "The register's form was not as this page sends it. Nothing was saved." in text(
        parse(response)
    )
    assert marks_for(session) == {}


def test_a_cancelled_session_says_so_and_takes_no_marks(facilitator_client, save, session, ada):
    SessionPage.objects.filter(pk=session.pk).update(status=SessionPage.Status.CANCELLED)

    page = facilitator_client.get(session_register_url(session))
    assert "This session was cancelled: its register takes no marks." in text(parse(page))
    assert not parse(page).select("input[type=radio]")

    response = save({ada: "present"})
    assert response.status_code == 409
    assert "This session was cancelled" in text(parse(response))
    assert marks_for(session) == {}


# Who may


@pytest.mark.parametrize(
    "permissions",
    [
        ("wagtail_courses.view_booking",),  # may see the bookings, not keep the register
        ("wagtail_courses.view_booking", "wagtail_courses.manage_places"),  # another course
    ],
)
def test_others_are_refused_every_register_page_and_nothing_is_saved(
    client, course, other_course, session, ada, permissions
):
    edits = [course] if len(permissions) == 1 else [other_course]
    client.force_login(user_in_group("someone", *permissions, edits=edits))

    assert_refused(client.get(session_register_url(session)))
    assert_refused(client.post(session_register_url(session), {f"mark-{ada.pk}": "present"}))
    assert_refused(client.get(course_register_url(course)))
    assert_refused(client.get(register_export_url(course)))
    assert marks_for(session) == {}


def test_the_register_buttons_are_shown_only_to_those_who_may_keep_it(
    client, facilitator_client, course, session
):
    explore = f"/admin/pages/{course.pk}/"
    listing = facilitator_client.get(explore).content.decode()
    assert session_register_url(session) in listing
    edit = facilitator_client.get(f"/admin/pages/{session.pk}/edit/").content.decode()
    assert session_register_url(session) in edit
    course_edit = facilitator_client.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    assert course_register_url(course) in course_edit

    client.force_login(
        user_in_group("viewer", "wagtail_courses.view_booking", edits=[course]),
    )
    listing = client.get(explore).content.decode()
    assert session_register_url(session) not in listing
    assert (
        course_register_url(course)
        not in client.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    )


# The course's register


def test_the_course_register_lists_its_sessions_with_how_many_are_marked(
    facilitator_client, save, course, sessions, ada, grace
):
    save({ada: "present", grace: "absent"})
    SessionPage.objects.filter(pk=sessions[2].pk).update(status=SessionPage.Status.CANCELLED)

    soup = parse(facilitator_client.get(course_register_url(course)))

    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in soup.select("tbody tr")
    ]
    assert [row[1] for row in rows] == ["2 of 2", "0 of 2", "—"]
    assert "Cancelled" in rows[2][0]
    links = [link["href"] for link in soup.select("tbody a")]
    assert links == [session_register_url(session) for session in sessions]
    assert soup.select_one(f'a[href="{register_export_url(course)}"]')


# Queries


@pytest.mark.parametrize("attendees", [2, 12])
def test_the_register_page_costs_the_same_queries_for_few_or_many(
    facilitator_client, session, course, django_assert_num_queries, attendees
):
    for number in range(attendees):
        booking = BookingFactory(page=course, confirmed=True)
        if number % 2:
            Attendance.objects.create(booking=booking, session=session, mark=Mark.PRESENT)
    facilitator_client.get(session_register_url(session))

    with django_assert_num_queries(REGISTER_QUERIES):
        response = facilitator_client.get(session_register_url(session))

    assert len(legends(response)) == attendees


@pytest.mark.parametrize("attendees", [2, 12])
def test_saving_the_register_costs_the_same_queries_for_few_or_many(
    facilitator_client, save, session, course, django_assert_num_queries, attendees
):
    bookings = [BookingFactory(page=course, confirmed=True) for _ in range(attendees)]
    save({bookings[0]: "absent"})
    data = {f"mark-{booking.pk}": "present" for booking in bookings}

    # The save's own queries: what listens for ``marks_saved`` runs after commit, not counted.
    with django_assert_num_queries(SAVE_QUERIES):
        response = facilitator_client.post(session_register_url(session), data)

    assert response.status_code == 302
    assert set(marks_for(session).values()) == {"present"}


# Wagtail's admin (the user and their permissions: 5), the session, its course and the
# course's page permissions, then in one savepoint the attendees, their marks and one write.
SAVE_QUERIES = 13


# The export


def export_rows(response) -> list[list[str]]:
    body = response.content
    assert body.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(body[len(codecs.BOM_UTF8) :].decode("utf-8"))))


def test_the_export_has_a_row_per_person_and_a_column_per_session(
    facilitator_client, save, course, sessions, ada, grace, not_on_register
):
    save({ada: "present", grace: "apologies"}, target=sessions[0])
    save({ada: "absent"}, target=sessions[1])

    response = facilitator_client.get(register_export_url(course))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="register-compassionate-leadership-{day}.csv"'
    )
    heading, *rows = export_rows(response)
    zone = course.tzinfo
    assert heading == [
        "Reference",
        "Name",
        "Email",
        "Status",
        *(f"{s.title} ({timezone.localtime(s.start, zone):%Y-%m-%d %H:%M})" for s in sessions),
    ]
    assert rows == [
        [ada.reference, "Ada Lovelace", ada.email, "Confirmed", "Present", "Absent", ""],
        [
            grace.reference,
            "Grace Hopper",
            grace.email,
            "Confirmed, invoice outstanding",
            "Apologies",
            "",
            "",
        ],
    ]


def test_a_place_cancelled_after_it_was_marked_stays_in_the_export_but_leaves_the_register(
    facilitator_client, save, course, session, ada, grace
):
    save({ada: "present", grace: "present"})
    type(grace).objects.filter(pk=grace.pk).update(status=grace.Status.CANCELLED)

    assert legends(facilitator_client.get(session_register_url(session))) == ["Ada Lovelace"]
    _heading, *rows = export_rows(facilitator_client.get(register_export_url(course)))
    assert [row[1:5] for row in rows] == [
        ["Ada Lovelace", ada.email, "Confirmed", "Present"],
        ["Grace Hopper", grace.email, "Cancelled", "Present"],
    ]


def test_the_export_keeps_names_as_text_and_leaves_out_cancelled_sessions(
    facilitator_client, course, sessions
):
    BookingFactory(page=course, name='=HYPERLINK("http://x")', confirmed=True)
    SessionPage.objects.filter(pk=sessions[1].pk).update(status=SessionPage.Status.CANCELLED)

    heading, row = export_rows(facilitator_client.get(register_export_url(course)))

    assert len(heading) == 4 + 2
    assert row[1].startswith("'=")


@pytest.mark.parametrize("attendees", [2, 12])
def test_the_export_costs_the_same_queries_for_few_or_many(
    facilitator_client, course, sessions, django_assert_num_queries, attendees
):
    for number in range(attendees):
        booking = BookingFactory(page=course, confirmed=True)
        for session in sessions[: number % 3]:
            Attendance.objects.create(booking=booking, session=session, mark=Mark.ABSENT)
    facilitator_client.get(register_export_url(course))

    with django_assert_num_queries(EXPORT_QUERIES):
        rows = export_rows(facilitator_client.get(register_export_url(course)))

    assert len(rows) == attendees + 1


# Wagtail's admin (the user and their permissions: 5), the course and its page permissions,
# then the export's three: the sessions, the marks, the people.
EXPORT_QUERIES = 10


def test_an_old_mark_on_a_session_later_in_the_past_is_still_exported(
    facilitator_client, make_course, django_capture_on_commit_callbacks
):
    past = make_course(sessions=1, facilitators=0, first_start=timezone.now() - timedelta(days=7))
    booking = BookingFactory(page=past, confirmed=True)
    Attendance.objects.create(booking=booking, session=past.sessions().get(), mark=Mark.PRESENT)
    facilitator_client.force_login(
        user_in_group("past", "wagtail_courses.manage_places", edits=[past])
    )

    _heading, row = export_rows(facilitator_client.get(register_export_url(past)))

    assert row[-1] == "Present"
