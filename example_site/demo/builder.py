"""Builds the demo site around the reference course. Safe to run again: it updates in place."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from example_site.demo import reference_course as ref
from example_site.demo.models import HomePage
from example_site.demo.portraits import draw_portrait
from wagtail_courses.models import (
    CourseFormField,
    CourseSiteSettings,
    EventFacilitator,
    EventIndexPage,
    EventPage,
    FacilitatorIndexPage,
    FacilitatorPage,
    SessionPage,
)

SITE_NAME = "Example Health Trust"


@dataclass(frozen=True)
class PlannedSession:
    slug: str
    title: str
    start: datetime
    end: datetime


def first_session_in(year: int) -> date:
    """The published first session's weekday, in the same week of the year in ``year``."""
    published = ref.PUBLISHED_FIRST_SESSION
    candidate = published.replace(year=year)
    return candidate + timedelta(days=(published.weekday() - candidate.weekday()) % 7)


def at(day: date, clock) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZoneInfo(ref.TIME_ZONE))


def plan_sessions(first: date) -> list[PlannedSession]:
    weekly = [
        PlannedSession(
            slug=f"session-{number}",
            title=f"Session {number}",
            start=at(first + offset, ref.START_TIME),
            end=at(first + offset, ref.END_TIME),
        )
        for number, offset in enumerate(ref.WEEKLY_OFFSETS, start=1)
    ]
    consolidation_day = first + ref.CONSOLIDATION_OFFSET
    return weekly + [
        PlannedSession(
            slug="consolidation-session",
            title=ref.CONSOLIDATION_TITLE,
            start=at(consolidation_day, ref.START_TIME),
            end=at(consolidation_day, ref.END_TIME),
        )
    ]


def choose_first_session(*, as_published: bool, now: datetime | None = None) -> date:
    """The published date, or the pattern moved to the first year in which it is still ahead."""
    if as_published:
        return ref.PUBLISHED_FIRST_SESSION
    now = now or timezone.now()
    year = max(now.year, ref.PUBLISHED_FIRST_SESSION.year)
    while at(first_session_in(year), ref.START_TIME) <= now:
        year += 1
    return first_session_in(year)


def schedule_paragraph(first: date) -> str:
    def day_month(day: date) -> str:
        return f"{day.day} {day:%B}"

    weekly_days = [first + offset for offset in ref.WEEKLY_OFFSETS]
    skipped = [day_month(first + offset) for offset in ref.SKIPPED_OFFSETS]
    consolidation = first + ref.CONSOLIDATION_OFFSET
    return ref.SCHEDULE_TEXT.format(
        first=day_month(weekly_days[0]),
        last_weekly=f"{day_month(weekly_days[-1])} {weekly_days[-1].year}",
        skipped=" and ".join(skipped),
        consolidation=f"{day_month(consolidation)} {consolidation.year}",
    )


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in texts)


def course_body(first: date) -> list[tuple[str, str]]:
    body = [("paragraph", paragraphs([schedule_paragraph(first), *ref.INTRODUCTION]))]
    for heading, text in ref.SECTIONS:
        body += [("heading", heading), ("paragraph", paragraphs([text]))]
    return body


