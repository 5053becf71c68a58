"""Between the reports: following up active symptoms, and treatment cycles.

Follow-up (docs/clinical.md, "Follow-up"): after a report with any symptom at monitor or
above, the family is asked each morning how the patient is, until a report shows every such
symptom lower (or gone), the nurse resolves the alert, or seven days pass. One follow-up per
patient at a time: a new active symptom joins it.

Cycles: the nurse records each infusion (date, drugs, cycle number) and the planned next one;
the family is asked to check in two days before it. Pages show "cycle N, day D".
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reporting.models import (
    Alert,
    CaregiverLink,
    FollowUp,
    Infusion,
    Level,
    Patient,
    Report,
    SymptomEntry,
    User,
)
from reporting.models.reports import LEVEL_RANK
from reporting.notifications import notifications_for_follow_up
from reporting.selectors.people import known_link, require_care_team
from reporting.triage import DRUGS

logger = logging.getLogger(__name__)

FOLLOW_UP_DAYS = 7
CHECK_IN_DAYS_BEFORE = 2
CYCLE_DAYS = 21  # most regimens here (atezolizumab + bevacizumab): every three weeks
Followed = dict[str, list[int | None]]  # code -> [grade or None, level rank]


# --- follow-up -----------------------------------------------------------------------------


def _active(entries: Iterable[SymptomEntry]) -> Followed:
    """The report's symptoms at monitor or above: what a follow-up watches."""
    return {
        entry.code: [entry.grade, LEVEL_RANK[entry.level]]
        for entry in entries
        if LEVEL_RANK[entry.level] >= LEVEL_RANK[Level.MONITOR]
    }


def _still_there(before: list[int | None], now: list[int | None] | None) -> bool:
    """Whether a followed symptom is not better: reported again at the same grade or worse
    (by level where it has no grade). Not reported means gone."""
    if now is None:
        return False
    grade_before, rank_before = before
    grade_now, rank_now = now
    if grade_before is not None and grade_now is not None:
        return grade_now >= grade_before
    return (rank_now or 0) >= (rank_before or 0)


def follow_up_after_report(
    *, report: Report, entries: Sequence[SymptomEntry] | None = None
) -> FollowUp | None:
    """Start, carry on or stop the patient's follow-up after `report` (in its transaction);
    `entries`: its symptoms when the caller has just written them (no query to read them)."""
    # One active follow-up per patient at most (one_active_follow_up_per_patient).
    follow_up = next(
        iter(
            FollowUp.objects.select_for_update().filter(
                patient_id=report.patient_id, stopped_at__isnull=True
            )[:1]
        ),
        None,
    )
    return _follow_up_with(report, report.symptoms.all() if entries is None else entries, follow_up)


def follow_up_after_new_report(
    *, report: Report, entries: Sequence[SymptomEntry], follow_up_id: int | None
) -> FollowUp | None:
    """`follow_up_after_report` when the caller locked the patient and found the active
    follow-up's id (`lock_patient_before_report`): no query when there is none."""
    follow_up = (
        None
        if follow_up_id is None
        # Stopped since it was found (the nurse resolved the alert, the week ended): none.
        else next(
            iter(
                FollowUp.objects.select_for_update().filter(
                    pk=follow_up_id, stopped_at__isnull=True
                )
            ),
            None,
        )
    )
    return _follow_up_with(report, entries, follow_up)


def _follow_up_with(
    report: Report, entries: Iterable[SymptomEntry], follow_up: FollowUp | None
) -> FollowUp | None:
    now = report.submitted_at
    current = _active(entries)
    if follow_up is not None:
        kept = {
            code: current.get(code, before)
            for code, before in follow_up.symptoms.items()
            if _still_there(before, current.get(code))
        }
        added = {code: value for code, value in current.items() if code not in follow_up.symptoms}
        if not kept and not added:
            _stop(follow_up, FollowUp.Stop.BETTER, now)
            return follow_up
        follow_up.symptoms = {**kept, **added}
        if added:
            follow_up.ends_at = max(follow_up.ends_at, now + dt.timedelta(days=FOLLOW_UP_DAYS))
        follow_up.alert = report.alert or follow_up.alert
        follow_up.save(update_fields=["symptoms", "ends_at", "alert"])
        return follow_up
    started = new_follow_up(report, entries)
    if started is not None:
        started.save()
    return started


