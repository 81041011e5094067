from django.apps import AppConfig


class CustomPageModelConfig(AppConfig):
    name = "tests.custom_page_model"
    label = "custom_page_model"
    default_auto_field = "django.db.models.BigAutoField"
