"""POST data for the Wagtail editor's page forms, as a browser would send it."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield


def course_form_data(*, facilitators=(), questions=(), **overrides) -> dict:
    data = {
        "title": "Compassionate leadership",
        "slug": "compassionate-leadership",
        "summary": "For leaders in health and social care.",
        "body": streamfield(
            [
                ("heading", "Who is the course for?"),
                ("paragraph", rich_text("<p>Anyone in a leadership role.</p>")),
            ]
        ),
        "delivery_mode": "online",
        "venue": "",
        "time_zone": "Europe/London",
        "price": "150",
        "currency": "GBP",
        "facilitator_links": inline_formset(
            [{"facilitator": facilitator.pk, "role": "Course lead"} for facilitator in facilitators]
        ),
        "booking_information": rich_text("<p>You can book your place below.</p>"),
        "booking_opens_at": "",
        "booking_closes_at": "",
        "form_fields": inline_formset(list(questions)),
        "what_happens_next": "The facilitators will be in touch.",
        "to_address": "",
        "subject": "",
        "capacity": "",
        "staff_free_places": "0",
        "staff_email_domains": "",
        "payment_method": "none",
        "payment_url": "",
        "payment_instructions": "",
        "invoice_organisation_question": "required",
        "purchase_order_question": "optional",
        "facilitator_updates": "each",
        "confirmation_hold_hours": "48",
        "payment_hold_days": "14",
        "cancellation_cutoff_hours": "48",
        "joining_link": "",
        "reminder_days_before": "2",
        "reminder_hours_before": "",
        "completion_rule": "all_sessions",
        "completion_minimum_sessions": "",
        "cpd_hours": "",
    }
    data.update(overrides)
    return nested_form_data(data)


def session_form_data(**overrides) -> dict:
    data = {
        "title": "",
        "slug": "",
        "start": "2027-05-18 15:00",
        "end": "2027-05-18 17:00",
        "status": "scheduled",
        "description": rich_text(""),
    }
    data.update(overrides)
    return nested_form_data(data)


def facilitator_form_data(facilitator, **overrides) -> dict:
    """The editor's form for ``facilitator`` as it stands, with ``overrides``."""
    data = {
        "title": facilitator.title,
        "slug": facilitator.slug,
        "job_title": facilitator.job_title,
        "organisation": facilitator.organisation,
        "portrait": facilitator.portrait_id or "",
        "portrait_alt_text": facilitator.portrait_alt_text,
        "biography": rich_text(facilitator.biography),
        "contact_email": facilitator.contact_email,
    }
    data.update(overrides)
    return nested_form_data(data)
