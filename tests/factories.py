"""Factories for every page type, and for bookings and their emails.

Pages are built under an explicit parent (``EventPageFactory(parent=index)``), and bookings on
an explicit course (``BookingFactory(page=course, awaiting_payment=True)``), with a trait per
status that sets what a booking in that status carries; emails likewise
(``OutboundEmailFactory(booking=booking, failed=True)``).
"""

from datetime import timedelta

import factory
import wagtail_factories
from django.utils import timezone

from wagtail_courses import conf
from wagtail_courses.models import (
    Booking,
    EventFacilitator,
    EventIndexPage,
    EventPage,
    FacilitatorIndexPage,
    FacilitatorPage,
    OutboundEmail,
    SessionPage,
)
from wagtail_courses.services.history import record_status


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "All events"
    slug = factory.Sequence(lambda n: f"events-{n}")

    class Meta:
        model = EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Course {n}")
    summary = "A course for health and social care staff."
    delivery_mode = EventPage.DeliveryMode.ONLINE
    time_zone = "Europe/London"
    price = 0
    currency = "GBP"

    class Meta:
        model = EventPage


class SessionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Session {n}")
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    end = factory.LazyAttribute(lambda session: session.start + timedelta(hours=2))
    status = SessionPage.Status.SCHEDULED

    class Meta:
        model = SessionPage


class FacilitatorIndexPageFactory(wagtail_factories.PageFactory):
    title = "Facilitators"
    slug = factory.Sequence(lambda n: f"facilitators-{n}")

    class Meta:
        model = FacilitatorIndexPage


class FacilitatorPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Facilitator {n}")
    job_title = "Clinical psychologist"
    organisation = "Example NHS Foundation Trust"
    biography = "<p>Runs mindfulness courses.</p>"
    contact_email = factory.Sequence(lambda n: f"private.contact.{n}@trust.example")
    portrait = factory.SubFactory(wagtail_factories.ImageFactory)

    class Meta:
        model = FacilitatorPage


class EventFacilitatorFactory(factory.django.DjangoModelFactory):
    page = None
    facilitator = None
    role = ""
    sort_order = factory.Sequence(int)

    class Meta:
        model = EventFacilitator


# Bookings


def proof_hold():
    """Until when a new place (or an unproven turn on the waitlist) is held: the proof window."""
    return timezone.now() + conf.proof_window()


def payment_hold(booking):
    """Until when a proven place is held for its payment: the course's own days to pay."""
    return timezone.now() + booking.page.specific.payment_hold


