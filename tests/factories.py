"""factory_boy factories for people and patients."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from reporting.models import (
    CaregiverLink,
    CareTeam,
    CareTeamMembership,
    Patient,
    Relationship,
    User,
)
from reporting.roles import FAMILY_GROUP, NURSE_GROUP

PASSWORD = "a-long-test-password-42"


def _group(name: str) -> Group:
    # get_or_create: transactional tests flush the rows the data migration made.
    return Group.objects.get_or_create(name=name)[0]


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class FamilyUserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"family{n}")

    @factory.post_generation
    def groups(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.groups.add(_group(FAMILY_GROUP))


class CareTeamFactory(factory.django.DjangoModelFactory[CareTeam]):
    class Meta:
        model = CareTeam

    name = factory.Sequence(lambda n: f"Oncology team {n}")


class NurseFactory(UserFactory):
    """A nurse; `NurseFactory.create(care_teams=[team], care_teams__on_duty=False)`: off duty."""

    username = factory.Sequence(lambda n: f"nurse{n}")

    @factory.post_generation
    def care_teams(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        obj.groups.add(_group(NURSE_GROUP))
        for team in extracted or []:
            CareTeamMembership.objects.create(
                care_team=team, nurse=obj, on_duty=kwargs.get("on_duty", True)
            )


class PatientFactory(factory.django.DjangoModelFactory[Patient]):
    class Meta:
        model = Patient

    full_name = factory.Faker("name")
    hospital_number = factory.Sequence(lambda n: f"HN-{n:06d}")
    date_of_birth = dt.date(1960, 1, 1)
    care_team = factory.SubFactory(CareTeamFactory)
    regimen = factory.LazyFunction(lambda: ["atezolizumab", "bevacizumab"])
    preferred_language = "vi"


class CaregiverLinkFactory(factory.django.DjangoModelFactory[CaregiverLink]):
    class Meta:
        model = CaregiverLink

    user = factory.SubFactory(FamilyUserFactory)
    patient = factory.SubFactory(PatientFactory)
    relationship = Relationship.CHILD
