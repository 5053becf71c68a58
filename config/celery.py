"""The Celery app: `celery -A config worker` and `celery -A config beat`.

Periodic tasks are all declared here, in code, so that exactly one beat process schedules them.
"""

from __future__ import annotations

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("immunowatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_broker_folders() -> None:
    """The embedded filesystem broker needs its folders before anyone publishes."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder"):
        if key in options:
            Path(options[key]).mkdir(parents=True, exist_ok=True)

# Each entry: name -> task, schedule (seconds), and `expires` so missed runs do not pile up.
app.conf.beat_schedule = {}
