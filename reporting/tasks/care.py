"""Beat tasks: the morning follow-up questions, and check-ins before planned infusions."""

from __future__ import annotations

from celery import shared_task

from reporting.services import care


@shared_task(name="reporting.tasks.care.ask_follow_ups", ignore_result=True, soft_time_limit=240)
def ask_follow_ups() -> int:
    return care.follow_ups_ask_due()


@shared_task(
    name="reporting.tasks.care.check_ins_before_infusions", ignore_result=True, soft_time_limit=240
)
def check_ins_before_infusions() -> int:
    return care.check_ins_before_infusions()
