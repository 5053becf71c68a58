from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"
    verbose_name = _("Symptom reporting")

    def ready(self) -> None:
        from config.celery import ensure_broker_folders

        ensure_broker_folders()
        # The queue's count and banner follow every change (its signal receivers).
        from reporting.selectors import queue_cache  # noqa: F401
