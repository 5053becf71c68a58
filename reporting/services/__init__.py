"""Writes: keyword-only, typed services that validate before saving and own their transaction."""

from reporting.services.people import (
    InvitationError,
    invitation_accept,
    invitation_create,
    invitation_find,
    patient_enroll,
)

__all__ = [
    "InvitationError",
    "invitation_accept",
    "invitation_create",
    "invitation_find",
    "patient_enroll",
]
