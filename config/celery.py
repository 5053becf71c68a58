"""The Celery app: `celery -A config worker` and `celery -A config beat`.

Periodic tasks are all declared here, in code, so that exactly one beat process schedules them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("immunowatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_broker_folders() -> None:
    """The embedded filesystem broker needs its folders before anyone publishes."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if key in options:
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@task_prerun.connect
@task_postrun.connect
def _recycle_database_connections(sender: Any = None, **kwargs: Any) -> None:
    """Around each task, what Django does around each request: close connections that are
    broken or older than CONN_MAX_AGE, and health-check the others on first use. Celery's own
    fix-up would close them all every time (see CELERY_DB_REUSE_MAX). Eager tasks (tests) run
    inside their caller's transaction: leave those alone."""
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    close_old_connections()


# Each entry: name -> task, schedule (seconds), and `expires` so missed runs do not pile up.
app.conf.beat_schedule = {
    # Hourly: each family link is e-mailed at most once a week (the service claims it).
    "send-checkin-reminders": {
        "task": "reporting.tasks.reminders.send_checkin_reminders",
        "schedule": 60 * 60,
        "options": {"expires": 50 * 60},
    },
    # Hourly; the services act from IMMUNOWATCH_FOLLOW_UP_HOUR and once a day each.
    "ask-follow-ups": {
        "task": "reporting.tasks.care.ask_follow_ups",
        "schedule": 60 * 60,
        "options": {"expires": 50 * 60},
    },
    "check-ins-before-infusions": {
        "task": "reporting.tasks.care.check_ins_before_infusions",
        "schedule": 60 * 60,
        "options": {"expires": 50 * 60},
    },
    # Alerts and notifications (README): escalations and lost messages come from the database.
    "escalate-overdue-alerts": {
        "task": "reporting.tasks.notifications.escalate_overdue_alerts",
        "schedule": 60,
        "options": {"expires": 50},
    },
    "sweep-notification-outbox": {
        "task": "reporting.tasks.notifications.sweep_outbox",
        "schedule": 60,
        "options": {"expires": 50},
    },
    # Nightly: access records and change history past IMMUNOWATCH_AUDIT_RETENTION_DAYS.
    "purge-audit-trail": {
        "task": "reporting.tasks.audit.purge_audit_trail",
        "schedule": crontab(minute=30, hour=3),
        "options": {"expires": 6 * 60 * 60},
    },
    # On the hour, every IMMUNOWATCH_DIGEST_HOURS hours (CELERY_TIMEZONE).
    "send-monitor-digests": {
        "task": "reporting.tasks.notifications.send_digests",
        "schedule": crontab(minute=0, hour=f"*/{settings.IMMUNOWATCH_DIGEST_HOURS}"),
        "options": {"expires": 30 * 60},
    },
}