def save_child(parent: Page, model, slug: str, **fields):
    """Create the child page with this slug, or update the one that is already there."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        return parent.add_child(instance=model(slug=slug, **fields))
    for name, value in fields.items():
        setattr(page, name, value)
    page.save()
    return page


def home_page() -> HomePage:
    root = Page.get_first_root_node()
    home = HomePage.objects.first() or root.add_child(
        instance=HomePage(title=SITE_NAME, slug="example-health-trust")
    )
    home.intro = paragraphs(
        ["Welcome to the example site for wagtail-courses. Our training courses are below."]
    )
    home.save()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", root_page=home, is_default_site=True, site_name=SITE_NAME
        )
    elif site.root_page_id != home.pk:
        previous = site.root_page
        site.root_page, site.site_name = home, SITE_NAME
        site.save()
        # Wagtail's "Welcome to your new Wagtail site!" page has nothing under it: remove it.
        if type(previous.specific) is Page and not previous.get_children().exists():
            previous.delete()
    return home


def portrait(name: str, colour: tuple[int, int, int]):
    image_model = get_image_model()
    title = f"Portrait of {name}"
    image = image_model.objects.filter(title=title).first()
    if image is None:
        filename = name.lower().replace(" ", "-") + ".png"
        image = image_model(title=title, description=title)
        image.file = ImageFile(BytesIO(draw_portrait(name, colour)), name=filename)
        image.save()
    return image


def facilitators(home: HomePage) -> list[tuple[FacilitatorPage, str]]:
    index = save_child(
        home,
        FacilitatorIndexPage,
        "facilitators",
        title="Facilitators",
        show_in_menus=True,
        intro=paragraphs(["The people who design and run our training courses."]),
    )
    people = []
    for person in ref.FACILITATORS:
        page = save_child(
            index,
            FacilitatorPage,
            person["slug"],
            title=person["name"],
            job_title=person["job_title"],
            organisation=person["organisation"],
            biography=paragraphs([person["biography"]]),
            portrait=portrait(person["name"], person["colour"]),
            contact_email=f"{person['slug'].replace('-', '.')}@{ref.CONTACT_EMAIL_DOMAIN}",
        )
        people.append((page, person["role"]))
    return people


def course(home: HomePage, people, first: date) -> EventPage:
    index = save_child(
        home,
        EventIndexPage,
        "events",
        title="All events",
        show_in_menus=True,
        intro=paragraphs(["Training courses for health and social care staff."]),
    )
    page = save_child(
        index,
        EventPage,
        ref.SLUG,
        title=ref.TITLE,
        summary=ref.SUMMARY,
        body=course_body(first),
        delivery_mode=EventPage.DeliveryMode.ONLINE,
        venue="",
        time_zone=ref.TIME_ZONE,
        price=ref.PRICE,
        currency=ref.CURRENCY,
        booking_information=paragraphs(ref.BOOKING_INFORMATION),
        what_happens_next=ref.WHAT_HAPPENS_NEXT,
        capacity=ref.CAPACITY,
        staff_free_places=ref.STAFF_FREE_PLACES,
        requires_approval=ref.REQUIRES_APPROVAL,
        payment_method=EventPage.PaymentMethod.INVOICE,
        payment_instructions=ref.PAYMENT_INSTRUCTIONS,
        joining_link=ref.JOINING_LINK,
    )
    application_questions(page)
    for order, (facilitator, role) in enumerate(people):
        EventFacilitator.objects.update_or_create(
            page=page, facilitator=facilitator, defaults={"role": role, "sort_order": order}
        )
    page.facilitator_links.exclude(facilitator__in=[f for f, _ in people]).delete()
    for planned in plan_sessions(first):
        save_child(
            page,
            SessionPage,
            planned.slug,
            title=planned.title,
            start=planned.start,
            end=planned.end,
            status=SessionPage.Status.SCHEDULED,
        )
    return page


def application_questions(page: EventPage) -> None:
    labels = []
    for order, question in enumerate(ref.APPLICATION_QUESTIONS):
        fields = {key: value for key, value in question.items() if key != "label"}
        CourseFormField.objects.update_or_create(
            page=page, label=question["label"], defaults={**fields, "sort_order": order}
        )
        labels.append(question["label"])
    CourseFormField.objects.filter(page=page).exclude(label__in=labels).delete()


@transaction.atomic
def build_demo(*, as_published: bool = False, now: datetime | None = None) -> EventPage:
    first = choose_first_session(as_published=as_published, now=now)
    home = home_page()
    site_settings()
    page = course(home, facilitators(home), first)
    nhsuk_header(home)
    return page


def nhsuk_header(home: HomePage) -> None:
    """The NHS.UK header of `make demo NHS=1`, as an editor sets it in Settings > Header: the
    trust's name, and its two sections as the menu."""
    if not apps.is_installed("wagtailnhsukfrontend.settings"):
        return
    from wagtailnhsukfrontend.settings.models import HeaderSettings, NavigationLink

    header = HeaderSettings.for_site(Site.objects.get(is_default_site=True))
    header.organisation_name = SITE_NAME
    header.logo_link = home
    header.save()
    header.navigation_links.all().delete()
    for order, slug in enumerate(["events", "facilitators"]):
        section = home.get_children().get(slug=slug)
        NavigationLink.objects.create(
            setting=header, label=section.title, page=section, sort_order=order
        )


def site_settings() -> None:
    """Who counts as the trust's staff, set once for the site (Settings > Courses)."""
    settings = CourseSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.staff_email_domains = ref.STAFF_EMAIL_DOMAINS
    settings.save()
