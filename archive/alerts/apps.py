from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "archive.alerts"
    label = "alerts"
    verbose_name = "Readers' alerts"
    default_auto_field = "django.db.models.BigAutoField"
