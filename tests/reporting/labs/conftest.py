"""Fixtures of the lab tests: a patient on atezolizumab + bevacizumab who started treatment
a month ago, the hospital's reference ranges, and nurses in and out of the care team."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from reporting.models import Patient, ReferenceRange
from tests.factories import PatientFactory

START = timezone.localdate() - dt.timedelta(days=30)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ranges(db: Any) -> None:
    for test, unit, lln, uln in [
        ("alt", "U/L", None, "40"),
        ("ast", "U/L", None, "40"),
        ("bilirubin", "umol/L", None, "21"),
        ("bilirubin", "mg/dL", None, "1.2"),
        ("alp", "U/L", None, "120"),
        ("platelets", "10^9/L", "150", None),
    ]:
        ReferenceRange.objects.create(
            test=test,
            unit=unit,
            lln=Decimal(lln) if lln else None,
            uln=Decimal(uln) if uln else None,
        )


@pytest.fixture
def liver_patient(care_team: Any) -> Patient:
    return PatientFactory.create(
        care_team=care_team,
        regimen=["atezolizumab", "bevacizumab"],
        treatment_start_date=START,
        full_name="Phạm Văn Gan",
    )


def at(days: int, hour: int = 8) -> dt.datetime:
    """`days` after the treatment start, at `hour` local time."""
    return timezone.make_aware(dt.datetime.combine(START + dt.timedelta(days=days), dt.time(hour)))
