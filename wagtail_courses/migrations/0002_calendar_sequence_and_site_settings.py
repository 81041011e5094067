
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_courses', '0001_initial'),
        ('wagtailcore', '0094_alter_page_locale'),
    ]

    operations = [
        migrations.AddField(
            model_name='sessionpage',
            name='sequence',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='calendar sequence'),
        ),
        migrations.CreateModel(
            name='CourseSiteSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('organisation_name', models.CharField(blank=True, help_text="Who runs the courses, as search engines and calendars should name it. Leave blank to use the site's name.", max_length=255, verbose_name='organisation name')),
                ('organisation_url', models.URLField(blank=True, help_text="Leave blank to use this site's address.", verbose_name='organisation website')),
                ('site', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to='wagtailcore.site')),
            ],
            options={
                'verbose_name': 'courses',
            },
        ),
    ]