def new_follow_up(report: Report, entries: Iterable[SymptomEntry]) -> FollowUp | None:
    """The follow-up a report starts when none is active (what it has that is worth asking
    about again), not saved; None when nothing is."""
    current = _active(entries)
    if not current:
        return None
    now = report.submitted_at
    return FollowUp(
        patient_id=report.patient_id,
        link=_reporter_link(report),
        alert=report.alert,
        symptoms=current,
        started_at=now,
        ends_at=now + dt.timedelta(days=FOLLOW_UP_DAYS),
    )


def _reporter_link(report: Report) -> CaregiverLink | None:
    """Whom to ask: the family member (or patient) who reported; None: everyone linked."""
    if report.reported_by_id is None:
        return None
    if Report.reported_by.is_cached(report):
        known = known_link(report.reported_by, report.patient_id)  # type: ignore[arg-type]
        if known is not None:
            return known
    return CaregiverLink.objects.filter(
        user_id=report.reported_by_id, patient_id=report.patient_id
    ).first()


def _stop(follow_up: FollowUp, reason: str, now: dt.datetime) -> None:
    follow_up.stopped_at, follow_up.stop_reason = now, reason
    follow_up.save(update_fields=["stopped_at", "stop_reason"])
    logger.info("follow-up %s stopped (%s)", follow_up.pk, reason)


def follow_ups_stop_for_alert(*, alert: Alert, now: dt.datetime) -> None:
    """The nurse resolved the alert: its follow-up stops (in the caller's transaction)."""
    for follow_up in FollowUp.objects.filter(alert=alert, stopped_at__isnull=True):
        _stop(follow_up, FollowUp.Stop.RESOLVED, now)


def followed_codes(patient: Patient) -> list[str]:
    """The symptoms the patient's active follow-up asks about (the form opens with them)."""
    follow_up = FollowUp.objects.filter(patient=patient, stopped_at__isnull=True).first()
    return list(follow_up.symptoms) if follow_up is not None else []


def _ask_links(follow_up: FollowUp) -> list[CaregiverLink]:
    if follow_up.link is not None:
        return [follow_up.link]
    return list(follow_up.patient.caregiver_links.select_related("user", "patient"))


def follow_ups_ask_due(*, now: dt.datetime | None = None) -> int:
    """The morning question ("Please tell us how An is today"), once a day per follow-up,
    from IMMUNOWATCH_FOLLOW_UP_HOUR (local time), from the day after it started; expired
    follow-ups stop. A patient who already reported today is not asked. Returns how many
    questions were written to the outbox."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.IMMUNOWATCH_FOLLOW_UP_HOUR:
        return 0
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    asked = 0
    for follow_up_id in FollowUp.objects.filter(stopped_at__isnull=True).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            follow_up = (
                FollowUp.objects.select_for_update(of=("self",))
                .select_related("patient", "link__user", "link__patient")
                .filter(pk=follow_up_id, stopped_at__isnull=True)
                .first()
            )
            if follow_up is None:
                continue
            if follow_up.ends_at <= now:
                _stop(follow_up, FollowUp.Stop.EXPIRED, now)
                continue
            if follow_up.started_at >= midnight or (
                follow_up.last_asked_at is not None and follow_up.last_asked_at >= midnight
            ):
                continue
            if follow_up.patient.reports.filter(submitted_at__gte=midnight).exists():
                continue
            subject = f"follow-up-{follow_up.pk}-{local:%Y%m%d}"
            for link in _ask_links(follow_up):
                asked += len(notifications_for_follow_up(link=link, subject=subject))
            follow_up.last_asked_at = now
            follow_up.save(update_fields=["last_asked_at"])
    return asked


# --- treatment cycles ------------------------------------------------------------------------


class InfusionError(ValueError):
    """A dose that cannot be recorded as typed; `field` names the form field to show it at."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _order_problems(patient: Patient, given_on: dt.date, cycle_number: int) -> list[InfusionError]:
    """Cycles run forward in time: cycle 3 is not before cycle 2, nor after cycle 4."""
    doses = patient.infusions.all()
    if doses.filter(cycle_number=cycle_number).exists():
        message = _("Cycle %(cycle)s is already recorded for this patient.")
        return [InfusionError("cycle_number", message % {"cycle": cycle_number})]
    earlier = doses.filter(cycle_number__lt=cycle_number, given_on__gt=given_on).first()
    clash = earlier or doses.filter(cycle_number__gt=cycle_number, given_on__lt=given_on).first()
    if clash is None:
        return []
    message = _("Cycle %(other)s was given on %(date)s: check the date or the cycle number.")
    return [
        InfusionError(
            "given_on", message % {"other": clash.cycle_number, "date": date_format(clash.given_on)}
        )
    ]


