"""Beat task: weekly check-in reminders (the service does the work)."""

from __future__ import annotations

from celery import shared_task

from reporting.services.reminders import reminders_send_due


@shared_task(ignore_result=True)
def send_checkin_reminders() -> int:
    return reminders_send_due()
