# Every place is held until its address is proven (the proof window); emails are rendered after commit.

from django.db import migrations, models


def earlier_emails_are_rendered(apps, schema_editor):
    """Emails written before this were rendered as they were written: don't render them again."""
    OutboundEmail = apps.get_model("wagtail_courses", "OutboundEmail")
    OutboundEmail.objects.filter(rendered_at__isnull=True).update(rendered_at=models.F("created_at"))


def no_submitted_bookings(apps, schema_editor):
    """"Submitted" is gone from the state machine (nothing wrote it): any such booking is
    waiting for its address to be proven, the first step of every application now."""
    Booking = apps.get_model("wagtail_courses", "Booking")
    Booking.objects.filter(status="submitted").update(status="awaiting_email")


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_courses', '0009_one_mailbox'),
    ]

    operations = [
        migrations.RunPython(no_submitted_bookings, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='booking',
            name='wagtail_courses_one_active_booking_per_email',
        ),
        migrations.RemoveField(
            model_name='eventpage',
            name='confirmation_hold_hours',
        ),
        migrations.AddField(
            model_name='outboundemail',
            name='context',
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name='outboundemail',
            name='rendered_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='rendered'),
        ),
        migrations.AlterField(
            model_name='booking',
            name='status',
            field=models.CharField(choices=[('awaiting_email', 'Awaiting email confirmation'), ('awaiting_approval', 'Awaiting approval'), ('awaiting_payment', 'Awaiting payment'), ('confirmed', 'Confirmed'), ('waitlisted', 'On the waitlist'), ('cancelled', 'Cancelled'), ('declined', 'Declined'), ('expired', 'Expired')], default='awaiting_email', max_length=20, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='bookingstatuschange',
            name='from_status',
            field=models.CharField(blank=True, choices=[('awaiting_email', 'Awaiting email confirmation'), ('awaiting_approval', 'Awaiting approval'), ('awaiting_payment', 'Awaiting payment'), ('confirmed', 'Confirmed'), ('waitlisted', 'On the waitlist'), ('cancelled', 'Cancelled'), ('declined', 'Declined'), ('expired', 'Expired')], max_length=20, verbose_name='from'),
        ),
        migrations.AlterField(
            model_name='bookingstatuschange',
            name='to_status',
            field=models.CharField(choices=[('awaiting_email', 'Awaiting email confirmation'), ('awaiting_approval', 'Awaiting approval'), ('awaiting_payment', 'Awaiting payment'), ('confirmed', 'Confirmed'), ('waitlisted', 'On the waitlist'), ('cancelled', 'Cancelled'), ('declined', 'Declined'), ('expired', 'Expired')], max_length=20, verbose_name='to'),
        ),
        migrations.AddConstraint(
            model_name='booking',
            constraint=models.UniqueConstraint(models.F('page'), models.F('mailbox'), condition=models.Q(('status__in', ['awaiting_email', 'awaiting_approval', 'awaiting_payment', 'confirmed', 'waitlisted'])), name='wagtail_courses_one_active_booking_per_email', violation_error_message='This email address already has an application for this course.'),
        ),
        migrations.RunPython(earlier_emails_are_rendered, migrations.RunPython.noop),
]
