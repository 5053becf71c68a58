"""No traceback ever reaches a user; the error page still says whom to call."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as site_urls


def _broken_view(request: Any) -> Any:
    raise RuntimeError("secret internal detail")


urlpatterns = [*site_urls, path("broken/", _broken_view)]
handler500 = "reporting.views.errors.server_error"


@pytest.mark.urls("tests.reporting.test_errors")
def test_a_crash_shows_the_plain_page_with_the_numbers(settings: Any, db: Any) -> None:
    settings.IMMUNOWATCH_EMERGENCY_NUMBER = "115"
    settings.IMMUNOWATCH_HOTLINE = "1900 1234"
    response = Client(raise_request_exception=False).get("/broken/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "secret internal detail" not in page and "Traceback" not in page
    assert 'href="tel:115"' in page and 'href="tel:19001234"' in page
    assert ">1900 1234</a>" in page
    assert "does not replace calling your care team" in page
