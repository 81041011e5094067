"""One Bookings list for a course's applications: its answers as columns, a search that looks
in them, compact rows, and Wagtail's Forms view leading to it (with nothing deleted there).

A course with four questions, three of them ticked "show in the Bookings list"; a second
course with a question of its own.
"""

from html import unescape
from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.admin_users import assert_refused, booking_admin_url, user_in_group
from tests.factories import BookingFactory
from tests.support.booking_list import (
    add_triage_questions,
    answers,
    list_headings,
    listed,
    sort_by,
)
from tests.support.html import parse
from wagtail_courses.models import Booking, CourseFormField

url = booking_admin_url
COURSE = "page__id__exact"
# The filtered list with its answer columns, for any number of bookings: the course is read
# once (its questions come from the shared cache), and a search reads them no more.
FILTERED_INDEX_QUERIES = 19
# A search of one course looks in the questions already read; of every course, it reads the
# names of their questions once (the list of every course is 13, in test_bookings_admin).
SEARCH_QUERIES = {"one course": FILTERED_INDEX_QUERIES, "every course": 14}
HEADINGS = ["Reference", "Name", "Email", "Status", "Place"]
ANSWER_HEADINGS = ["Your role", "Topics", "Happy to be contacted"]


@pytest.fixture
def course(make_course):
    course = make_course(sessions=1, facilitators=0, title="Compassionate leadership")
    add_triage_questions(course)
    return course


@pytest.fixture
def other_course(make_course):
    course = make_course(sessions=1, facilitators=0, title="Mindful teams")
    CourseFormField.objects.create(
        page=course, sort_order=0, label="Your team", field_type="singleline"
    )
    return course


def filtered(course, **params) -> dict:
    return {COURSE: course.pk, **params}


# The answers as columns


def test_a_course_shows_the_answers_its_editor_chose_and_no_course_column(admin_client, course):
    ada = BookingFactory(
        page=course,
        name="Ada Lovelace",
        form_data=answers(role="Ward manager", topics=["Café culture", "Teams"], contact=True),
    )
    BookingFactory(page=course, name="Grace Hopper", form_data=answers(role="", topics=[]))

    first = admin_client.get(url("index"), filtered(course))
    response = admin_client.get(url("index"), filtered(course, o=sort_by(first, "Name")))

    assert list_headings(response) == [*HEADINGS[:4], *ANSWER_HEADINGS, "Place", "Submitted"]
    rows = listed(response)
    assert [(row["Name"], row["Your role"], row["Topics"]) for row in rows] == [
        ("Ada Lovelace", "Ward manager", "Café culture, Teams"),
        ("Grace Hopper", "-", "-"),
    ]
    assert [row["Happy to be contacted"] for row in rows] == ["Yes", "Yes"]
    # A long answer stays on one line, whole in its tooltip.
    cell = parse(response).select_one(f'tr[data-object-pk="{ada.pk}"] td.field-answer_topics')
    assert cell.select_one("span.wc-clip")["title"] == "Café culture, Teams"
    # The question not ticked is not a column (its answers are on the booking's page).
    assert "Why do you want to attend?" not in list_headings(response)


def test_a_checkbox_left_unticked_reads_no(admin_client, course):
    BookingFactory(page=course, form_data=answers(contact=False))

    response = admin_client.get(url("index"), filtered(course))

    assert listed(response)[0]["Happy to be contacted"] == "No"


def test_the_list_of_every_course_shows_no_answers_and_a_course_cut_short(
    admin_client, course, other_course
):
    BookingFactory(page=course, form_data=answers())
    BookingFactory(page=other_course, form_data={"your_team": "Estates"})

    response = admin_client.get(url("index"))

    assert list_headings(response) == [*HEADINGS[:3], "Course", *HEADINGS[3:], "Submitted"]
    titles = [span["title"] for span in parse(response).select("td.field-course span.wc-clip")]
    assert sorted(titles) == ["Compassionate leadership", "Mindful teams"]


def test_a_list_of_two_courses_shows_no_answers(admin_client, course, other_course):
    BookingFactory(page=course, form_data=answers())

    response = admin_client.get(url("index"), {COURSE: [course.pk, other_course.pk]})

    assert not set(ANSWER_HEADINGS) & set(list_headings(response))


