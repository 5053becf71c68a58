"""Who may see which patient. Every view gets patients through these functions.

A family member (or the patient) sees only patients linked to them; a nurse only patients of
their care teams. Anything else is a 404, never a hint that the patient exists.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from reporting.models import CaregiverLink, CareTeam, Infusion, Invitation, Patient, User
from reporting.roles import is_nurse
from reporting.selectors.compiled import CompiledQuery, field_names, model_row


def care_teams_of(user: User | AnonymousUser) -> QuerySet[CareTeam]:
    if not is_nurse(user):
        return CareTeam.objects.none()
    return CareTeam.objects.filter(memberships__nurse=user)


# Cached on the user object, as its groups are (reporting.roles): loaded once per request
# however many checks and lists ask. The user object lives for one request (or one task),
# so a membership changed in the admin counts from the next request on.
_TEAMS_CACHE = "_immunowatch_care_teams"


def care_teams_list(user: User | AnonymousUser) -> tuple[CareTeam, ...]:
    """The nurse's care teams by name (none for anyone else), loaded once per request."""
    if not is_nurse(user):
        return ()
    cached: tuple[CareTeam, ...] | None = getattr(user, _TEAMS_CACHE, None)
    if cached is None:
        rows = _TEAMS_OF_NURSE.rows(nurse_id=user.pk)
        cached = tuple(model_row(CareTeam, row) for row in rows)
        setattr(user, _TEAMS_CACHE, cached)
    return cached


# Every nurse page asks (reporting/selectors/compiled.py: compiled once).
_TEAMS_OF_NURSE = CompiledQuery(
    lambda nurse_id: (
        CareTeam.objects.filter(memberships__nurse_id=nurse_id)
        .order_by("name", "pk")
        .values_list(*field_names(CareTeam))
    ),
    nurse_id=int,
)


def care_team_ids(user: User | AnonymousUser) -> frozenset[int]:
    return frozenset(team.pk for team in care_teams_list(user))


def care_team_scope(user: User | AnonymousUser) -> frozenset[int] | QuerySet[CareTeam, Any]:
    """What `care_team__in=` filters by: the ids when this request has loaded them already
    (a list lets PostgreSQL count the queue from an index alone), else a subquery (one
    query fewer for a page that needs nothing else about the teams)."""
    if getattr(user, _TEAMS_CACHE, None) is not None:
        return care_team_ids(user)
    return care_teams_of(user).values("pk")


def in_care_team(user: User | AnonymousUser, care_team_id: int | None) -> bool:
    """Whether `user` is a nurse of that care team: the one check behind every nurse's
    action and page about a patient, an alert or a snooze."""
    return care_team_id is not None and care_team_id in care_team_ids(user)


def require_care_team(user: User | AnonymousUser, care_team_id: int | None, why: str) -> None:
    """PermissionDenied unless `user` is a nurse of that care team (views answer 404 before
    this; services check again for every other caller)."""
    if not in_care_team(user, care_team_id):
        raise PermissionDenied(why)


def patients_in_care_of(user: User | AnonymousUser) -> QuerySet[Patient]:
    """Patients of the nurse's care teams (nothing for anyone else)."""
    if not is_nurse(user):
        return Patient.objects.none()
    return Patient.objects.filter(care_team__in=care_team_scope(user))


def patients_visible_to(user: User | AnonymousUser) -> QuerySet[Patient]:
    """Patients the user may see: their care teams' (nurse) and their linked ones (anyone)."""
    if not user.is_authenticated:
        return Patient.objects.none()
    scope = Q(caregiver_links__user=user)
    if is_nurse(user):
        scope |= Q(care_team__in=care_team_scope(user))
    return Patient.objects.filter(scope).distinct()


# Patients this user object was given by a scoped lookup (cached like the care teams): a
# service called in the same request then checks the scope without asking again.
_SEEN_CACHE = "_immunowatch_patients_seen"


def get_patient_for_user(user: User | AnonymousUser, patient_id: int) -> Patient:
    patient = get_object_or_404(
        patients_visible_to(user).select_related("care_team"), pk=patient_id
    )
    remember_seen(user, patient.pk)
    return patient


