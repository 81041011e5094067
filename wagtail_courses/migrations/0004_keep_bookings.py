import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Wagtail 8 lets a site swap the Page model (WAGTAIL_PAGE_MODEL); Wagtail 7 has no such setting.
PAGE_MODEL = getattr(settings, "WAGTAIL_PAGE_MODEL", "wagtailcore.Page")


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(PAGE_MODEL),
        ('wagtail_courses', '0003_applications'),
    ]

    operations = [
        migrations.AlterField(
            model_name='booking',
            name='page',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to=PAGE_MODEL, verbose_name='course'),
        ),
        migrations.AlterField(
            model_name='outboundemail',
            name='status',
            field=models.CharField(choices=[('pending', 'Waiting to be sent'), ('sending', 'Being sent'), ('sent', 'Sent'), ('failed', 'Failed'), ('delivered', 'Delivered'), ('bounced', 'Bounced'), ('rejected', 'Rejected'), ('complained', 'Marked as spam'), ('opened', 'Opened')], default='pending', max_length=20, verbose_name='status'),
        ),
    ]
