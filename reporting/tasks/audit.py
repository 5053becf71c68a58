"""Beat task: the audit trail's retention (the service does the work)."""

from __future__ import annotations

from celery import shared_task

from reporting.security.audit import audit_trail_purge


@shared_task(ignore_result=True)
def purge_audit_trail() -> int:
    return audit_trail_purge()
