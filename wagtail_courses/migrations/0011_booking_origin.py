# Where each application was made, so that later emails link back to the same address.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_courses', '0010_proof_for_every_place'),
    ]

    operations = [
        migrations.AddField(
            model_name='booking',
            name='origin',
            field=models.CharField(blank=True, editable=False, max_length=255, verbose_name='applied at'),
        ),
    ]
