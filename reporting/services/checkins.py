"""Recording a call about a missed check-in (README, "For nurses", "Missed check-ins").

Only a nurse of the patient's care team records one (PermissionDenied otherwise; the view
answers 404 before). A refused call raises `CheckinCallError` with a translated message and
stores nothing.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from reporting.models import CheckinCall, Patient, User
from reporting.selectors.people import require_care_team

logger = logging.getLogger(__name__)


class CheckinCallError(Exception):
    """The call was not recorded; str() says why, in the nurse's language."""


def checkin_call_record(
    *, nurse: User, patient: Patient, outcome: str, note: str = ""
) -> CheckinCall:
    """Record that `nurse` called about `patient` just now, and what came of it."""
    require_care_team(
        nurse, patient.care_team_id, "Only the patient's care team records check-in calls."
    )
    if outcome not in CheckinCall.Outcome.values:
        raise CheckinCallError(
            _("Choose what came of the call: “Called, no answer” or “Called, all well”.")
        )
    note = note.strip()
    if len(note) > CheckinCall.NOTE_MAX_LENGTH:
        raise CheckinCallError(
            _("Keep the call note to %(max)d characters.") % {"max": CheckinCall.NOTE_MAX_LENGTH}
        )
    call = CheckinCall(patient=patient, outcome=outcome, note=note, called_by=nurse)
    call._history_user = nurse  # type: ignore[attr-defined]  # django-simple-history
    with transaction.atomic():  # the call and its history row together
        call.save()
    # Ids only: no health details in logs.
    logger.info(
        "check-in call %s recorded for patient %s by user %s", call.pk, patient.pk, nurse.pk
    )
    return call
