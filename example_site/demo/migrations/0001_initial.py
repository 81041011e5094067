import django.db.models.deletion
import wagtail.fields
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
    ]

    operations = [
        migrations.CreateModel(
            name='HomePage',
            fields=[
                (PAGE_PTR, models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=PAGE_MODEL)),
                ('intro', wagtail.fields.RichTextField(blank=True, verbose_name='introduction')),
            ],
            options={
                'verbose_name': 'home page',
            },
            bases=(PAGE_MODEL,),
        ),
    ]
