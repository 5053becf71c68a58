"""Who opened which patient's record: one row per staff view, never changed or deleted from
the app (README, "Audit trail"). Changes to clinical records are kept by
django-simple-history on the models themselves (`history = HistoricalRecords()`)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessRecordQuerySet(models.QuerySet["AccessRecord"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("Access records are append-only.")

    def delete(self) -> NoReturn:
        raise TypeError("Access records are append-only; the retention task removes old ones.")


class AccessRecord(models.Model):
    class What(models.TextChoices):
        PATIENT_RECORD = "patient_record", _("Patient record")
        ALERT = "alert", _("Alert")
        REPORT = "report", _("Report")
        HISTORY = "history", _("Report history")
        TREATMENT_CYCLES = "treatment_cycles", _("Treatment cycles")
        PATIENT_ADMIN = "patient_admin", _("Patient in the admin")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # Kept when the user or patient is deleted: the trail outlives both.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150)
    patient = models.ForeignKey(
        "reporting.Patient",
        verbose_name=_("patient"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    hospital_number = models.CharField(_("hospital number"), max_length=40)
    what = models.CharField(_("what"), max_length=20, choices=What.choices)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=64)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-at"], name="access_by_patient"),
            models.Index(fields=["user", "-at"], name="access_by_user"),
        ]
        verbose_name = _("access record")
        verbose_name_plural = _("access records")

    def __str__(self) -> str:
        return f"{self.username} · {self.hospital_number} · {self.what}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Access records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("Access records are append-only.")
