from __future__ import annotations

from django.db import models
from django.utils import timezone


class Item(models.Model):
    name = models.CharField(max_length=100)
    value = models.IntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        app_label = "baseline"

    def __str__(self) -> str:
        return self.name
