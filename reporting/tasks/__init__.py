"""Celery tasks, one module per area; `celery -A config` finds them through this package.

Tasks are thin: they take ids, load rows and call a service.
"""

from reporting.tasks import audit, care, notifications, reminders  # noqa: F401
