"""The baseline's Celery app and its one task (never run during the bench: only enqueued)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.baseline.settings")
app = Celery("baseline")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(ignore_result=True)
def item_created(item_id: int) -> None:
    from bench.baseline.models import Item

    Item.objects.filter(pk=item_id).exists()
