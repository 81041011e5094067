"""Who sees which applicants in the admin, and what the Bookings list lets a URL do.

Two courses, each with a facilitator whose group may view bookings, manage places and cancel,
and edit that one course: each sees, exports and acts on their own course's applicants only.
A coordinator whose group may view bookings everywhere (the site's root page) sees both.
"""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from tests.admin_users import assert_refused, booking_admin_url, user_in_group
from tests.factories import BookingFactory, OutboundEmailFactory
from tests.support.html import parse
from wagtail_courses.models import Booking, OutboundEmail
from wagtail_courses.services.history import record_status

url = booking_admin_url
# The superuser's list (13, in test_bookings_admin) and the group and page permissions read.
FACILITATOR_INDEX_QUERIES = 17
Status = Booking.Status
FACILITATOR_PERMISSIONS = (
    "wagtail_courses.view_booking",
    "wagtail_courses.change_booking",
    "wagtail_courses.manage_places",
    "wagtail_courses.cancel_booking",
)


@pytest.fixture
def course_a(make_course):
    return make_course(sessions=1, facilitators=0, title="Compassionate leadership")


@pytest.fixture
def course_b(make_course):
    return make_course(sessions=1, facilitators=0, title="Mindful teams")


@pytest.fixture
def booking_a(course_a):
    return BookingFactory(page=course_a, awaiting_approval=True)


@pytest.fixture
def booking_b(course_b):
    return BookingFactory(page=course_b, awaiting_approval=True)


@pytest.fixture
def facilitator_a(client, course_a):
    client.force_login(user_in_group("facilitator-a", *FACILITATOR_PERMISSIONS, edits=[course_a]))
    return client


def references(response) -> list[str]:
    rows = parse(response).select("table.listing tbody tr")
    # The reference cell starts with the reference, followed by the row's buttons.
    return [
        row.select_one("td.field-reference").get_text(" ", strip=True).split()[0] for row in rows
    ]


def csv_references(response) -> list[str]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row[0] for row in list(csv.reader(io.StringIO(content)))[1:]]


# Per-course access


def test_a_facilitator_lists_and_exports_only_their_own_course(facilitator_a, booking_a, booking_b):
    assert references(facilitator_a.get(url("index"))) == [booking_a.reference]
    assert csv_references(facilitator_a.get(url("index"), {"export": "csv"})) == [
        booking_a.reference
    ]
    # Asking for the other course by its filter finds nothing.
    other = facilitator_a.get(url("index"), {"page__id__exact": booking_b.page_id})
    assert references(other) == []
    filters = parse(facilitator_a.get(url("index"))).select_one(".changelist-filter").get_text()
    assert "Compassionate leadership" in filters
    assert "Mindful teams" not in filters


def test_a_facilitator_cannot_open_or_act_on_another_courses_booking(
    facilitator_a, booking_a, booking_b
):
    assert facilitator_a.get(url("inspect", booking_a.pk)).status_code == 200
    assert_refused(facilitator_a.get(url("inspect", booking_b.pk)))
    for action in ("approve", "decline", "cancel", "offer_place", "mark_paid"):
        assert_refused(facilitator_a.get(url(action, booking_b.pk)))
        assert_refused(facilitator_a.post(url(action, booking_b.pk), {"reason": "No."}))
    booking_b.refresh_from_db()
    assert booking_b.status == Status.AWAITING_APPROVAL
    assert booking_b.history.count() == 1


def test_a_facilitator_cannot_send_another_courses_email_again(facilitator_a, booking_b):
    email = OutboundEmailFactory(booking=booking_b, failed=True)

    assert_refused(facilitator_a.post(url("send_email", booking_b.pk, email.pk)))

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.attempts == 1  # its one failed try: not tried again
    assert email.sent_at is None


def test_a_facilitator_acts_on_their_own_course(facilitator_a, booking_a):
    response = facilitator_a.post(url("approve", booking_a.pk))

    assert response.status_code == 302
    booking_a.refresh_from_db()
    assert booking_a.status == Status.CONFIRMED


def test_wagtails_forms_view_obeys_the_same_rule(facilitator_a, course_a, course_b, booking_b):
    forms = facilitator_a.get(reverse("wagtailforms:index")).content.decode()

    assert "Compassionate leadership" in forms
    assert "Mindful teams" not in forms
    # Their own course's Forms view leads to its Bookings list; the other's is refused.
    own = facilitator_a.get(reverse("wagtailforms:list_submissions", args=[course_a.pk]))
    assert own["Location"] == f"{url('index')}?page__id__exact={course_a.pk}"
    assert_refused(facilitator_a.get(reverse("wagtailforms:list_submissions", args=[course_b.pk])))
    assert_refused(
        facilitator_a.get(
            reverse("wagtailforms:list_submissions", args=[course_b.pk]), {"export": "csv"}
        )
    )


def test_an_editor_of_a_course_without_a_bookings_permission_sees_no_applicants(
    client, course_a, booking_a
):
    client.force_login(user_in_group("editor-a", edits=[course_a]))

    assert_refused(client.get(url("index")))
    assert_refused(client.get(url("inspect", booking_a.pk)))
    assert (
        "Compassionate leadership" not in client.get(reverse("wagtailforms:index")).content.decode()
    )
    assert_refused(client.get(reverse("wagtailforms:list_submissions", args=[course_a.pk])))


