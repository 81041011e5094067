"""Bookings get their address's mailbox (``wagtail_courses.mailboxes``), and the rule of one
active application per course is checked on it instead of the address in lower case."""

from django.db import migrations, models

from wagtail_courses.mailboxes import mailbox

ACTIVE = [
    "submitted",
    "awaiting_email",
    "awaiting_approval",
    "awaiting_payment",
    "confirmed",
    "waitlisted",
]


def fill_mailboxes(apps, schema_editor):
    """Existing bookings' mailboxes. Two active ones that now turn out to share a mailbox
    (``jo@`` and ``jo+1@``, taken before this rule) keep both: the later gets a key of its
    own, so the rule holds for every application from now on."""
    from wagtail_courses import conf

    Booking = apps.get_model("wagtail_courses", "Booking")
    taken = set()
    for booking in Booking.objects.order_by("pk").only("pk", "page_id", "email", "status"):
        key = mailbox(booking.email, ignore_plus_tag=conf.ignore_plus_tags())
        if booking.status in ACTIVE:
            if (booking.page_id, key) in taken:
                key = f"{key}#{booking.pk}"
            taken.add((booking.page_id, key))
        Booking.objects.filter(pk=booking.pk).update(mailbox=key)


class Migration(migrations.Migration):
    dependencies = [("wagtail_courses", "0008_personal_data_retention")]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="mailbox",
            field=models.CharField(
                default="", editable=False, max_length=254, verbose_name="mailbox"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_mailboxes, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="booking", name="wagtail_courses_one_active_booking_per_email"
        ),
        migrations.AddConstraint(
            model_name="booking",
            constraint=models.UniqueConstraint(
                models.F("page"),
                models.F("mailbox"),
                condition=models.Q(status__in=ACTIVE),
                name="wagtail_courses_one_active_booking_per_email",
                violation_error_message=(
                    "This email address already has an application for this course."
                ),
            ),
        ),
    ]