def ran_out():
    """A hold that ran out a minute ago, and nothing has noticed yet."""
    return timezone.now() - timedelta(minutes=1)


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking on the course given as ``page``, in the status its trait names.

    The status traits are named as the statuses' values (``BookingFactory(page=course,
    **{status: True})`` for each ``BookingStatus``); with none, the booking is as an
    application leaves it, its place held until the address is proven. Each trait sets what
    ``services.places`` leaves on a booking in that status: whether the address is proven
    (``email_confirmed_at``) and until when the place is held (``hold_expires_at``).
    ``staff`` makes it a staff free place, ``lapsed`` lets its hold run out, ``unproven``
    takes the proof away (a waitlist entry not yet proven), ``paid`` marks it paid. Its first
    history row is written with it, as an application's is.
    """

    # Always given, as a page's parent is: a booking belongs to one course.
    page = None
    name = factory.Sequence(lambda n: f"Applicant {n}")
    email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    form_data = factory.LazyFunction(
        lambda: {"your_role": "Ward manager", "why_do_you_want_to_attend": "To learn."}
    )
    place_type = Booking.PlaceType.PAID
    # As an application leaves it: a place held until the address is proven.
    status = Booking.Status.AWAITING_EMAIL_CONFIRMATION
    hold_expires_at = factory.LazyFunction(proof_hold)
    email_confirmed_at = None

    class Meta:
        model = Booking
        skip_postgeneration_save = True

    class Params:
        proven = factory.Trait(email_confirmed_at=factory.LazyFunction(timezone.now))
        awaiting_email = factory.Trait(
            status=Booking.Status.AWAITING_EMAIL_CONFIRMATION,
            hold_expires_at=factory.LazyFunction(proof_hold),
        )
        awaiting_approval = factory.Trait(
            proven=True, status=Booking.Status.AWAITING_APPROVAL, hold_expires_at=None
        )
        awaiting_payment = factory.Trait(
            proven=True,
            status=Booking.Status.AWAITING_PAYMENT,
            hold_expires_at=factory.LazyAttribute(payment_hold),
        )
        confirmed = factory.Trait(
            proven=True, status=Booking.Status.CONFIRMED, hold_expires_at=None
        )
        # Proven, and so waiting for as long as it takes; ``unproven=True`` for one just made.
        waitlisted = factory.Trait(
            proven=True, status=Booking.Status.WAITLISTED, hold_expires_at=None
        )
        cancelled = factory.Trait(
            proven=True, status=Booking.Status.CANCELLED, hold_expires_at=None
        )
        declined = factory.Trait(proven=True, status=Booking.Status.DECLINED, hold_expires_at=None)
        # Its hold ran out before the address was proven; ``proven=True`` for one never paid.
        expired = factory.Trait(status=Booking.Status.EXPIRED, hold_expires_at=None)
        staff = factory.Trait(place_type=Booking.PlaceType.STAFF_FREE)
        paid = factory.Trait(paid_at=factory.LazyFunction(timezone.now))
        # Declared after the statuses, so that these win over what a status trait sets.
        unproven = factory.Trait(
            email_confirmed_at=None, hold_expires_at=factory.LazyFunction(proof_hold)
        )
        lapsed = factory.Trait(hold_expires_at=factory.LazyFunction(ran_out))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("page") is None:
            raise TypeError("BookingFactory needs the course: BookingFactory(page=course).")
        return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def history(booking, create, extracted, **kwargs):
        """Its first history row, as ``places.place_application`` writes it."""
        if create:
            record_status(booking=booking, to=booking.status)


# The outbox


def addressed_to(email) -> list[str]:
    return [email.booking.email] if email.booking else ["someone@example.org"]


def heard_back(delivery_status: str) -> factory.Trait:
    """A sent email the provider has since reported on (dated by its clock, here ours)."""
    return factory.Trait(
        sent=True,
        delivery_status=delivery_status,
        delivery_changed_at=factory.LazyFunction(timezone.now),
    )


class OutboundEmailFactory(factory.django.DjangoModelFactory):
    """An outbox email about ``booking`` (given, or None), in the sending status its trait
    names, and once sent, in the delivery status a provider's webhook reported.

    With no trait it is as ``emails.queue`` writes it: pending, not yet rendered. ``sent`` and
    ``failed`` are rendered (a subject, bodies, a sender); ``failed, rendered=False`` is one
    whose templates failed.
    """

    booking = None
    kind = "application_confirmation"
    to = factory.List([])
    subject = ""
    body_text = ""
    tags = factory.LazyAttribute(lambda email: ["wagtail-courses", email.kind])
    metadata = factory.LazyAttribute(
        lambda email: {"booking_reference": email.booking.reference} if email.booking else {}
    )
    context = factory.LazyAttribute(
        lambda email: {
            "status": email.booking.status if email.booking else "",
            "course_url": "",
            "reason": "",
        }
    )
    status = OutboundEmail.Status.PENDING

    class Meta:
        model = OutboundEmail

    class Params:
        rendered = factory.Trait(
            to=factory.LazyAttribute(addressed_to),
            from_email="courses@example.org",
            subject="Your application",
            body_text="Thank you for applying.",
            body_html="<p>Thank you for applying.</p>",
            rendered_at=factory.LazyFunction(timezone.now),
        )
        pending = factory.Trait(status=OutboundEmail.Status.PENDING)
        # Claimed by a sender that has not finished (or died): see ``STALE_SENDING``.
        sending = factory.Trait(
            status=OutboundEmail.Status.SENDING,
            attempts=1,
            claimed_at=factory.LazyFunction(timezone.now),
        )
        sent = factory.Trait(
            rendered=True,
            status=OutboundEmail.Status.SENT,
            attempts=1,
            claimed_at=factory.LazyFunction(timezone.now),
            sent_at=factory.LazyFunction(timezone.now),
            message_id=factory.Sequence(lambda n: f"provider-message-{n}"),
        )
        failed = factory.Trait(
            rendered=True,
            status=OutboundEmail.Status.FAILED,
            attempts=1,
            claimed_at=factory.LazyFunction(timezone.now),
            error="SMTPServerDisconnected: Connection unexpectedly closed",
        )
        # What the provider's webhooks said of a sent email.
        delivered = heard_back(OutboundEmail.DeliveryStatus.DELIVERED)
        bounced = heard_back(OutboundEmail.DeliveryStatus.BOUNCED)
        rejected = heard_back(OutboundEmail.DeliveryStatus.REJECTED)
        complained = heard_back(OutboundEmail.DeliveryStatus.COMPLAINED)
        opened = heard_back(OutboundEmail.DeliveryStatus.OPENED)
