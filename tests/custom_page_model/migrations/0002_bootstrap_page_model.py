from django.db import migrations
from wagtail.models import (
    BootstrapLocaleField,
    BootstrapTranslatableModel,
    BootstrapTranslationKeyField,
)


class Migration(migrations.Migration):
    dependencies = [
        ("custom_page_model", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        BootstrapLocaleField("custom_page_model.BasePage"),
        BootstrapTranslationKeyField("custom_page_model.BasePage"),
        BootstrapTranslatableModel("custom_page_model.BasePage"),
    ]
