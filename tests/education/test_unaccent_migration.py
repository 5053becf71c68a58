"""Migration 0006 adds unaccent where it may, and never breaks `migrate` where it may not."""

from __future__ import annotations

import importlib
import logging
import uuid
from typing import Any

import pytest
from django.db import connection

from education import selectors

MIGRATION = importlib.import_module("education.migrations.0006_unaccent_extension")
pytestmark = pytest.mark.django_db


@pytest.fixture
def postgresql(db_vendor: str) -> None:
    if db_vendor != "postgresql":
        pytest.skip("PostgreSQL only: run with DATABASE_URL set")


def _installed() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
        return cursor.fetchone() is not None


def test_the_test_database_has_it(postgresql: None) -> None:
    assert _installed()
    assert MIGRATION.create_unaccent(connection) is True


def test_a_refused_privilege_is_logged_and_migrate_goes_on(
    postgresql: None, caplog: pytest.LogCaptureFixture
) -> None:
    # All inside the test's transaction, rolled back afterwards: no extension, and a role
    # without CREATE on the database, as on a managed database for an app's own user.
    role = f"iw_no_extensions_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute("DROP EXTENSION unaccent")
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"SET LOCAL ROLE {role}")
    with caplog.at_level(logging.WARNING, logger=MIGRATION.__name__):
        assert MIGRATION.create_unaccent(connection) is False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # the transaction is still usable
        cursor.execute("RESET ROLE")
    assert not _installed()
    assert "refused CREATE EXTENSION unaccent" in caplog.text


def test_nothing_happens_on_other_databases(db_vendor: str) -> None:
    class Editor:
        connection: Any = type("FakeConnection", (), {"vendor": "sqlite"})()

    MIGRATION.forwards(None, Editor())  # would fail on any cursor call
    if db_vendor != "postgresql":
        assert not selectors.unaccent_available(connection.alias)
