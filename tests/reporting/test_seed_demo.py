from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from reporting.management.commands.seed_demo import DEMO_REPORTS
from reporting.models import (
    Alert,
    CaregiverLink,
    CareTeamMembership,
    Patient,
    Report,
    SymptomEntry,
)
from reporting.selectors import previous_grades
from reporting.triage import assess
from tests.support.alerts import alert_of

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
    assert Patient.objects.count() == 5  # two of them on the missed check-ins list
    assert CareTeamMembership.objects.get(nurse__username="demo-nurse").on_duty
    link = CaregiverLink.objects.get(user__username="demo-family")
    assert link.patient.regimen == ["atezolizumab", "bevacizumab"]
    assert link.patient.care_team.memberships.filter(nurse__username="demo-nurse").exists()


def test_force_runs_without_debug(settings: Any) -> None:
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    assert User.objects.filter(username="demo-admin", is_staff=True).exists()


def test_history_is_submitted_through_the_engine_and_idempotent(settings: Any) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (Report.objects.count(), SymptomEntry.objects.count(), Alert.objects.count())
    call_command("seed_demo")
    assert (Report.objects.count(), SymptomEntry.objects.count(), Alert.objects.count()) == counts
    for patient in Patient.objects.filter(hospital_number__in=DEMO_REPORTS):
        assert patient.reports.count() >= 3
    for report in Report.objects.prefetch_related("symptoms"):
        previous = report.previous_report
        again = assess(
            {
                "regimen": report.regimen or None,
                "symptoms": [{"code": e.code, **e.answers} for e in report.symptoms.all()],
                **({"previous": previous_grades(previous.pk)} if previous else {}),
            }
        )
        assert (again.level.value, list(again.suspected_irae)) == (
            report.level,
            report.suspected_irae,
        )


def test_the_demo_urgent_alert_is_the_one_open_at_the_top(settings: Any) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    an = Patient.objects.get(caregiver_links__user__username="demo-family")
    assert not Report.objects.filter(level="emergency").exists()
    assert not Alert.objects.filter(level="emergency").exists()
    urgent = Alert.objects.get(level="urgent", source=Alert.Source.REPORT)
    assert urgent.patient == an
    assert urgent.status == Alert.Status.NEW
    report = urgent.reports.get()
    assert report.symptoms.get().code == "diarrhea"
    assert report.reported_by is not None
    assert report.reported_by.username == "demo-family"
    assert urgent.created_at == report.submitted_at
    open_alerts = Alert.objects.exclude(status=Alert.Status.RESOLVED)
    assert Alert._meta.ordering is not None
    assert open_alerts.order_by(*Alert._meta.ordering).first() == urgent
    assert set(open_alerts.values_list("level", flat=True)) == {"urgent", "monitor"}
    # The older alerts were dealt with by the demo nurse, and say what was done.
    for alert in Alert.objects.filter(status=Alert.Status.RESOLVED):
        assert alert.outcome == Alert.Outcome.SELF_CARE
        assert alert.claimed_by is not None and alert.resolved_at is not None
        assert alert.claimed_by.username == "demo-nurse"
        assert alert.created_at < alert.resolved_at <= alert.created_at + dt.timedelta(hours=2)
    assert Alert.objects.filter(status=Alert.Status.RESOLVED).exists()


def test_the_demo_patient_has_a_baseline_and_an_urgent_hepatitis_panel(settings: Any) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    an = Patient.objects.get(caregiver_links__user__username="demo-family")
    panels = list(an.lab_panels.order_by("collected_at"))
    assert len(panels) == 3
    start = an.treatment_start_date
    assert start is not None
    assert panels[0].collected_at.date() < start < panels[1].collected_at.date()
    baseline_alt = panels[0].results.get(test="alt")
    assert float(baseline_alt.value) > float(baseline_alt.uln)  # abnormal, as cirrhosis gives
    latest = panels[-1]
    assert (latest.level, latest.suspected_irae) == ("urgent", ["hepatic"])
    alt = latest.results.get(test="alt")
    assert (alt.ratio_to, alt.baseline_result) == ("baseline", baseline_alt)
    assert alert_of(latest).source == Alert.Source.LAB_PANEL
    call_command("seed_demo")  # idempotent
    assert an.lab_panels.count() == 3


def test_the_missed_check_ins_list_has_quiet_patients_and_calls(settings: Any) -> None:
    from reporting.models import CheckinCall
    from reporting.selectors import missed_checkins

    settings.DEBUG = True
    call_command("seed_demo")
    nurse = User.objects.get(username="demo-nurse")
    listed: list[Any] = list(missed_checkins(nurse))  # annotated with latest_calls
    assert [p.hospital_number for p in listed] == ["DEMO-0004", "DEMO-0005"]
    dung, hanh = listed
    assert [c.outcome for c in dung.latest_calls] == [CheckinCall.Outcome.NO_ANSWER]
    assert dung.latest_calls[0].called_by == nurse
    # Her husband said all was well 8 days ago: a week without news again, so back on it.
    assert [c.outcome for c in hanh.latest_calls] == [CheckinCall.Outcome.ALL_WELL]
    assert hanh.last_report_at is None
    assert CheckinCall.objects.count() == 3
    call_command("seed_demo")  # idempotent
    assert CheckinCall.objects.count() == 3
    assert Patient.objects.filter(hospital_number__in=["DEMO-0004", "DEMO-0005"]).count() == 2