def test_a_facilitator_sees_no_questions_of_a_course_not_theirs(client, course, other_course):
    BookingFactory(page=course, form_data=answers())
    client.force_login(
        user_in_group("facilitator", "wagtail_courses.view_booking", edits=[other_course])
    )

    response = client.get(url("index"), filtered(course))

    assert response.status_code == 200
    assert listed(response) == []
    assert not set(ANSWER_HEADINGS) & set(list_headings(response))
    assert "Your role" not in response.content.decode()


def test_a_facilitator_sees_their_own_courses_answers(client, course):
    BookingFactory(page=course, form_data=answers(role="Physiotherapist"))
    client.force_login(user_in_group("facilitator", "wagtail_courses.view_booking", edits=[course]))

    response = client.get(url("index"), filtered(course))

    assert [row["Your role"] for row in listed(response)] == ["Physiotherapist"]


@pytest.mark.parametrize("value", ["abc", "1.5"])
def test_a_course_filter_that_is_no_course_number_is_a_clear_400(admin_client, course, value):
    BookingFactory(page=course, form_data=answers())

    response = admin_client.get(url("index"), {COURSE: value})

    assert response.status_code == 400
    assert "can't be filtered by that value" in response.content.decode()


def test_the_list_sorts_by_an_answer(admin_client, course):
    for role in ["Nurse", "Ambulance driver", "Manager"]:
        BookingFactory(page=course, form_data=answers(role=role))
    first = admin_client.get(url("index"), filtered(course))
    up, down = sort_by(first, "Your role"), sort_by(first, "Your role", descending=True)

    ascending = listed(admin_client.get(url("index"), filtered(course, o=up)))
    descending = listed(admin_client.get(url("index"), filtered(course, o=down)))

    assert [row["Your role"] for row in ascending] == ["Ambulance driver", "Manager", "Nurse"]
    assert [row["Your role"] for row in descending] == ["Nurse", "Manager", "Ambulance driver"]


def test_unticking_a_question_takes_its_column_away(admin_client, course):
    BookingFactory(page=course, form_data=answers())
    field = CourseFormField.objects.get(page=course, clean_name="topics")
    field.show_in_bookings_list = False
    field.save()  # Saving drops the course's questions from the shared cache.

    response = admin_client.get(url("index"), filtered(course))

    assert "Topics" not in list_headings(response)


@pytest.mark.parametrize("bookings", [2, 15])
def test_the_filtered_list_costs_the_same_queries_for_few_or_many(
    admin_client, course, django_assert_num_queries, bookings
):
    for number in range(bookings):
        BookingFactory(page=course, form_data=answers(role=f"Role {number}"))
    admin_client.get(url("index"), filtered(course))

    with django_assert_num_queries(FILTERED_INDEX_QUERIES):
        response = admin_client.get(url("index"), filtered(course))

    assert len(listed(response)) == bookings


# Search


@pytest.fixture
def applicants(course, other_course):
    return {
        "physio": BookingFactory(
            page=course, name="Ada Lovelace", form_data=answers(role="Physiotherapist")
        ),
        "zoe": BookingFactory(
            page=course, name="Grace Hopper", form_data=answers(role="Zoë's deputy")
        ),
        "cafe": BookingFactory(
            page=course,
            name="Mary Seacole",
            form_data=answers(role="Nurse", why="For my team", topics=["Café culture"]),
        ),
        "estates": BookingFactory(
            page=other_course, name="Florence Nightingale", form_data={"your_team": "Estates"}
        ),
    }


def searched(client, term, **params) -> list[str]:
    return sorted(row["Name"] for row in listed(client.get(url("index"), {"q": term, **params})))


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("physio", ["Ada Lovelace"]),  # an answer shown as a column
        ("PHYSIOTHERAPIST", ["Ada Lovelace"]),  # in any case
        ("my team", ["Mary Seacole"]),  # a question not shown: each word in one of them
        ("Zoë", ["Grace Hopper"]),  # stored \u-escaped on SQLite
        ("zoë's", ["Grace Hopper"]),
        ("café", ["Mary Seacole"]),  # a ticked checkbox, in a list
        ("estates", ["Florence Nightingale"]),  # another course's question
        ("seacole", ["Mary Seacole"]),  # names, as before
        ("role", []),  # the questions' names are not searched
        ("physio nurse", []),
    ],
)
def test_the_search_looks_in_every_answer(admin_client, applicants, term, found):
    assert searched(admin_client, term) == found


