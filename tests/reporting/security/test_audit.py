"""The audit trail: who opened which patient's record, and who changed clinical records.

Staff views leave an access record; a family member's views of their own patient do not;
nobody edits or deletes the records from the app; admins search them by patient or user."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reporting import services
from reporting.models import AccessRecord, Snooze
from reporting.security.audit import audit_trail_purge
from tests.factories import UserFactory
from tests.reporting.dashboard.factories import raise_alert

pytestmark = pytest.mark.django_db
What = AccessRecord.What


@pytest.fixture
def alert(patient: Any, family: Any) -> Any:
    return raise_alert(patient, "urgent", by=family)


def opened(client: Client, name: str, *args: int) -> None:
    response = client.get(reverse(name, args=args), REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 200, (name, response.status_code)


def test_a_nurse_opening_a_patient_page_leaves_one_access_record(
    nurse_client: Client, nurse: Any, patient: Any
) -> None:
    opened(nurse_client, "nurse_patient", patient.pk)
    record = AccessRecord.objects.get()
    assert (record.user, record.username) == (nurse, nurse.username)
    assert (record.patient, record.hospital_number) == (patient, patient.hospital_number)
    assert record.what == What.PATIENT_RECORD
    assert record.address == "10.20.30.40"
    assert abs(record.at - timezone.now()) < dt.timedelta(seconds=10)


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("alert_detail", What.ALERT),
        ("report_result", What.REPORT),
        ("patient_history", What.HISTORY),
        ("patient_detail", What.PATIENT_RECORD),
        ("treatment_cycles", What.TREATMENT_CYCLES),
    ],
)
def test_every_staff_view_of_a_record_is_recorded(
    nurse_client: Client, patient: Any, alert: Any, name: str, what: str
) -> None:
    target = {
        "alert_detail": alert.pk,
        "report_result": alert.reports.get().pk,
    }.get(name, patient.pk)
    opened(nurse_client, name, target)
    record = AccessRecord.objects.get()
    assert (record.patient_id, record.what) == (patient.pk, what)
    if name in ("alert_detail", "report_result"):
        assert record.object_id == target


def test_a_family_member_opening_their_own_patient_leaves_none(
    client: Client, family: Any, patient: Any, alert: Any
) -> None:
    client.force_login(family)
    opened(client, "patient_detail", patient.pk)
    opened(client, "patient_history", patient.pk)
    opened(client, "report_result", alert.reports.get().pk)
    assert not AccessRecord.objects.exists()


def test_a_refused_view_leaves_no_record(
    client: Client, outsider: Any, patient: Any, alert: Any
) -> None:
    client.force_login(outsider)
    assert client.get(reverse("nurse_patient", args=[patient.pk])).status_code == 404
    assert client.get(reverse("alert_detail", args=[alert.pk])).status_code == 404
    assert not AccessRecord.objects.exists()


def test_an_admin_opening_a_patient_in_the_admin_is_recorded(client: Client, patient: Any) -> None:
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    client.force_login(admin)
    opened(client, "admin:reporting_patient_change", patient.pk)
    record = AccessRecord.objects.get()
    assert (record.user, record.what) == (admin, What.PATIENT_ADMIN)


def test_access_records_cannot_be_changed_or_deleted(nurse_client: Client, patient: Any) -> None:
    opened(nurse_client, "nurse_patient", patient.pk)
    record = AccessRecord.objects.get()
    record.what = What.ALERT
    with pytest.raises(TypeError):
        record.save()
    with pytest.raises(TypeError):
        record.delete()
    with pytest.raises(TypeError):
        AccessRecord.objects.all().delete()
    with pytest.raises(TypeError):
        AccessRecord.objects.update(address="x")
    assert AccessRecord.objects.get().what == What.PATIENT_RECORD


def test_admins_search_them_by_patient_and_by_user_and_cannot_edit_them(
    nurse_client: Client, nurse: Any, patient: Any, stranger_patient: Any, client: Client
) -> None:
    opened(nurse_client, "nurse_patient", patient.pk)
    AccessRecord.objects.create(
        username="other-nurse",
        hospital_number=stranger_patient.hospital_number,
        patient=stranger_patient,
        what=What.PATIENT_RECORD,
        address="10.0.0.9",
    )
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    url = reverse("admin:reporting_accessrecord_changelist")
    by_patient = client.get(url, {"q": patient.hospital_number}).content.decode()
    assert nurse.username in by_patient and "other-nurse" not in by_patient
    by_user = client.get(url, {"q": "other-nurse"}).content.decode()
    assert stranger_patient.hospital_number in by_user
    assert patient.hospital_number not in by_user
    record = AccessRecord.objects.filter(username=nurse.username).get()
    change = client.get(reverse("admin:reporting_accessrecord_change", args=[record.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    delete = client.post(
        reverse("admin:reporting_accessrecord_delete", args=[record.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert AccessRecord.objects.filter(pk=record.pk).exists()


def test_changes_to_clinical_records_keep_who_and_when(
    nurse_client: Client, nurse: Any, patient: Any, alert: Any
) -> None:
    services.snooze_symptom(nurse=nurse, patient=patient, code="fatigue", days=3)
    snooze = Snooze.objects.get()
    assert snooze.history.count() == 1
    response = nurse_client.post(reverse("alert_act", args=[alert.pk]), {"step": "acknowledge"})
    assert response.status_code == 302
    changes = alert.history.order_by("history_date")
    acknowledged = changes.last()
    assert acknowledged.status == "acknowledged"
    assert acknowledged.history_user == nurse
    assert acknowledged.history_type == "~"


def test_a_regimen_change_in_the_admin_is_in_the_patient_history(
    client: Client, patient: Any
) -> None:
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    client.force_login(admin)
    history = reverse("admin:reporting_patient_history", args=[patient.pk])
    assert client.get(history).status_code == 200
    before = patient.history.count()
    patient.regimen = ["atezolizumab"]
    patient._history_user = admin
    patient.save()
    latest = patient.history.first()
    assert patient.history.count() == before + 1
    assert (latest.regimen, latest.history_user) == (["atezolizumab"], admin)
    listing = client.get(
        reverse("admin:reporting_historicalpatient_changelist"), {"q": patient.hospital_number}
    )
    assert listing.status_code == 200 and admin.username in listing.content.decode()


def test_retention_deletes_only_what_is_older(
    nurse_client: Client, patient: Any, settings: Any
) -> None:
    settings.IMMUNOWATCH_AUDIT_RETENTION_DAYS = 30
    opened(nurse_client, "nurse_patient", patient.pk)
    later = timezone.now() + dt.timedelta(days=31)
    kept = AccessRecord.objects.create(
        username="x", hospital_number="H", what=What.ALERT, address="a", at=later
    )
    assert audit_trail_purge(now=later) >= 2  # the old access record and the old history
    assert list(AccessRecord.objects.all()) == [kept]
    assert not patient.history.exists()


def test_retention_zero_keeps_everything(nurse_client: Client, patient: Any, settings: Any) -> None:
    settings.IMMUNOWATCH_AUDIT_RETENTION_DAYS = 0
    opened(nurse_client, "nurse_patient", patient.pk)
    assert audit_trail_purge(now=timezone.now() + dt.timedelta(days=10_000)) == 0
    assert AccessRecord.objects.count() == 1


def test_the_retention_task_is_on_the_beat_schedule() -> None:
    from config.celery import app

    entry = app.conf.beat_schedule["purge-audit-trail"]
    assert entry["task"] == "reporting.tasks.audit.purge_audit_trail"


def test_the_planned_infusion_and_a_replaced_snooze_are_in_the_history(
    nurse: Any, patient: Any
) -> None:
    from reporting.services import care

    planned = timezone.localdate() + dt.timedelta(days=5)
    care.next_infusion_plan(nurse=nurse, patient=patient, on=planned)
    latest = patient.history.first()
    assert (latest.next_infusion_on, latest.history_user) == (planned, nurse)
    first = services.snooze_symptom(nurse=nurse, patient=patient, code="fatigue", days=3)
    services.snooze_symptom(nurse=nurse, patient=patient, code="fatigue", days=5)
    replaced = first.history.order_by("history_date").last()
    assert replaced.cancelled_at is not None
