from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "example_site.demo"
    label = "demo"
    verbose_name = "Demo site"
    default_auto_field = "django.db.models.BigAutoField"