def test_a_group_with_bookings_permissions_on_all_events_sees_every_course(
    client, event_index, booking_a, booking_b
):
    client.force_login(
        user_in_group("coordinator", "wagtail_courses.view_booking", edits=[event_index])
    )

    assert sorted(references(client.get(url("index")))) == sorted(
        [booking_a.reference, booking_b.reference]
    )


def test_a_bookings_permission_without_any_course_shows_no_bookings_menu(client, booking_a):
    client.force_login(user_in_group("nowhere", "wagtail_courses.view_booking", edits=[]))

    assert url("index") not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert_refused(client.get(url("index")))


# Only the declared filters


@pytest.fixture
def viewer(client, db):
    client.force_login(user_in_group("viewer", "wagtail_courses.view_booking"))
    return client


@pytest.fixture
def secrets(course_a, booking_a, booking_b):
    """A superuser who owns the course and changed a booking; the course behind a password."""
    superuser = get_user_model().objects.create_superuser("root", "root@example.org", "s3cret")
    course_a.owner = superuser
    course_a.save(update_fields=["owner"])
    # History is append-only: the superuser's change is a line of its own.
    record_status(booking=booking_a, to=booking_a.status, by=superuser, previous=booking_a.status)
    PageViewRestriction.objects.create(
        page=course_a, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
    )
    return superuser


PROBES = [
    "history__changed_by__password__startswith",
    "history__changed_by__password__lt",
    "page__owner__password__startswith",
    "page__owner__is_superuser",
    "page__view_restrictions__password__startswith",
    "page__view_restrictions__password",
    "emails__body_text__contains",
    "form_data__icontains",
]


@pytest.mark.parametrize("parameter", PROBES)
@pytest.mark.parametrize("export", [None, "csv"])
def test_no_other_parameter_narrows_the_list(
    viewer, secrets, booking_a, booking_b, parameter, export
):
    everyone = sorted([booking_a.reference, booking_b.reference])
    extra = {"export": export} if export else {}
    for value in ("pbkdf2", "p", "zzz", "letmein", "l", "1", "True"):
        response = viewer.get(url("index"), {parameter: value, **extra})
        assert response.status_code == 200
        listed = csv_references(response) if export else references(response)
        assert sorted(listed) == everyone, (parameter, value)


@pytest.mark.parametrize(
    "query",
    [
        {"foo": "bar"},
        {"status__in": "cancelled"},
        {"o": "99"},
        {"o": "x.-y"},
        {"p": "abc"},
        {"p": "999"},
        {"q": "'\"%_\\"},
        {"e": "1"},
        {"status__isnull": "maybe"},
    ],
)
def test_unknown_or_odd_parameters_are_ignored(viewer, booking_a, booking_b, query):
    response = viewer.get(url("index"), query)

    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"submit_time__gte": "garbage"},
        {"submit_time__lt": "2026-13-45"},
        {"page__id__exact": "abc"},
        {"status__exact": "\x00"},
        {"q": "ada\x00"},
    ],
)
def test_a_declared_filter_with_a_bad_value_is_a_clear_400(viewer, booking_a, query):
    for extra in ({}, {"export": "csv"}):
        response = viewer.get(url("index"), {**query, **extra})

        assert response.status_code == 400
        assert "can't be filtered by that value" in response.content.decode()


def test_the_declared_filters_still_filter(viewer, booking_a, booking_b):
    Booking.objects.filter(pk=booking_b.pk).update(status=Status.CANCELLED)

    by_status = viewer.get(url("index"), {"status__exact": Status.CANCELLED})
    by_course = viewer.get(url("index"), {"page__id__exact": booking_a.page_id})

    assert references(by_status) == [booking_b.reference]
    assert references(by_course) == [booking_a.reference]


@pytest.mark.parametrize("action", ["inspect", "cancel", "approve"])
def test_a_booking_id_that_is_not_a_number_is_not_found(admin_client, action):
    response = admin_client.get(f"{url('index')}{action}/abc/")

    assert response.status_code == 404


@pytest.mark.parametrize("bookings", [2, 12])
def test_a_facilitators_list_costs_the_same_queries_for_few_or_many(
    facilitator_a, course_a, course_b, django_assert_num_queries, bookings
):
    for _number in range(bookings):
        BookingFactory(page=course_a, awaiting_approval=True)
        BookingFactory(page=course_b, awaiting_email=True)
    facilitator_a.get(url("index"))

    with django_assert_num_queries(FACILITATOR_INDEX_QUERIES):
        response = facilitator_a.get(url("index"))

    assert len(references(response)) == bookings


def test_two_facilitators_each_see_only_their_own_courses_applicants(
    course_a, course_b, booking_a, booking_b
):
    for name, course, own, other in (
        ("facilitator-a", course_a, booking_a, booking_b),
        ("facilitator-b", course_b, booking_b, booking_a),
    ):
        client = Client()
        client.force_login(user_in_group(name, *FACILITATOR_PERMISSIONS, edits=[course]))

        assert references(client.get(url("index"))) == [own.reference]
        exported = client.get(url("index"), {"export": "csv"})
        assert csv_references(exported) == [own.reference]
        assert client.get(url("inspect", own.pk)).status_code == 200
        assert_refused(client.get(url("inspect", other.pk)))
        forms = client.get(reverse("wagtailforms:index")).content.decode()
        assert own.page.title in forms and other.page.title not in forms
