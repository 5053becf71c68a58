"""The notification outbox: who is told what, and delivering it at least once, idempotently.

One module per job: `recipients` (who is told, in which language), `outbox` (writing rows in
the caller's transaction and handing their ids to the workers after commit; the sweep),
`delivery` (claiming, sending through the channels, recording) and `messages` (what a
message says). README, "Alerts and notifications", tells the whole story.
"""

from reporting.notifications.delivery import (
    NotificationRetryLater,
    Outcome,
    notification_deliver,
    notifications_deliver,
)
from reporting.notifications.messages import alert_link, queue_link, render_message
from reporting.notifications.outbox import (
    DELIVER_BATCH_TASK,
    DELIVER_TASK,
    delivery_batches,
    digests_send,
    enqueue_on_commit,
    notifications_for_escalation,
    notifications_for_follow_up,
    notifications_for_invitation,
    notifications_for_new_alert,
    notifications_for_password_reset,
    notifications_for_raised_alert,
    notifications_for_reminder,
    notifications_sweep,
    publish_deliveries,
    publish_delivery,
)
from reporting.notifications.recipients import (
    Recipient,
    digest_recipients,
    escalation_recipients,
    new_alert_recipients,
    on_duty_recipients,
)

__all__ = [
    "DELIVER_BATCH_TASK",
    "DELIVER_TASK",
    "NotificationRetryLater",
    "Outcome",
    "Recipient",
    "alert_link",
    "delivery_batches",
    "digest_recipients",
    "digests_send",
    "enqueue_on_commit",
    "escalation_recipients",
    "new_alert_recipients",
    "notification_deliver",
    "notifications_deliver",
    "notifications_for_escalation",
    "notifications_for_follow_up",
    "notifications_for_invitation",
    "notifications_for_new_alert",
    "notifications_for_password_reset",
    "notifications_for_raised_alert",
    "notifications_for_reminder",
    "notifications_sweep",
    "on_duty_recipients",
    "publish_deliveries",
    "publish_delivery",
    "queue_link",
    "render_message",
]
