"""Enrolment and contact data are checked where they are typed and again by the models.

Dates of birth are after 1900 and not in the future; a treatment starts after birth and at
most a year from today; phone numbers are parsed for Vietnam and stored in E.164; hospital
numbers are unique whatever their case (the form says so beside the field, the database
refuses it anyway). Bad input is refused beside its field and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from reporting import services
from reporting.forms import PatientEnrollForm
from reporting.models import CaregiverLink, CareTeamMembership, Invitation, Patient, User
from reporting.phones import display_phone, normalize_phone, tel_number
from tests.factories import CareTeamFactory, PatientFactory, UserFactory
from tests.reporting.dashboard.factories import raise_alert

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
PHONE_ERROR = (
    "Enter a phone number, e.g. 0912 345 678, or one from abroad with its country code, "
    "e.g. +44 20 7946 0958."
)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def enrol(client: Any, nurse: User, care_team: Any, **fields: str) -> Any:
    client.force_login(nurse)
    data = {
        "full_name": "Đặng Văn Em",
        "hospital_number": "HN-1",
        "date_of_birth": "1960-02-03",
        "preferred_language": "vi",
        "care_team": care_team.pk,
        **fields,
    }
    return client.post(reverse("patient_enroll"), data)


def refused(response: Any, field: str) -> list[str]:
    assert response.status_code == 200
    assert not Patient.objects.filter(hospital_number__iexact="HN-1").exists()
    errors = response.context["form"].errors
    assert field in errors, errors
    return errors[field]


# --- phone numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912 345 678", "+84912345678"),
        (" 0912.345.678 ", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("0084 912 345 678", "+84912345678"),
        ("(024) 3825 2143", "+842438252143"),  # a Hà Nội landline
        ("+44 20 7946 0958", "+442079460958"),  # from abroad, with its country code
        ("", ""),
    ],
)
def test_phone_numbers_are_stored_in_e164(typed: str, stored: str) -> None:
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["call me maybe", "12345", "0912 345 67", "0912-CALL-ME", "0912 345 678 ext. 12", "+84"],
)
def test_what_is_not_a_phone_number_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as refusal:
        normalize_phone(typed)
    assert refusal.value.messages == [PHONE_ERROR]


def test_numbers_are_shown_as_people_read_them() -> None:
    assert display_phone("+84912345678") == "0912 345 678"
    assert display_phone("+842438252143") == "024 3825 2143"
    assert display_phone("+442079460958") == "+44 20 7946 0958"
    assert display_phone("ask the ward") == "ask the ward"  # an old value, shown as it is
    assert tel_number("+84912345678") == "+84912345678"
    assert tel_number("0912 345 678") == "+84912345678"


def test_enrolment_stores_the_phone_in_e164(client: Any, nurse: User, care_team: Any) -> None:
    response = enrol(client, nurse, care_team, phone=" 0912 345 678 ")
    assert response.status_code == 302
    assert Patient.objects.get(hospital_number="HN-1").phone == "+84912345678"


def test_enrolment_refuses_a_phone_that_is_not_one(
    client: Any, nurse: User, care_team: Any
) -> None:
    assert refused(enrol(client, nurse, care_team, phone="call me maybe"), "phone") == [PHONE_ERROR]


def test_the_invitation_phone_is_checked_and_stored_in_e164(
    client: Any,
    nurse: User,
    patient: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(nurse)
    url = reverse("patient_invite", args=[patient.pk])
    data = {"email": "son@example.org", "relationship": "child"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "phone": "call me maybe"})
    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [PHONE_ERROR]
    assert not Invitation.objects.exists() and not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {**data, "phone": "0987 654 321"}).status_code == 302
    assert Invitation.objects.get().phone == "+84987654321"


def test_every_model_with_a_phone_refuses_a_bad_one_and_normalises_a_good_one(
    patient: Any, nurse: User, care_team: Any
) -> None:
    membership = CareTeamMembership.objects.get(nurse=nurse, care_team=care_team)
    link = CaregiverLink(user=UserFactory.create(), patient=patient, relationship="child")
    invitation = Invitation(
        patient=patient,
        email="a@example.org",
        relationship="child",
        token_hash="x" * 64,
        created_by=nurse,
        expires_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
    )
    for instance in (patient, membership, link, invitation):
        instance.phone = "call me maybe"
        with pytest.raises(ValidationError) as refusal:
            instance.full_clean()
        assert refusal.value.message_dict["phone"] == [PHONE_ERROR], type(instance)
        instance.phone = "0912 345 678"
        instance.full_clean()
        assert instance.phone == "+84912345678"


def test_the_admin_refuses_a_bad_sms_number_beside_the_field(
    client: Any, care_team: Any, nurse: User
) -> None:
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    membership = CareTeamMembership.objects.get(nurse=nurse, care_team=care_team)
    url = reverse("admin:reporting_careteam_change", args=[care_team.pk])

    def save(phone: str) -> Any:
        return client.post(
            url,
            {
                "name": care_team.name,
                "escalation_contact": "",
                "webhook_url": "",
                "memberships-TOTAL_FORMS": "1",
                "memberships-INITIAL_FORMS": "1",
                "memberships-MIN_NUM_FORMS": "0",
                "memberships-MAX_NUM_FORMS": "1000",
                "memberships-0-id": membership.pk,
                "memberships-0-care_team": care_team.pk,
                "memberships-0-nurse": nurse.pk,
                "memberships-0-on_duty": "on",
                "memberships-0-phone": phone,
            },
        )

    response = save("call me maybe")
    assert response.status_code == 200
    assert PHONE_ERROR in str(response.context["inline_admin_formsets"][0].formset.errors)
    membership.refresh_from_db()
    assert membership.phone == ""
    assert save("0912 345 678").status_code == 302
    membership.refresh_from_db()
    assert membership.phone == "+84912345678"


def test_nurses_see_readable_numbers_and_dial_e164(
    client: Any, nurse: User, care_team: Any
) -> None:
    quiet = PatientFactory.create(
        care_team=care_team,
        phone="+84900111222",
        created_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
    )
    link = CaregiverLink.objects.create(
        user=UserFactory.create(), patient=quiet, relationship="child", phone="+442079460958"
    )
    # Its last report, 8 days ago, is still open: on the missed list and in the queue.
    alert = raise_alert(quiet, "urgent", by=link.user, ago=dt.timedelta(days=8))
    client.force_login(nurse)
    for name, args in (
        ("missed_checkins", []),
        ("nurse_patient", [quiet.pk]),
        ("patient_detail", [quiet.pk]),
    ):
        page = client.get(reverse(name, args=args)).content.decode()
        assert 'href="tel:+84900111222">0900 111 222</a>' in page, name
        if name != "patient_detail":
            assert 'href="tel:+442079460958">+44 20 7946 0958</a>' in page, name
    page = client.get(reverse("alert_detail", args=[alert.pk])).content.decode()
    calls = page.split('id="call-list"')[1].split("</ul>")[0]
    # The person who reported first, then the patient: dialled in E.164, read nationally.
    assert calls.index('href="tel:+442079460958"') < calls.index('href="tel:+84900111222"')
    assert "+44 20 7946 0958" in calls and "0900 111 222" in calls


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_of_birth", "message"),
    [
        ("1899-12-31", "Enter a date of birth after 1 January 1900."),
        ("1900-01-01", "Enter a date of birth after 1 January 1900."),
        ("2026-11-24", "The date of birth cannot be in the future."),
    ],
)
def test_an_impossible_date_of_birth_is_refused(
    client: Any, nurse: User, care_team: Any, date_of_birth: str, message: str
) -> None:
    response = enrol(client, nurse, care_team, date_of_birth=date_of_birth)
    assert refused(response, "date_of_birth") == [message]


@pytest.mark.parametrize("date_of_birth", ["1900-01-02", "2026-11-23"])
def test_the_limits_of_a_date_of_birth_are_accepted(
    client: Any, nurse: User, care_team: Any, date_of_birth: str
) -> None:
    assert enrol(client, nurse, care_team, date_of_birth=date_of_birth).status_code == 302


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("1960-02-03", "The treatment start date must be after the date of birth."),
        ("1955-06-01", "The treatment start date must be after the date of birth."),
        ("2027-11-24", "The treatment start date can be at most one year from today."),
    ],
)
def test_an_impossible_treatment_start_date_is_refused(
    client: Any, nurse: User, care_team: Any, start: str, message: str
) -> None:
    response = enrol(client, nurse, care_team, treatment_start_date=start)
    assert refused(response, "treatment_start_date") == [message]


@pytest.mark.parametrize("start", ["1960-02-04", "2026-11-23", "2027-11-23"])
def test_a_treatment_start_from_the_day_after_birth_to_a_year_ahead_is_accepted(
    client: Any, nurse: User, care_team: Any, start: str
) -> None:
    assert enrol(client, nurse, care_team, treatment_start_date=start).status_code == 302


def test_the_date_pickers_offer_only_possible_dates(care_team: Any) -> None:
    form = PatientEnrollForm(care_teams=CareTeamFactory._meta.model.objects.all())
    birth = form.fields["date_of_birth"].widget.attrs
    start = form.fields["treatment_start_date"].widget.attrs
    assert (birth["min"], birth["max"]) == ("1900-01-02", "2026-11-23")
    assert start["max"] == "2027-11-23"


def test_the_service_refuses_impossible_dates_from_any_caller(nurse: User, care_team: Any) -> None:
    fields = {"nurse": nurse, "full_name": "X", "care_team": care_team, "regimen": []}
    with pytest.raises(ValidationError) as refusal:
        services.patient_enroll(hospital_number="HN-1", date_of_birth=dt.date(2030, 1, 1), **fields)
    assert "date_of_birth" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        services.patient_enroll(
            hospital_number="HN-1",
            date_of_birth=dt.date(1960, 1, 1),
            treatment_start_date=dt.date(1959, 1, 1),
            **fields,
        )
    assert "treatment_start_date" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        services.patient_enroll(
            hospital_number="HN-1",
            date_of_birth=dt.date(1960, 1, 1),
            phone="call me maybe",
            **fields,
        )
    assert refusal.value.message_dict["phone"] == [PHONE_ERROR]
    assert not Patient.objects.exists()


# --- hospital numbers ------------------------------------------------------------------------


def test_a_hospital_number_differing_only_in_case_is_refused_beside_the_field(
    client: Any, nurse: User, care_team: Any
) -> None:
    PatientFactory.create(care_team=care_team, hospital_number="DEMO-0001")
    response = enrol(client, nurse, care_team, hospital_number="  demo-0001 ")
    assert refused(response, "hospital_number") == [
        "A patient with this hospital number already exists."
    ]
    assert Patient.objects.count() == 1


def test_the_hospital_number_is_stored_without_surrounding_spaces(
    client: Any, nurse: User, care_team: Any
) -> None:
    assert enrol(client, nurse, care_team, hospital_number="  HN-1 ").status_code == 302
    assert Patient.objects.filter(hospital_number="HN-1").exists()


def test_the_service_refuses_a_hospital_number_differing_only_in_case(
    nurse: User, care_team: Any
) -> None:
    PatientFactory.create(care_team=care_team, hospital_number="DEMO-0001")
    with pytest.raises(ValidationError) as refusal:
        services.patient_enroll(
            nurse=nurse,
            full_name="X",
            hospital_number="demo-0001",
            date_of_birth=dt.date(1960, 1, 1),
            care_team=care_team,
            regimen=[],
        )
    assert refusal.value.message_dict == {
        "hospital_number": ["A patient with this hospital number already exists."]
    }


def test_the_database_refuses_a_hospital_number_differing_only_in_case(care_team: Any) -> None:
    PatientFactory.create(care_team=care_team, hospital_number="DEMO-0001")
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.create(
            care_team=care_team,
            full_name="X",
            hospital_number="demo-0001",
            date_of_birth=dt.date(1960, 1, 1),
        )


def test_a_hospital_number_taken_at_the_same_moment_is_refused_beside_the_field(
    client: Any, nurse: User, care_team: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both forms passed their checks; the second save meets the database constraint."""
    monkeypatch.setattr(
        PatientEnrollForm,
        "clean_hospital_number",
        lambda form: form.cleaned_data["hospital_number"].strip(),
    )
    monkeypatch.setattr(Patient, "clean", lambda patient: None)
    PatientFactory.create(care_team=care_team, hospital_number="HN-1")
    response = enrol(client, nurse, care_team, hospital_number="hn-1")
    assert response.status_code == 200
    assert response.context["form"].errors["hospital_number"] == [
        "A patient with this hospital number already exists."
    ]
    assert Patient.objects.count() == 1


def test_admin_edits_follow_the_same_rules(client: Any, care_team: Any) -> None:
    PatientFactory.create(care_team=care_team, hospital_number="DEMO-0001")
    other = PatientFactory.create(care_team=care_team, hospital_number="DEMO-0002")
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:reporting_patient_change", args=[other.pk]),
        {
            "full_name": other.full_name,
            "hospital_number": "demo-0001",
            "date_of_birth": "2030-01-01",
            "preferred_language": "vi",
            "care_team": care_team.pk,
            "regimen": "[]",
            "phone": "call me maybe",
            "treatment_start_date": "",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["hospital_number"] == ["A patient with this hospital number already exists."]
    assert errors["date_of_birth"] == ["The date of birth cannot be in the future."]
    assert errors["phone"] == [PHONE_ERROR]
    other.refresh_from_db()
    assert other.hospital_number == "DEMO-0002"
