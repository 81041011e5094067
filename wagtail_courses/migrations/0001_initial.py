import django.core.validators
import django.db.models.deletion
import modelcluster.fields
import wagtail.fields
import wagtail_courses.conf
import wagtail_courses.validators
from django.conf import settings
from django.db import migrations, models

# Wagtail 8 lets a site swap the Page model (WAGTAIL_PAGE_MODEL); Wagtail 7 has no such setting.
PAGE_MODEL = getattr(settings, "WAGTAIL_PAGE_MODEL", "wagtailcore.Page")
# Django names a page type's link to its base page after the base page model: page_ptr, or
# basepage_ptr under a site's BasePage.
PAGE_PTR = PAGE_MODEL.rpartition(".")[2].lower() + "_ptr"


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(PAGE_MODEL),
        ('wagtailcore', '0094_alter_page_locale'),
        ('wagtailimages', '0027_image_description'),
    ]

    operations = [
        migrations.CreateModel(
            name='EventIndexPage',
            fields=[
                (PAGE_PTR, models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=PAGE_MODEL)),
                ('intro', wagtail.fields.RichTextField(blank=True, help_text='A few words shown above the list.', verbose_name='introduction')),
            ],
            options={
                'verbose_name': 'events index',
                'verbose_name_plural': 'events indexes',
            },
            bases=(PAGE_MODEL,),
        ),
        migrations.CreateModel(
            name='EventPage',
            fields=[
                (PAGE_PTR, models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=PAGE_MODEL)),
                ('summary', models.TextField(help_text='One or two sentences, shown under the title and on the list of courses.', max_length=500, verbose_name='summary')),
                ('body', wagtail.fields.StreamField([('heading', 0), ('paragraph', 1), ('image', 6), ('callout', 9)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'form_classname': 'title', 'help_text': 'A section heading, such as “Who is the course for?”', 'label': 'Heading', 'max_length': 120, 'template': 'wagtail_courses/blocks/heading.html'}), 1: ('wagtail.blocks.RichTextBlock', (), {'features': ['h3', 'bold', 'italic', 'link', 'ol', 'ul'], 'label': 'Rich text'}), 2: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': 'Image'}), 3: ('wagtail.blocks.CharBlock', (), {'help_text': "What the image shows, for people who cannot see it. Leave blank to use the image's own description.", 'label': 'Alternative text', 'max_length': 255, 'required': False}), 4: ('wagtail.blocks.BooleanBlock', (), {'help_text': 'Tick if the image adds nothing a reader needs: screen readers skip it.', 'label': 'Decorative', 'required': False}), 5: ('wagtail.blocks.CharBlock', (), {'label': 'Caption', 'max_length': 255, 'required': False}), 6: ('wagtail.blocks.StructBlock', [[('image', 2), ('alt_text', 3), ('decorative', 4), ('caption', 5)]], {}), 7: ('wagtail.blocks.CharBlock', (), {'label': 'Title', 'max_length': 120, 'required': False}), 8: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ul', 'ol'], 'label': 'Text'}), 9: ('wagtail.blocks.StructBlock', [[('title', 7), ('text', 8)]], {})}, help_text='What the course is, who it is for and how it runs.', verbose_name='body')),
                ('delivery_mode', models.CharField(choices=[('online', 'Online'), ('in_person', 'In person'), ('hybrid', 'Hybrid (online and in person)')], default='online', max_length=20, verbose_name='delivery mode')),
                ('venue', models.CharField(blank=True, help_text='Where it takes place. Leave blank for an online course: it shows “Online”.', max_length=255, verbose_name='venue')),
                ('time_zone', models.CharField(default=wagtail_courses.conf.default_time_zone, help_text='Session times are entered and shown in this time zone.', max_length=64, validators=[wagtail_courses.validators.validate_time_zone], verbose_name='time zone')),
                ('price', models.DecimalField(decimal_places=2, default=0, help_text='The price of a paid place. Zero shows as “Free”.', max_digits=8, validators=[django.core.validators.MinValueValidator(0)], verbose_name='price')),
                ('currency', models.CharField(default=wagtail_courses.conf.default_currency, help_text='A three-letter ISO 4217 code, such as GBP.', max_length=3, validators=[django.core.validators.RegexValidator('^[A-Z]{3}$', 'Enter a three-letter currency code, such as GBP.')], verbose_name='currency')),
                ('booking_information', wagtail.fields.RichTextField(blank=True, help_text='Shown under “Apply and book your place”: how booking works for this course.', verbose_name='booking information')),
            ],
            options={
                'verbose_name': 'course',
                'verbose_name_plural': 'courses',
            },
            bases=(PAGE_MODEL,),
        ),
        migrations.CreateModel(
            name='FacilitatorIndexPage',
            fields=[
                (PAGE_PTR, models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=PAGE_MODEL)),
                ('intro', wagtail.fields.RichTextField(blank=True, help_text='A few words shown above the list.', verbose_name='introduction')),
            ],
            options={
                'verbose_name': 'facilitators index',
                'verbose_name_plural': 'facilitators indexes',
            },
            bases=(PAGE_MODEL,),
        ),
        migrations.CreateModel(
            name='SessionPage',
            fields=[
                (PAGE_PTR, models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=PAGE_MODEL)),
                ('start', models.DateTimeField(verbose_name='start')),
                ('end', models.DateTimeField(verbose_name='end')),
                ('description', wagtail.fields.RichTextField(blank=True, verbose_name='description')),
                ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('cancelled', 'Cancelled')], default='scheduled', help_text='A cancelled session stays on the page, marked as cancelled.', max_length=20, verbose_name='status')),
            ],
            options={
                'verbose_name': 'session',
                'verbose_name_plural': 'sessions',
            },
            bases=(PAGE_MODEL,),
        ),
        migrations.CreateModel(
            name='FacilitatorPage',
            fields=[
                (PAGE_PTR, models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=PAGE_MODEL)),
                ('job_title', models.CharField(blank=True, max_length=255, verbose_name='job title')),
                ('organisation', models.CharField(blank=True, max_length=255, verbose_name='organisation')),
                ('portrait_alt_text', models.CharField(blank=True, help_text='Leave blank for “Portrait of <name>”.', max_length=255, verbose_name='portrait alternative text')),
                ('biography', wagtail.fields.RichTextField(blank=True, verbose_name='biography')),
                ('contact_email', models.EmailField(blank=True, help_text="Receives applications for this facilitator's courses. Never shown on the website.", max_length=254, verbose_name='contact email')),
                ('portrait', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name='portrait')),
            ],
            options={
                'verbose_name': 'facilitator',
                'verbose_name_plural': 'facilitators',
            },
            bases=(PAGE_MODEL,),
        ),
        migrations.CreateModel(
            name='EventFacilitator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('role', models.CharField(blank=True, help_text='Optional, such as “Course lead”.', max_length=100, verbose_name='role')),
                ('page', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='facilitator_links', to='wagtail_courses.eventpage', verbose_name='course')),
                ('facilitator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='course_links', to='wagtail_courses.facilitatorpage', verbose_name='facilitator')),
            ],
            options={
                'verbose_name': 'course facilitator',
                'verbose_name_plural': 'course facilitators',
                'ordering': ['sort_order'],
                'abstract': False,
                'constraints': [models.UniqueConstraint(fields=('page', 'facilitator'), name='wagtail_courses_unique_course_facilitator')],
            },
        ),
    ]
