"""Treatment cycles: the nurse records infusions and plans the next one; pages show "cycle N,
day D"; the family is asked to check in two days before a planned infusion."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from reporting.models import Infusion, LabPanel, Notification, Patient, User
from reporting.pages.cycles import cycle_text
from reporting.selectors import people
from reporting.selectors.people import cycle_day, infusions_by_patient, infusions_of
from reporting.services.care import (
    InfusionError,
    check_ins_before_infusions,
    infusion_record,
    next_infusion_plan,
)
from reporting.services.labs import ResultInput, lab_panel_record
from tests.factories import PatientFactory
from tests.reporting.care.conftest import at
from tests.reporting.dashboard.factories import SYMPTOMS, submit
from tests.support.alerts import alert_of
from tests.support.html import element_text

pytestmark = pytest.mark.django_db

NOV = dt.date(2026, 11, 1)


def day(n: int) -> dt.date:
    return NOV + dt.timedelta(days=n - 1)


def give(patient: Patient, nurse: User, on: int, cycle: int, **kw: Any) -> Infusion:
    return infusion_record(
        nurse=nurse,
        patient=patient,
        given_on=day(on),
        drugs=["atezolizumab", "bevacizumab"],
        cycle_number=cycle,
        **kw,
    )


# --- counting ------------------------------------------------------------------------------


def test_the_infusion_day_is_day_1_and_the_count_restarts_each_cycle(
    clock: Any, patient: Patient, nurse: User
) -> None:
    clock(at(30))
    give(patient, nurse, on=1, cycle=1)
    give(patient, nurse, on=22, cycle=2)
    doses = infusions_of(patient)
    assert cycle_day(doses, day(1)) == (1, 1)
    assert cycle_day(doses, day(21)) == (1, 21)
    assert cycle_day(doses, day(22)) == (2, 1)
    assert cycle_day(doses, day(30)) == (2, 9)
    assert cycle_day(doses, NOV - dt.timedelta(days=1)) is None
    assert cycle_text(doses, at(30, 23, 30)) == "cycle 2, day 9"  # the local date, not UTC
    assert cycle_text([], at(30)) == ""


def test_the_doses_of_several_patients_come_newest_first_for_each_and_only_theirs(
    clock: Any, patient: Patient, nurse: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock(at(30))
    other = PatientFactory.create(care_team=patient.care_team)
    stranger = PatientFactory.create(care_team=patient.care_team)
    give(patient, nurse, on=1, cycle=1)
    give(patient, nurse, on=22, cycle=2)
    give(other, nurse, on=8, cycle=4)
    give(stranger, nurse, on=9, cycle=7)

    def summary(doses: dict[int, list[Infusion]]) -> dict[int, list[tuple[dt.date, int]]]:
        return {pk: [(d.given_on, d.cycle_number) for d in ds] for pk, ds in doses.items()}

    expected = {
        patient.pk: [(day(22), 2), (day(1), 1)],
        other.pk: [(day(8), 4)],
    }
    # The queue's page size: the query compiled once per number of patients.
    compiled = infusions_by_patient({patient.pk, other.pk, 10**9})
    assert summary(compiled) == expected
    assert all(isinstance(d, Infusion) and d.recorded_by_id == nurse.pk for d in compiled[other.pk])
    # Twice, with other ids: the compiled statement takes this call's ids, not the first's.
    assert summary(infusions_by_patient({stranger.pk})) == {stranger.pk: [(day(9), 7)]}
    # More patients than compiled for: the ORM's own query, the same answer.
    monkeypatch.setattr(people, "_DOSES_COMPILED_UP_TO", 1)
    assert summary(infusions_by_patient({patient.pk, other.pk, 10**9})) == expected
    assert infusions_by_patient(set()) == {}


# --- recording -----------------------------------------------------------------------------


def test_recording_a_dose_uses_up_the_plan_and_sets_the_next(
    clock: Any, patient: Patient, nurse: User
) -> None:
    clock(at(22))
    Patient.objects.filter(pk=patient.pk).update(next_infusion_on=day(22))
    patient.refresh_from_db()
    give(patient, nurse, on=22, cycle=2, next_on=day(43))
    patient.refresh_from_db()
    assert patient.next_infusion_on == day(43)
    give(patient, nurse, on=1, cycle=1)  # typed in late: today's plan stays
    patient.refresh_from_db()
    assert patient.next_infusion_on == day(43)


@pytest.mark.parametrize(
    ("on", "cycle", "next_on", "field"),
    [
        (20, 2, None, "cycle_number"),  # cycle 2 is there already
        (5, 3, None, "given_on"),  # before cycle 2 (the 10th)
        (8, 1, None, "cycle_number"),
        (12, 3, 12, "next_on"),  # the next one is not the same day
        (30, 3, None, "given_on"),  # not given yet: the 30th is in the future
    ],
)
def test_doses_that_cannot_be_recorded_name_their_field(
    clock: Any, patient: Patient, nurse: User, on: int, cycle: int, next_on: int | None, field: str
) -> None:
    clock(at(25))
    give(patient, nurse, on=1, cycle=1)
    give(patient, nurse, on=10, cycle=2)
    with pytest.raises(InfusionError) as refused:
        give(patient, nurse, on=on, cycle=cycle, next_on=day(next_on) if next_on else None)
    assert refused.value.field == field
    assert patient.infusions.count() == 2


def test_only_the_care_team_records_or_plans(clock: Any, patient: Patient, outsider: User) -> None:
    clock(at(25))
    with pytest.raises(PermissionDenied):
        give(patient, outsider, on=20, cycle=1)
    with pytest.raises(PermissionDenied):
        next_infusion_plan(nurse=outsider, patient=patient, on=day(28))
    patient.refresh_from_db()
    assert not patient.infusions.exists() and patient.next_infusion_on is None


# --- the pages -----------------------------------------------------------------------------


def test_the_cycles_page_offers_the_next_cycle_with_the_same_drugs(
    clock: Any, nurse_client: Client, patient: Patient, nurse: User
) -> None:
    clock(at(25))
    infusion_record(
        nurse=nurse, patient=patient, given_on=day(4), drugs=["atezolizumab"], cycle_number=1
    )
    response = nurse_client.get(reverse("treatment_cycles", args=[patient.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["cycle_number"] == 2
    assert form.initial["drugs"] == ["atezolizumab"]
    assert form.initial["given_on"] == day(25)
    assert form.initial["next_on"] == day(25) + dt.timedelta(days=21)
    assert "cycle 1, day 22" in element_text(response, "cycle-today")


def test_a_nurse_records_an_infusion_from_the_patient_page(
    clock: Any, nurse_client: Client, patient: Patient, nurse: User
) -> None:
    clock(at(25))
    response = nurse_client.post(
        reverse("treatment_cycles", args=[patient.pk]),
        {
            "given_on": "2026-11-25",
            "cycle_number": "1",
            "drugs": ["atezolizumab", "bevacizumab"],
            "next_on": "2026-12-16",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("nurse_patient", args=[patient.pk])
    infusion = patient.infusions.get()
    assert (infusion.given_on, infusion.cycle_number, infusion.recorded_by) == (
        day(25),
        1,
        nurse,
    )
    assert "Cycle 1 recorded" in response.content.decode()
    assert "cycle 1, day 1" in element_text(response, "cycle-today")
    assert "16 Dec 2026 (in 21 days)" in element_text(response, "cycle-next")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"cycle_number": "1"}, "cycle_number", "Cycle 1 is already recorded"),
        ({"drugs": []}, "drugs", "Tick the drugs given."),
        ({"given_on": "2026-11-30"}, "given_on", "A dose is recorded once given"),
        ({"given_on": "25/13/2026"}, "given_on", "Enter a valid date."),
        ({"next_on": "2026-11-20"}, "next_on", "The next infusion comes after this one."),
        ({"cycle_number": "0"}, "cycle_number", "greater than or equal to 1"),
    ],
)
def test_bad_input_is_shown_at_its_field_and_stores_nothing(
    clock: Any,
    nurse_client: Client,
    patient: Patient,
    nurse: User,
    data: dict[str, Any],
    field: str,
    message: str,
) -> None:
    clock(at(25))
    give(patient, nurse, on=4, cycle=1)
    post = {"given_on": "2026-11-25", "cycle_number": "2", "drugs": ["atezolizumab"]} | data
    response = nurse_client.post(reverse("treatment_cycles", args=[patient.pk]), post)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field]), errors
    assert patient.infusions.count() == 1
    assert 'class="invalid-feedback' in response.content.decode()


def test_planning_the_next_infusion_and_clearing_it(
    clock: Any, nurse_client: Client, patient: Patient
) -> None:
    clock(at(25))
    url = reverse("next_infusion_plan", args=[patient.pk])
    response = nurse_client.post(url, {"next_on": "2026-12-02"}, follow=True)
    patient.refresh_from_db()
    assert patient.next_infusion_on == dt.date(2026, 12, 2)
    assert "2 Dec 2026 (in 7 days)" in element_text(response, "cycle-next")
    nurse_client.post(url, {"next_on": ""})
    patient.refresh_from_db()
    assert patient.next_infusion_on is None


def test_a_plan_in_the_past_is_refused_at_its_field(
    clock: Any, nurse_client: Client, patient: Patient
) -> None:
    clock(at(25))
    response = nurse_client.post(
        reverse("next_infusion_plan", args=[patient.pk]), {"next_on": "2026-11-20"}
    )
    assert response.status_code == 200
    assert response.context["next_form"].errors["next_on"] == [
        "A planned infusion is today or later."
    ]
    patient.refresh_from_db()
    assert patient.next_infusion_on is None


# --- denial --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["treatment_cycles", "next_infusion_plan"])
def test_other_teams_get_404_families_403_and_nothing_is_stored(
    client: Client,
    patient: Patient,
    family: User,
    outsider: User,
    name: str,
) -> None:
    url = reverse(name, args=[patient.pk])
    data = {"given_on": "2026-11-25", "cycle_number": "1", "drugs": ["atezolizumab"]}
    data["next_on"] = "2099-01-01"
    client.force_login(outsider)
    assert client.post(url, data).status_code == 404
    if name == "treatment_cycles":
        assert client.get(url).status_code == 404
    client.force_login(family)
    assert client.post(url, data).status_code == 403
    client.logout()
    assert client.post(url, data).status_code == 302  # to the log-in page
    patient.refresh_from_db()
    assert not patient.infusions.exists() and patient.next_infusion_on is None


# --- "cycle N, day D" on the nurse's pages ---------------------------------------------------


def test_reports_panels_and_alerts_show_their_cycle_day_and_the_alert_the_next_dose(
    clock: Any, nurse_client: Client, patient: Patient, nurse: User, family: User
) -> None:
    clock(at(20))
    give(patient, nurse, on=1, cycle=1, next_on=day(22))
    clock(at(12, 10))
    alert = alert_of(submit(patient, SYMPTOMS["urgent"], by=family))
    lab_panel_record(
        patient=patient,
        collected_at=at(13, 8),
        results=[ResultInput("alt", "250", "U/L", uln="40")],
        source=LabPanel.Source.ENTERED,
        entered_by=nurse,
    )
    clock(at(20))

    page = nurse_client.get(reverse("alert_detail", args=[alert.pk])).content.decode()
    assert "cycle 1, day 12" in page  # the report
    assert "cycle 1, day 13" in page  # the lab panel
    next_dose = element_text(
        nurse_client.get(reverse("alert_detail", args=[alert.pk])), "next-infusion"
    )
    assert "Next infusion planned on 22 Nov 2026 (in 2 days)" in next_dose
    assert "decide by then whether to give it or hold it" in next_dose

    record = nurse_client.get(reverse("nurse_patient", args=[patient.pk]))
    assert "cycle 1, day 12" in element_text(record, "reports")
    assert "cycle 1, day 13" in element_text(record, "lab-table")
    assert "cycle 1, day 20" in element_text(record, "cycle-today")

    queue = nurse_client.get(reverse("triage_queue")).content.decode()
    assert "cycle 1, day 12" in queue  # when the alert was raised


def test_without_infusions_nothing_pretends_to_know_the_cycle(
    nurse_client: Client, patient: Patient, family: User
) -> None:
    alert = alert_of(submit(patient, SYMPTOMS["urgent"], by=family))
    page = nurse_client.get(reverse("alert_detail", args=[alert.pk])).content.decode()
    assert "cycle" not in page.lower().replace("treatment cycles", "")
    record = nurse_client.get(reverse("nurse_patient", args=[patient.pk]))
    assert "No infusion recorded yet." in element_text(record, "cycle-today")


# --- the check-in before a planned infusion ---------------------------------------------------


def test_the_family_is_asked_to_check_in_two_days_before_the_planned_infusion(
    clock: Any, patient: Patient, family: User
) -> None:
    Patient.objects.filter(pk=patient.pk).update(next_infusion_on=day(22))
    for when, expected in [(at(19, 9), 0), (at(20, 7), 0), (at(20, 8), 1), (at(20, 17), 0)]:
        clock(when)
        assert check_ins_before_infusions() == expected, when
    [check_in] = Notification.objects.filter(purpose=Notification.Purpose.CHECK_IN)
    assert check_in.recipient == family
    clock(at(21, 9))
    assert check_ins_before_infusions() == 0  # the day before: asked already


def test_the_patients_own_drugs_come_first_and_the_others_are_folded(
    nurse_client: Client, patient: Patient, care_team: Any
) -> None:
    body = nurse_client.get(reverse("treatment_cycles", args=[patient.pk])).content.decode()
    own, others = body.split("Other drugs", 1)
    assert 'value="atezolizumab"' in own and 'value="bevacizumab"' in own
    assert 'value="nivolumab"' in others and 'value="nivolumab"' not in own
    assert '<details class="mt-1">' in body  # folded
    # A patient whose regimen is unknown: every drug is shown at once.
    unknown = Patient.objects.create(
        full_name="Lê Thị Hoa",
        hospital_number="HN-X1",
        care_team=care_team,
        regimen=[],
        date_of_birth=dt.date(1950, 1, 1),
    )
    body = nurse_client.get(reverse("treatment_cycles", args=[unknown.pk])).content.decode()
    assert '<details class="mt-1" open>' in body


def test_the_cycles_page_is_served_in_vietnamese(nurse_client: Client, patient: Patient) -> None:
    body = nurse_client.get(
        reverse("treatment_cycles", args=[patient.pk]), HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert "Ghi một lần truyền" in body  # "Record an infusion"
    assert "Thường là 21 ngày sau." in body  # the help text too, formatted per request
    assert "Usually" not in body


def test_every_problem_is_shown_at_once(
    clock: Any, nurse_client: Client, patient: Patient, nurse: User
) -> None:
    clock(at(25))
    give(patient, nurse, on=4, cycle=1)
    response = nurse_client.post(
        reverse("treatment_cycles", args=[patient.pk]),
        {"given_on": "2026-11-25", "cycle_number": "1", "next_on": "2026-11-24"},
    )
    errors = response.context["form"].errors
    assert set(errors) == {"drugs", "cycle_number", "next_on"}, errors
    assert patient.infusions.count() == 1
