"""Production settings pass `manage.py check --deploy` with no warnings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_check_deploy_is_clean_in_production() -> None:
    result = run_check({
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 20 + "a-real-secret-from-the-environment-0123456789",
        "DJANGO_ALLOWED_HOSTS": "immunowatch.example.org",
    })
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_the_development_secret_key() -> None:
    result = run_check({"DJANGO_DEBUG": "false"})
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_argon2_is_the_first_hasher() -> None:
    from django.conf import settings

    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