def test_a_search_of_one_course_looks_in_its_answers_only(admin_client, applicants, course):
    assert searched(admin_client, "physio", **filtered(course)) == ["Ada Lovelace"]
    assert searched(admin_client, "estates", **filtered(course)) == []


def test_a_facilitators_search_finds_only_their_courses_bookings(client, applicants, course):
    client.force_login(user_in_group("facilitator", "wagtail_courses.view_booking", edits=[course]))

    assert searched(client, "estates") == []
    assert searched(client, "café") == ["Mary Seacole"]


def test_a_search_for_like_wildcards_finds_them_only(admin_client, course):
    BookingFactory(page=course, name="Percent", form_data=answers(role="100% remote"))
    BookingFactory(page=course, name="Other", form_data=answers(role="100 remote"))

    assert searched(admin_client, "100%") == ["Percent"]
    assert searched(admin_client, "_") == []


@pytest.mark.parametrize("bookings", [2, 12])
@pytest.mark.parametrize("courses", SEARCH_QUERIES)
def test_a_search_costs_the_same_queries_for_few_or_many(
    admin_client, course, django_assert_num_queries, bookings, courses
):
    for number in range(bookings):
        BookingFactory(page=course, form_data=answers(role=f"Physio {number}"))
    query = filtered(course, q="physio") if courses == "one course" else {"q": "physio"}
    admin_client.get(url("index"), query)

    with django_assert_num_queries(SEARCH_QUERIES[courses]):
        response = admin_client.get(url("index"), query)

    assert len(listed(response)) == bookings


# Wagtail's Forms view leads to the Bookings list


def forms_url(course, name="list_submissions") -> str:
    return reverse(f"wagtailforms:{name}", args=[course.pk])


def bookings_of(course, **params) -> str:
    """The address of the Bookings list filtered to ``course``."""
    return f"{url('index')}?{urlencode({COURSE: course.pk, **params})}"


def test_wagtails_forms_view_of_a_course_is_its_bookings_list(admin_client, course):
    BookingFactory(page=course, form_data=answers())

    forms = parse(admin_client.get(reverse("wagtailforms:index")))
    page = admin_client.get(forms_url(course), follow=True)

    # The Forms index still lists the course; its link leads to the course's bookings.
    assert forms.select_one(f'a[href="{forms_url(course)}"]')
    assert page.redirect_chain == [(bookings_of(course), 302)]
    assert list_headings(page) == [*HEADINGS[:4], *ANSWER_HEADINGS, "Place", "Submitted"]
    assert "Delete selected submissions" not in page.content.decode()


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_a_forms_view_export_is_the_bookings_lists(admin_client, course, export):
    response = admin_client.get(forms_url(course), {"export": export})

    assert response.status_code == 302
    assert response["Location"] == bookings_of(course, export=export)


def test_the_forms_views_results_and_other_parameters_lead_to_the_list(admin_client, course):
    results = admin_client.get(forms_url(course, "list_submissions_results"))
    odd = admin_client.get(forms_url(course), {"export": "pdf", "date_from": "x"})

    assert results["Location"] == bookings_of(course)
    assert odd["Location"] == bookings_of(course)


def test_the_forms_view_refuses_those_who_may_not_see_the_bookings(client, course, other_course):
    client.force_login(
        user_in_group("facilitator", "wagtail_courses.view_booking", edits=[other_course])
    )

    assert_refused(client.get(forms_url(course)))
    assert_refused(client.get(forms_url(course), {"export": "csv"}))
    assert_refused(client.get(forms_url(course, "delete_submissions")))


@pytest.mark.parametrize("method", ["get", "post"])
def test_deleting_a_courses_submissions_deletes_nothing_and_says_why(admin_client, course, method):
    bookings = [BookingFactory(page=course, form_data=answers()) for _number in range(2)]
    selected = "&".join(f"selected-submissions={booking.pk}" for booking in bookings)

    response = getattr(admin_client, method)(
        f"{forms_url(course, 'delete_submissions')}?{selected}"
    )

    assert response.status_code == 302
    assert response["Location"] == bookings_of(course)
    said = [unescape(str(message)).strip() for message in get_messages(response.wsgi_request)]
    assert said == [
        "Bookings are kept with their history and emails, so none was deleted. Cancel or "
        "decline a booking from the course's Bookings list instead."
    ]
    assert Booking.objects.filter(page=course).count() == 2
