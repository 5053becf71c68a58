"""The WSGI application serves Django's answers, and freezes the process's objects once,
after its warm-up requests (config/wsgi.py)."""

from __future__ import annotations

import io
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from config import wsgi


def call(app: Any, path: str) -> tuple[str, bytes]:
    environ: dict[str, Any] = {"PATH_INFO": path, "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    environ["HTTP_HOST"] = "testserver"
    # As behind the TLS proxy: production settings redirect plain HTTP.
    environ["wsgi.url_scheme"] = "https"
    status: list[str] = []
    body = b"".join(app(environ, lambda s, headers, exc_info=None: status.append(s)))
    return status[0], body


@pytest.mark.django_db
def test_it_answers_as_django_and_freezes_once_after_the_warm_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As Django's test client does: the test's database connection stays open between calls.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        frozen: list[int] = []
        monkeypatch.setattr(wsgi.gc, "freeze", lambda: frozen.append(1))
        monkeypatch.setattr(wsgi.gc, "collect", lambda: frozen.append(0))
        app = wsgi.FrozenAfterWarmUp(wsgi.application._app, warm_up=3)
        for number in range(1, 6):
            status, _body = call(app, "/healthz")
            assert status.startswith("200")
            assert frozen == ([0, 1] if number >= 3 else [])  # collected, then frozen
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_served_application_is_the_frozen_one() -> None:
    assert isinstance(wsgi.application, wsgi.FrozenAfterWarmUp)
    assert wsgi.WARM_UP_REQUESTS > 0
