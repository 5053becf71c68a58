from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from reporting.models import CaregiverLink, CareTeamMembership, Patient

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_refuses_without_debug(settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.filter(username="demo-nurse").exists()


def test_creates_the_demo_logins_and_is_idempotent(settings: Any, capsys: Any) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (User.objects.count(), Patient.objects.count(), CaregiverLink.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Patient.objects.count(), CaregiverLink.objects.count()) == counts
    out = capsys.readouterr().out
    for username in ("demo-nurse", "demo-family", "demo-admin"):
        assert username in out
        assert User.objects.get(username=username).check_password("immunowatch-demo")
    assert Patient.objects.count() == 3
    assert CareTeamMembership.objects.get(nurse__username="demo-nurse").on_duty
    link = CaregiverLink.objects.get(user__username="demo-family")
    assert link.patient.regimen == ["atezolizumab", "bevacizumab"]
    assert link.patient.care_team.memberships.filter(nurse__username="demo-nurse").exists()


def test_force_runs_without_debug(settings: Any) -> None:
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    assert User.objects.filter(username="demo-admin", is_staff=True).exists()
