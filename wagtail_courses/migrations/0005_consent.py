from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_courses', '0004_keep_bookings'),
    ]

    operations = [
        migrations.AddField(
            model_name='booking',
            name='consent_text',
            field=models.TextField(blank=True, verbose_name='consented to'),
        ),
        migrations.AddField(
            model_name='booking',
            name='consented_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='consented'),
        ),
    ]
