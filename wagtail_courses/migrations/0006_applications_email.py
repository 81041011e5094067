from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_courses', '0005_consent'),
    ]

    operations = [
        migrations.AddField(
            model_name='coursesitesettings',
            name='applications_email',
            field=models.EmailField(blank=True, help_text='Receives the applications for any course none of whose facilitators has a contact email, so that no application goes unread.', max_length=254, verbose_name='applications email'),
        ),
    ]
