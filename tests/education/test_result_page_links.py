"""The report result page links the starter pages of the reported symptoms, in Vietnamese."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from reporting import services
from reporting.models import User
from tests.education.conftest import client_for

pytestmark = pytest.mark.django_db


def test_result_page_links_the_vietnamese_pages_of_the_reported_symptoms(
    family: User, patient: Any
) -> None:
    report = services.report_submit(
        patient=patient,
        reported_by=family,
        reporter_role="family",
        reporter_relationship="child",
        symptoms=[
            {"code": "fever", "temperature_c": 38.2},
            {"code": "diarrhea", "stools_over_baseline": 2},
        ],
    )
    page = client_for(family, "vi").get(reverse("report_result", args=[report.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    fever, diarrhoea = body.find('href="/learn/fever-vi/"'), body.find('href="/learn/diarrhea-vi/"')
    assert -1 < fever < diarrhoea  # one link per symptom, in the order reported
    assert "Sốt" in body and "Tiêu chảy" in body
    assert 'href="/learn/fever/"' not in body
