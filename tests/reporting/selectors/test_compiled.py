"""CompiledQuery: an ORM query compiled once, run with new ids and moments each time, gives
what the ORM gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reporting.models import Alert, CaregiverLink, Patient, Report
from reporting.selectors.compiled import CompiledQuery, field_names, model_row
from tests.factories import CaregiverLinkFactory, PatientFactory
from tests.reporting.dashboard.factories import SYMPTOMS, submit

pytestmark = pytest.mark.django_db


def _reports_between(patient_id: Any, earliest: Any, latest: Any) -> QuerySet[Report, Any]:
    return (
        Report.objects.filter(
            patient_id=patient_id, submitted_at__gte=earliest, submitted_at__lte=latest
        )
        .order_by("submitted_at", "pk")
        .values_list("pk")
    )


REPORTS_BETWEEN = CompiledQuery(
    _reports_between, patient_id=int, earliest=dt.datetime, latest=dt.datetime
)


def test_rows_are_the_orms_for_each_set_of_values() -> None:
    patients = PatientFactory.create_batch(2)
    for patient in patients:
        for days in (1, 5, 20):
            submit(patient, SYMPTOMS["routine"], ago=dt.timedelta(days=days))
    now = timezone.now()
    for patient in patients:
        for window in (dt.timedelta(days=2), dt.timedelta(days=7), dt.timedelta(days=30)):
            values: dict[str, Any] = {
                "patient_id": patient.pk,
                "earliest": now - window,
                "latest": now,
            }
            compiled = REPORTS_BETWEEN.rows(**values)
            assert compiled == list(_reports_between(**values))
            assert len(compiled) == {2: 1, 7: 2, 30: 3}[window.days]


def test_the_querys_own_constants_stay_in_place() -> None:
    patient = PatientFactory.create()
    submit(patient, SYMPTOMS["urgent"])
    open_alerts = CompiledQuery(
        lambda patient_id: Alert.objects.filter(
            patient_id=patient_id, status__in=(Alert.Status.NEW, Alert.Status.ACKNOWLEDGED)
        ).values_list("pk"),
        patient_id=int,
    )
    assert open_alerts.rows(patient_id=patient.pk) == [(Alert.objects.get().pk,)]
    Alert.objects.update(status=Alert.Status.RESOLVED)
    assert open_alerts.rows(patient_id=patient.pk) == []
    # Written into the statement as literals (a prepared statement's plan then knows them),
    # the parameter ours alone.
    with CaptureQueriesContext(connection) as queries:
        open_alerts.rows(patient_id=patient.pk)
    (statement,) = queries.captured_queries
    assert "IN ('new', 'acknowledged')" in statement["sql"]


def test_constants_with_quotes_and_percent_signs_are_written_as_they_are() -> None:
    odd = ["50% o'clock", "%s", "100%%", "back\\slash"]
    patients = [PatientFactory.create(full_name=name) for name in odd]
    by_name = CompiledQuery(
        lambda patient_id: Patient.objects.filter(pk=patient_id, full_name__in=odd).values_list(
            "full_name"
        ),
        patient_id=int,
    )
    for patient, name in zip(patients, odd, strict=True):
        assert by_name.rows(patient_id=patient.pk) == [(name,)]
    other = PatientFactory.create(full_name="Somebody else")
    assert by_name.rows(patient_id=other.pk) == []


def test_it_is_compiled_once_and_run_as_one_statement() -> None:
    built = []

    def build(patient_id: Any) -> QuerySet[Patient, Any]:
        built.append(patient_id)
        return Patient.objects.filter(pk=patient_id).values_list("pk")

    query = CompiledQuery(build, patient_id=int)
    patients = PatientFactory.create_batch(3)
    for patient in patients:
        with CaptureQueriesContext(connection) as queries:
            assert query.rows(patient_id=patient.pk) == [(patient.pk,)]
        assert len(queries.captured_queries) == 1
    assert len(built) == 1  # once, with a marker, not a real id
    assert built[0] not in {patient.pk for patient in patients}


def test_wrong_parameter_names_are_refused() -> None:
    with pytest.raises(TypeError):
        REPORTS_BETWEEN.rows(patient_id=1, earliest=timezone.now())
    with pytest.raises(TypeError):
        REPORTS_BETWEEN.rows(patient=1, earliest=timezone.now(), latest=timezone.now())


def test_a_parameter_the_query_changes_before_using_it_is_a_mistake_found_at_once() -> None:
    # `when - 14 days` is not the value passed in: its place cannot be found in the SQL.
    shifted = CompiledQuery(
        lambda when: Report.objects.filter(submitted_at__gte=when - dt.timedelta(days=14)),
        when=dt.datetime,
    )
    with pytest.raises(ValueError, match="when"):
        shifted.rows(when=timezone.now())


def test_values_come_back_converted_as_the_orms() -> None:
    # JSON, moments and booleans: SQLite gives text and 0/1, the ORM's converters make them
    # Python's, and so do the compiled query's.
    patient = PatientFactory.create(regimen=["atezolizumab", "bevacizumab"])
    submit(patient, SYMPTOMS["urgent"])

    def build(patient_id: Any) -> QuerySet[Alert, Any]:
        return Alert.objects.filter(patient_id=patient_id).values_list(
            "suspected_irae", "created_at", "has_new_information", "patient__regimen"
        )

    compiled = CompiledQuery(build, patient_id=int).rows(patient_id=patient.pk)
    assert compiled == list(build(patient.pk))
    irae, created_at, new_information, regimen = compiled[0]
    assert isinstance(irae, list) and isinstance(created_at, dt.datetime)
    assert new_information is False and regimen == ["atezolizumab", "bevacizumab"]


def test_model_rows_are_the_objects_the_orm_loads() -> None:
    link = CaregiverLinkFactory.create()
    names = field_names(CaregiverLink) + field_names(Patient, "patient__")
    query = CompiledQuery(
        lambda link_id: CaregiverLink.objects.filter(pk=link_id).values_list(*names),
        link_id=int,
    )
    row = query.rows(link_id=link.pk)[0]
    split = len(field_names(CaregiverLink))
    built = model_row(CaregiverLink, row[:split])
    patient = model_row(Patient, row[split:])
    loaded = CaregiverLink.objects.select_related("patient").get(pk=link.pk)
    for field in CaregiverLink._meta.concrete_fields:
        assert getattr(built, field.attname) == getattr(loaded, field.attname)
    for field in Patient._meta.concrete_fields:
        assert getattr(patient, field.attname) == getattr(loaded.patient, field.attname)
    assert built._state.adding is False and patient._state.db == "default"