def infusion_problems(
    *,
    patient: Patient,
    given_on: dt.date | None,
    cycle_number: int | None,
    drugs: Sequence[str] = (),
    next_on: dt.date | None = None,
) -> list[InfusionError]:
    """Why this dose cannot be recorded, one problem per field (empty: it can). A value the
    form could not read is None and not checked here."""
    problems = []
    unknown = [code for code in drugs if code not in DRUGS]
    if unknown:
        problems.append(
            InfusionError("drugs", _("Unknown drug code: %(codes)s") % {"codes": unknown})
        )
    if given_on is not None and given_on > timezone.localdate():
        message = _("A dose is recorded once given. Plan a later one as the next infusion.")
        problems.append(InfusionError("given_on", message))
    elif given_on is not None and cycle_number is not None:
        problems += _order_problems(patient, given_on, cycle_number)
    if next_on is not None and given_on is not None and next_on <= given_on:
        problems.append(InfusionError("next_on", _("The next infusion comes after this one.")))
    return problems


def infusion_record(
    *,
    nurse: User,
    patient: Patient,
    given_on: dt.date,
    drugs: Sequence[str],
    cycle_number: int,
    next_on: dt.date | None = None,
) -> Infusion:
    """A dose given, as the nurse records it, and (optionally) when the next one is planned.
    Raises the first of `infusion_problems`.

    Recording the dose uses up the plan it fulfilled: the patient's planned date becomes
    `next_on` (None: not planned yet)."""
    require_care_team(nurse, patient.care_team_id, "Only the patient's care team records it.")
    with transaction.atomic():
        # Locked: two nurses recording cycle 3 at once get one cycle 3 and one refusal.
        locked = Patient.objects.select_for_update().get(pk=patient.pk)
        problems = infusion_problems(
            patient=patient,
            given_on=given_on,
            cycle_number=cycle_number,
            drugs=drugs,
            next_on=next_on,
        )
        if problems:
            raise problems[0]
        infusion = Infusion.objects.create(
            patient=patient,
            given_on=given_on,
            drugs=list(drugs),
            cycle_number=cycle_number,
            recorded_by=nurse,
        )
        newer = patient.infusions.filter(given_on__gt=given_on).exists()
        if not newer:  # an old dose typed in late leaves today's plan alone
            _plan_save(locked, next_on, nurse)
            patient.next_infusion_on = next_on
    logger.info("infusion %s recorded for patient %s by user %s", infusion.pk, patient.pk, nurse.pk)
    return infusion


def next_infusion_plan(*, nurse: User, patient: Patient, on: dt.date | None) -> Patient:
    """When the next dose is planned (None: not planned)."""
    require_care_team(nurse, patient.care_team_id, "Only the patient's care team plans it.")
    if on is not None and on < timezone.localdate():
        raise InfusionError("next_on", _("A planned infusion is today or later."))
    with transaction.atomic():
        _plan_save(Patient.objects.select_for_update().get(pk=patient.pk), on, nurse)
    patient.next_infusion_on = on
    logger.info("next infusion of patient %s planned by user %s", patient.pk, nurse.pk)
    return patient


def _plan_save(patient: Patient, on: dt.date | None, nurse: User) -> None:
    """The planned date, saved so that the patient's change history says who set it."""
    patient.next_infusion_on = on
    patient._history_user = nurse  # type: ignore[attr-defined]  # django-simple-history
    patient.save(update_fields=["next_infusion_on"])


def check_ins_before_infusions(*, now: dt.datetime | None = None) -> int:
    """Ask the families of patients whose next infusion is in two days to check in "before
    the next treatment"; once per planned date (the outbox's idempotency key)."""
    now = now or timezone.now()
    if timezone.localtime(now).hour < settings.IMMUNOWATCH_FOLLOW_UP_HOUR:
        return 0
    target = timezone.localdate(now) + dt.timedelta(days=CHECK_IN_DAYS_BEFORE)
    asked = 0
    links = CaregiverLink.objects.filter(
        patient__next_infusion_on=target, user__is_active=True
    ).select_related("user", "patient__care_team")
    for link in links:
        subject = f"check-in-{link.patient_id}-{target:%Y%m%d}"
        asked += len(notifications_for_follow_up(link=link, subject=subject, purpose="check_in"))
    return asked
