# An email's sending (status, claimed_at) apart from what the provider said of it
# (delivery_status, delivery_changed_at); each email's sender; the text a site's own
# render_email gave the facilitators' email.

from django.db import migrations, models

# The delivery statuses that ``status`` used to hold, each the provider's word on a sent email.
DELIVERY_STATUSES = ["delivered", "bounced", "rejected", "complained", "opened"]


def split_status(apps, schema_editor):
    """A delivered (bounced…) email was sent: it becomes "sent", with that as its delivery, dated
    when the provider said so. An email being sent keeps its claim's time, for stale sending."""
    OutboundEmail = apps.get_model("wagtail_courses", "OutboundEmail")
    for delivery in DELIVERY_STATUSES:  # one by one: MySQL would read the new status in F()
        OutboundEmail.objects.filter(status=delivery).update(
            status="sent",
            delivery_status=delivery,
            delivery_changed_at=models.F("status_changed_at"),
        )
    OutboundEmail.objects.filter(status="sending").update(claimed_at=models.F("status_changed_at"))


def join_status(apps, schema_editor):
    """Back to one status: the delivery, where the provider said anything, dated as it was."""
    OutboundEmail = apps.get_model("wagtail_courses", "OutboundEmail")
    OutboundEmail.objects.exclude(delivery_status="").update(
        status=models.F("delivery_status"), status_changed_at=models.F("delivery_changed_at")
    )
    OutboundEmail.objects.filter(status="sending").update(status_changed_at=models.F("claimed_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_courses', '0011_booking_origin'),
    ]

    operations = [
        migrations.AddField(
            model_name='booking',
            name='facilitators_text',
            field=models.TextField(blank=True, editable=False, verbose_name="facilitators' email text"),
        ),
        migrations.AddField(
            model_name='outboundemail',
            name='claimed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='last claimed'),
        ),
        migrations.AddField(
            model_name='outboundemail',
            name='delivery_changed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='delivery changed'),
        ),
        migrations.AddField(
            model_name='outboundemail',
            name='delivery_status',
            field=models.CharField(blank=True, choices=[('', 'Nothing heard'), ('delivered', 'Delivered'), ('bounced', 'Bounced'), ('rejected', 'Rejected'), ('complained', 'Marked as spam'), ('opened', 'Opened')], default='', max_length=20, verbose_name='delivery'),
        ),
        migrations.AddField(
            model_name='outboundemail',
            name='from_email',
            field=models.CharField(blank=True, max_length=255, verbose_name='from'),
        ),
        migrations.RunPython(split_status, join_status),
        migrations.RemoveField(
            model_name='outboundemail',
            name='status_changed_at',
        ),
        migrations.AlterField(
            model_name='outboundemail',
            name='status',
            field=models.CharField(choices=[('pending', 'Waiting to be sent'), ('sending', 'Being sent'), ('sent', 'Sent'), ('failed', 'Failed'), ('withdrawn', 'Not sent: personal data anonymised')], default='pending', max_length=20, verbose_name='status'),
        ),
    ]
