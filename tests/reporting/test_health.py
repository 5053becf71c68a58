"""GET /healthz answers 200 when the database and broker answer, 503 otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.redis_server import private_redis

pytestmark = pytest.mark.django_db


def test_healthy_with_the_configured_broker(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_needs_no_login_and_shows_no_patient_data(client: Any, patient: Any) -> None:
    body = client.get("/healthz").content.decode()
    assert patient.full_name not in body
    assert patient.hospital_number not in body


def test_503_when_the_redis_broker_goes_down(client: Any, settings: Any) -> None:
    with private_redis() as redis:
        settings.CELERY_BROKER_URL = redis.url
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
        assert client.get("/healthz").status_code == 200
        redis.stop()
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"
    assert response.json()["database"] == "ok"
