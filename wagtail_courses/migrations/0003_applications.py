import django.core.serializers.json
import django.db.models.deletion
import django.db.models.functions.text
import modelcluster.fields
import wagtail.contrib.forms.models
import wagtail_courses.models.bookings
from django.conf import settings
from django.db import migrations, models

# Wagtail 8 lets a site swap the Page model (WAGTAIL_PAGE_MODEL); Wagtail 7 has no such setting.
PAGE_MODEL = getattr(settings, "WAGTAIL_PAGE_MODEL", "wagtailcore.Page")


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(PAGE_MODEL),
        ('wagtail_courses', '0002_calendar_sequence_and_site_settings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('wagtailcore', '0094_alter_page_locale'),
    ]

    operations = [
        migrations.AddField(
            model_name='coursesitesettings',
            name='privacy_notice',
            field=models.TextField(blank=True, default="We keep your application to arrange your place and share it only with the course's facilitators.", help_text='Shown beside the consent box on every application form.', max_length=2000, verbose_name='privacy notice'),
        ),
        migrations.AddField(
            model_name='eventpage',
            name='booking_closes_at',
            field=models.DateTimeField(blank=True, help_text='Leave blank to close when the first session starts.', null=True, verbose_name='applications close'),
        ),
        migrations.AddField(
            model_name='eventpage',
            name='booking_opens_at',
            field=models.DateTimeField(blank=True, help_text='Leave blank to take applications as soon as the course is published.', null=True, verbose_name='applications open'),
        ),
        migrations.AddField(
            model_name='eventpage',
            name='from_address',
            field=models.EmailField(blank=True, max_length=255, verbose_name='from address'),
        ),
        migrations.AddField(
            model_name='eventpage',
            name='subject',
            field=models.CharField(blank=True, max_length=255, verbose_name='subject'),
        ),
        migrations.AddField(
            model_name='eventpage',
            name='to_address',
            field=models.CharField(blank=True, help_text='Optional - form submissions will be emailed to these addresses. Separate multiple addresses by comma.', max_length=255, validators=[wagtail.contrib.forms.models.validate_to_address], verbose_name='to address'),
        ),
        migrations.AddField(
            model_name='eventpage',
            name='what_happens_next',
            field=models.TextField(blank=True, default='The facilitators will read your application and contact you about your place.', help_text='Told to applicants on the confirmation page and in their email.', max_length=2000, verbose_name='what happens next'),
        ),
        migrations.CreateModel(
            name='Booking',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('form_data', models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder)),
                ('submit_time', models.DateTimeField(auto_now_add=True, verbose_name='submit time')),
                ('reference', models.CharField(default=wagtail_courses.models.bookings.new_reference, editable=False, max_length=8, unique=True, verbose_name='reference')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('email', models.EmailField(max_length=254, verbose_name='email')),
                ('status', models.CharField(choices=[('submitted', 'Submitted'), ('awaiting_email', 'Awaiting email confirmation'), ('awaiting_approval', 'Awaiting approval'), ('awaiting_payment', 'Awaiting payment'), ('confirmed', 'Confirmed'), ('waitlisted', 'On the waitlist'), ('cancelled', 'Cancelled'), ('declined', 'Declined'), ('expired', 'Expired')], default='submitted', max_length=20, verbose_name='status')),
                ('submission_token', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True)),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('page', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=PAGE_MODEL)),
            ],
            options={
                'verbose_name': 'booking',
                'verbose_name_plural': 'bookings',
                'ordering': ['-submit_time'],
                'permissions': [('cancel_booking', 'Can cancel bookings')],
            },
        ),
        migrations.CreateModel(
            name='BookingStatusChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_status', models.CharField(blank=True, choices=[('submitted', 'Submitted'), ('awaiting_email', 'Awaiting email confirmation'), ('awaiting_approval', 'Awaiting approval'), ('awaiting_payment', 'Awaiting payment'), ('confirmed', 'Confirmed'), ('waitlisted', 'On the waitlist'), ('cancelled', 'Cancelled'), ('declined', 'Declined'), ('expired', 'Expired')], max_length=20, verbose_name='from')),
                ('to_status', models.CharField(choices=[('submitted', 'Submitted'), ('awaiting_email', 'Awaiting email confirmation'), ('awaiting_approval', 'Awaiting approval'), ('awaiting_payment', 'Awaiting payment'), ('confirmed', 'Confirmed'), ('waitlisted', 'On the waitlist'), ('cancelled', 'Cancelled'), ('declined', 'Declined'), ('expired', 'Expired')], max_length=20, verbose_name='to')),
                ('reason', models.TextField(blank=True, max_length=2000, verbose_name='reason')),
                ('changed_at', models.DateTimeField(auto_now_add=True, verbose_name='when')),
                ('booking', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='history', to='wagtail_courses.booking', verbose_name='booking')),
                ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
            ],
            options={
                'verbose_name': 'booking status change',
                'verbose_name_plural': 'booking status changes',
                'ordering': ['changed_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='CourseFormField',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('clean_name', models.CharField(blank=True, default='', help_text='Safe name of the form field, the label converted to ascii_snake_case', max_length=255, verbose_name='name')),
                ('label', models.CharField(help_text='The label of the form field', max_length=255, verbose_name='label')),
                ('field_type', models.CharField(choices=[('singleline', 'Single line text'), ('multiline', 'Multi-line text'), ('email', 'Email'), ('number', 'Number'), ('url', 'URL'), ('checkbox', 'Checkbox'), ('checkboxes', 'Checkboxes'), ('dropdown', 'Drop down'), ('multiselect', 'Multiple select'), ('radio', 'Radio buttons'), ('date', 'Date'), ('datetime', 'Date/time'), ('hidden', 'Hidden field')], max_length=16, verbose_name='field type')),
                ('required', models.BooleanField(default=True, verbose_name='required')),
                ('choices', models.TextField(blank=True, help_text='Comma or new line separated list of choices. Only applicable in checkboxes, radio and dropdown.', verbose_name='choices')),
                ('default_value', models.TextField(blank=True, help_text='Default value. Comma or new line separated values supported for checkboxes.', verbose_name='default value')),
                ('help_text', models.CharField(blank=True, max_length=255, verbose_name='help text')),
                ('page', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='form_fields', to='wagtail_courses.eventpage', verbose_name='course')),
            ],
            options={
                'verbose_name': 'application form question',
                'verbose_name_plural': 'application form questions',
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='OutboundEmail',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=50, verbose_name='kind')),
                ('to', models.JSONField(default=list, verbose_name='to')),
                ('reply_to', models.JSONField(blank=True, default=list, verbose_name='reply to')),
                ('subject', models.CharField(max_length=255, verbose_name='subject')),
                ('body_text', models.TextField(verbose_name='text')),
                ('body_html', models.TextField(blank=True, verbose_name='HTML')),
                ('attachments', models.JSONField(blank=True, default=list, verbose_name='attachments')),
                ('tags', models.JSONField(blank=True, default=list)),
                ('metadata', models.JSONField(blank=True, default=dict)),
                ('status', models.CharField(choices=[('pending', 'Waiting to be sent'), ('sent', 'Sent'), ('failed', 'Failed'), ('delivered', 'Delivered'), ('bounced', 'Bounced'), ('rejected', 'Rejected'), ('complained', 'Marked as spam'), ('opened', 'Opened')], default='pending', max_length=20, verbose_name='status')),
                ('error', models.TextField(blank=True, verbose_name='error')),
                ('attempts', models.PositiveIntegerField(default=0, verbose_name='attempts')),
                ('message_id', models.CharField(blank=True, db_index=True, max_length=255, verbose_name='provider message id')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                ('status_changed_at', models.DateTimeField(blank=True, null=True, verbose_name='status changed')),
                ('booking', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='emails', to='wagtail_courses.booking', verbose_name='booking')),
            ],
            options={
                'verbose_name': 'email',
                'verbose_name_plural': 'emails',
                'ordering': ['created_at', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='booking',
            constraint=models.UniqueConstraint(models.F('page'), django.db.models.functions.text.Lower('email'), condition=models.Q(('status__in', ['submitted', 'awaiting_email', 'awaiting_approval', 'awaiting_payment', 'confirmed', 'waitlisted'])), name='wagtail_courses_one_active_booking_per_email', violation_error_message='This email address already has an application for this course.'),
        ),
    ]
