"""Production settings refuse to start unsafely, and pass `manage.py check --deploy` when safe.

Each case runs in a fresh interpreter: settings are read once, at import.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# 64 characters, many different ones, no insecure prefix: what `check --deploy` accepts.
REAL_KEY = "x" * 20 + "a-real-secret-from-the-environment-0123456789"
SITE = "https://immunowatch.example.org"
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": REAL_KEY,
    "SITE_URL": SITE,
    "DJANGO_ALLOWED_HOSTS": "immunowatch.example.org",
}


def _environment(values: Mapping[str, str | None]) -> dict[str, str]:
    """This process's environment without any DJANGO_* or SITE_URL, then `values` (None: unset).

    The test run itself provides test values for both (config/settings_test.py); a child
    must see only what the case gives it.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "SITE_URL"}
    env.update({k: v for k, v in values.items() if v is not None})
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return env


def run_check(values: Mapping[str, str | None]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_environment(values),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def import_settings(
    values: Mapping[str, str | None], setting: str = "SITE_URL"
) -> subprocess.CompletedProcess[str]:
    code = f"from django.conf import settings; print(settings.{setting})"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_environment(values),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    message = result.stderr.strip().splitlines()[-1]
    for word in words:
        assert word in message, message


def test_check_deploy_is_clean_in_production() -> None:
    result = run_check(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_starts_with_a_real_key_and_a_site_url() -> None:
    result = import_settings(PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == SITE


def test_debug_off_is_the_default_so_nothing_set_is_refused() -> None:
    # No DJANGO_DEBUG at all is production: the same refusals as DJANGO_DEBUG=false.
    assert_refused(import_settings({}), "DJANGO_SECRET_KEY")


def test_production_refuses_to_start_without_a_secret_key() -> None:
    assert_refused(
        import_settings({**PRODUCTION, "DJANGO_SECRET_KEY": None}),
        "DJANGO_SECRET_KEY is not set",
        "DJANGO_DEBUG=false",
    )


def test_production_refuses_an_empty_secret_key() -> None:
    assert_refused(
        import_settings({**PRODUCTION, "DJANGO_SECRET_KEY": ""}), "DJANGO_SECRET_KEY is not set"
    )


@pytest.mark.parametrize(
    "key",
    [
        # the development fallback itself
        "django-insecure-immunowatch-local-development-key-do-not-use-in-production",
        # what `startproject` generates: long, but marked insecure
        "django-insecure-" + "k3y" * 20,
    ],
)
def test_production_refuses_an_insecure_secret_key(key: str) -> None:
    assert_refused(
        import_settings({**PRODUCTION, "DJANGO_SECRET_KEY": key}),
        "DJANGO_SECRET_KEY",
        "django-insecure",
    )


@pytest.mark.parametrize("key", ["short-but-random-9f2c", "ab" * 30])
def test_production_refuses_a_short_or_repetitive_secret_key(key: str) -> None:
    assert_refused(
        import_settings({**PRODUCTION, "DJANGO_SECRET_KEY": key}),
        "DJANGO_SECRET_KEY",
        "at least 50 characters",
    )


@pytest.mark.parametrize("site_url", [None, "", "  "])
def test_production_refuses_to_start_without_site_url(site_url: str | None) -> None:
    assert_refused(import_settings({**PRODUCTION, "SITE_URL": site_url}), "SITE_URL is not set")


def test_production_refuses_a_site_url_that_is_not_an_absolute_address() -> None:
    assert_refused(
        import_settings({**PRODUCTION, "SITE_URL": "immunowatch.example.org"}),
        "SITE_URL",
        "https://",
    )


def test_development_needs_neither() -> None:
    result = import_settings({"DJANGO_DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:8000"


def test_the_test_run_uses_test_values_not_the_development_ones() -> None:
    # pytest selects config.settings_test (pyproject), which supplies both for `python -m
    # pytest` with an empty environment; `make test` sets them too.
    from django.conf import settings

    assert not settings.DEBUG
    assert not settings.SECRET_KEY.startswith("django-insecure")
    assert os.environ["DJANGO_SECRET_KEY"] == settings.SECRET_KEY  # inherited by subprocesses
    assert os.environ["SITE_URL"].rstrip("/") == settings.SITE_URL


def test_argon2_is_the_first_hasher() -> None:
    from django.conf import settings

    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (PRODUCTION, "True"),
        ({**PRODUCTION, "IMMUNOWATCH_REQUIRE_STAFF_2FA": "false"}, "False"),
        ({"DJANGO_DEBUG": "true"}, "False"),  # make run's demo users log in with a password
        ({"DJANGO_DEBUG": "true", "IMMUNOWATCH_REQUIRE_STAFF_2FA": "true"}, "True"),
    ],
)
def test_staff_two_factor_is_required_in_production_by_default(
    values: dict[str, str], expected: str
) -> None:
    result = import_settings(values, "IMMUNOWATCH_REQUIRE_STAFF_2FA")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


POSTGRES = "postgres://postgres@127.0.0.1:5432/immunowatch"
DATABASE_OPTIONS = "DATABASES['default'].get('OPTIONS')"


def test_postgresql_prepares_repeated_statements_by_default() -> None:
    result = import_settings({**PRODUCTION, "DATABASE_URL": POSTGRES}, DATABASE_OPTIONS)
    assert result.returncode == 0, result.stderr
    assert "'server_side_binding': True" in result.stdout
    assert "'prepare_threshold': 3" in result.stdout


def test_prepared_statements_can_be_turned_off_for_a_pooler() -> None:
    values = {**PRODUCTION, "DATABASE_URL": POSTGRES, "DATABASE_PREPARED_STATEMENTS": "false"}
    result = import_settings(values, DATABASE_OPTIONS)
    assert result.returncode == 0, result.stderr
    assert "server_side_binding" not in result.stdout
    assert "prepare_threshold" not in result.stdout


def test_sqlite_has_no_such_options() -> None:
    values = {**PRODUCTION, "DATABASE_URL": "sqlite:////tmp/immunowatch-settings-test.sqlite3"}
    result = import_settings(values, DATABASE_OPTIONS)
    assert result.returncode == 0, result.stderr
    assert "server_side_binding" not in result.stdout