def remember_seen(user: User | AnonymousUser, patient_id: int) -> None:
    """Note that a scoped lookup just gave `user` this patient (see `may_see_patient`)."""
    seen: set[int] | None = getattr(user, _SEEN_CACHE, None)
    if seen is None:
        seen = set()
        setattr(user, _SEEN_CACHE, seen)
    seen.add(patient_id)


# The user's own caregiver link to a patient, as the request's lookup loaded it
# (`patient_and_reporter`): the follow-up a report starts names it without asking again.
_LINKS_CACHE = "_immunowatch_links"


def remember_link(user: User, link: CaregiverLink) -> None:
    remember_seen(user, link.patient_id)
    links: dict[int, CaregiverLink] | None = getattr(user, _LINKS_CACHE, None)
    if links is None:
        links = {}
        setattr(user, _LINKS_CACHE, links)
    links[link.patient_id] = link


def known_link(user: User, patient_id: int) -> CaregiverLink | None:
    """The user's link to the patient if this request loaded it already, else None (which
    says nothing: ask the database)."""
    links: dict[int, CaregiverLink] = getattr(user, _LINKS_CACHE, {})
    return links.get(patient_id)


def may_see_patient(user: User | AnonymousUser, patient_id: int) -> bool:
    """Whether `user` may see that patient: the services' check for every caller. No query
    when this request's lookup (`get_patient_for_user`) found the patient already."""
    if patient_id in getattr(user, _SEEN_CACHE, ()):
        return True
    return patients_visible_to(user).filter(pk=patient_id).exists()


def get_patient_for_nurse(user: User | AnonymousUser, patient_id: int) -> Patient:
    return get_object_or_404(patients_in_care_of(user).select_related("care_team"), pk=patient_id)


def get_invitation_for_nurse(
    user: User | AnonymousUser, patient_id: int, invitation_id: int
) -> Invitation:
    """An invitation for a patient of the nurse's care teams; 404 for anything else."""
    return get_object_or_404(
        Invitation.objects.filter(patient__in=patients_in_care_of(user)).select_related("patient"),
        pk=invitation_id,
        patient_id=patient_id,
    )


def infusions_of(patient: Patient) -> list[Infusion]:
    """The patient's doses, newest first."""
    return list(patient.infusions.select_related("recorded_by").order_by("-given_on", "-id"))


def _doses_of(patient_ids: Any) -> QuerySet[Infusion]:
    return Infusion.objects.filter(patient_id__in=patient_ids).order_by("-given_on", "-id")


# The queue asks for the doses of its page's patients on every refresh: compiled once per
# number of patients (reporting/selectors/compiled.py), up to a page's worth.
_DOSES_COMPILED_UP_TO = 64


@functools.cache
def _doses_query(count: int) -> CompiledQuery:
    return CompiledQuery(
        lambda **ids: _doses_of(list(ids.values())).values_list(*field_names(Infusion)),
        **{f"patient_{number}": int for number in range(count)},
    )


def infusions_by_patient(patient_ids: set[int]) -> dict[int, list[Infusion]]:
    """The doses of several patients at once, newest first for each (one query)."""
    doses: dict[int, list[Infusion]] = {}
    if not patient_ids:
        return doses
    if len(patient_ids) > _DOSES_COMPILED_UP_TO:
        infusions = list(_doses_of(patient_ids))
    else:
        ids: dict[str, Any] = {f"patient_{n}": pk for n, pk in enumerate(sorted(patient_ids))}
        rows = _doses_query(len(ids)).rows(**ids)
        infusions = [model_row(Infusion, row) for row in rows]
    for infusion in infusions:
        doses.setdefault(infusion.patient_id, []).append(infusion)
    return doses


def cycle_day(infusions: Sequence[Infusion], day: dt.date) -> tuple[int, int] | None:
    """(cycle, day of the cycle) on `day`: counted from the last infusion on or before it
    (the infusion day is day 1); None before the first. `infusions` newest first."""
    for infusion in infusions:
        if infusion.given_on <= day:
            return infusion.cycle_number, (day - infusion.given_on).days + 1
    return None
