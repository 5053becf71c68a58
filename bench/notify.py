"""Benchmark: from report commit to notification sent, with one Celery worker on Redis.

Goals (issue 5): p50 under 100 ms and p99 under 500 ms over 500 alerts; 500+ deliveries/s for
a burst of 5,000; the e-mail backend in memory (EMAIL_URL=memorymail://). Not a test.

    .venv/bin/python bench/notify.py [--alerts 500] [--burst 5000] [--rate 50]
        [--concurrency 2] [--single]
        [--database-url postgres://postgres@127.0.0.1:5432/iw_alerts_bench]

It starts its own redis-server on a free port and its own worker, and uses a fresh SQLite file
in a temporary folder unless --database-url is given (PostgreSQL: the database is created if
missing, migrated, and its alert data deleted first). Phases:

1. latency: `--alerts` urgent reports through `report_submit`, paced at `--rate` per second;
   for each, the time from the commit to the worker's `sent_at`;
2. burst: `--burst` notifications written at once and enqueued after the commit the way the
   service does it (`enqueue_on_commit`: batches of IMMUNOWATCH_NOTIFICATION_BATCH_SIZE ids per
   task); deliveries per second from the commit to the last `sent_at`. `--single` publishes
   one single-id task per notification instead (what a stream of one-e-mail reports costs);
3. dead broker: how long `report_submit` takes when Redis is stopped (the publish must fail
   fast, leaving the notification pending for the sweep).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reporting.models import User

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# bench/http.py would hide the standard library's `http` from a script run in this folder.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from tests.support.redis_server import PrivateRedis  # noqa: E402

# A benchmark runs production settings on a throw-away database: a public key is fine here.
BENCH_SECRET_KEY = "bench-only-secret-key-not-for-any-deployment-5c8e1a7f3b9d2046"  # noqa: S105
URGENT = [{"code": "diarrhea", "stools_over_baseline": 4}]


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alerts", type=int, default=500)
    parser.add_argument("--burst", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=50.0, help="reports per second, phase 1")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--single",
        action="store_true",
        help="burst: one single-id task per notification instead of the service's batches",
    )
    return parser.parse_args()


def _environment(args: argparse.Namespace, workdir: Path, redis_url: str) -> dict[str, str]:
    # sqlite:/// + an absolute path: four slashes, as django-environ wants.
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": "memorymail://",
        "IMMUNOWATCH_VAR_DIR": str(workdir),
        "IMMUNOWATCH_SMS_BACKEND": "reporting.channels.sms.ConsoleSmsBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Production settings (DEBUG off, as measured) refuse to start without these two.
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or BENCH_SECRET_KEY,
        "SITE_URL": os.environ.get("SITE_URL") or "http://127.0.0.1:8000",
    }


def _create_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    if env["DATABASE_URL"].startswith("postgres"):
        _create_postgres_database(env["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _people() -> tuple[Any, Any]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from reporting.models import Alert, CaregiverLink, CareTeam, CareTeamMembership, Patient

    Alert.objects.all().delete()  # a re-used PostgreSQL database: start from no alerts
    user_model = get_user_model()
    team, _ = CareTeam.objects.get_or_create(name="Bench team")
    nurse, _ = user_model.objects.get_or_create(
        username="bench-nurse", defaults={"email": "bench-nurse@example.org"}
    )
    nurse.groups.add(Group.objects.get_or_create(name="nurse")[0])
    CareTeamMembership.objects.get_or_create(
        care_team=team, nurse=nurse, defaults={"on_duty": True}
    )
    patient, _ = Patient.objects.get_or_create(
        hospital_number="BENCH-1",
        defaults={
            "full_name": "Bench Patient",
            "date_of_birth": dt.date(1960, 1, 1),
            "care_team": team,
            "regimen": ["atezolizumab"],
        },
    )
    family, _ = user_model.objects.get_or_create(username="bench-family")
    family.groups.add(Group.objects.get_or_create(name="family")[0])
    CaregiverLink.objects.get_or_create(
        user=family, patient=patient, defaults={"relationship": "child"}
    )
    return patient, family


def _start_worker(env: dict[str, str], concurrency: int, log: Path) -> subprocess.Popen[bytes]:
    celery = str(Path(sys.executable).with_name("celery"))
    return subprocess.Popen(
        [
            celery,
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
            "-n",
            "bench@localhost",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def _wait_all_sent(ids: list[int], timeout: float = 600) -> None:
    from reporting.models import Notification

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Notification.objects.filter(pk__in=ids, status="sent").count() == len(ids):
            return
        time.sleep(0.2)
    raise SystemExit("timed out waiting for deliveries (see the worker log)")


def _sent(at: dt.datetime | None) -> dt.datetime:
    """A notification's `sent_at`: set, as `_wait_all_sent` waited for every one."""
    if at is None:
        raise SystemExit("a notification waited for has no sent_at")
    return at


def _submit(patient: Any, family: User) -> tuple[int, float]:
    """One urgent report; returns its notification id and the wall-clock time of its commit."""
    from django.db import transaction

    from reporting.models import Notification
    from reporting.services import report_submit

    committed: list[float] = []
    with transaction.atomic():
        # Registered first, so it runs right after COMMIT, before the enqueue callback.
        transaction.on_commit(lambda: committed.append(time.time()))
        report = report_submit(
            patient=patient, reported_by=family, reporter_role="family", symptoms=URGENT
        )
    return Notification.objects.get(alert__reports=report).pk, committed[0]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def phase_latency(patient: Any, family: User, count: int, rate: float) -> dict[str, float]:
    from reporting.models import Notification

    committed: dict[int, float] = {}
    start = time.monotonic()
    for index in range(count):
        pause = start + index / rate - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        notification_id, at = _submit(patient, family)
        committed[notification_id] = at
    _wait_all_sent(list(committed))
    sent = Notification.objects.filter(pk__in=committed).values_list("pk", "sent_at")
    latencies = [(_sent(sent_at).timestamp() - committed[pk]) * 1000 for pk, sent_at in sent]
    return {
        "p50_ms": statistics.median(latencies),
        "p99_ms": _percentile(latencies, 0.99),
        "max_ms": max(latencies),
    }


def _write_burst(patient: Any, count: int, *, batched: bool) -> tuple[list[int], float, float]:
    """`count` urgent alerts with one notification each, written in bulk in one transaction.

    batched: enqueued by `enqueue_on_commit` as the service does (after the commit, in batches
    of IMMUNOWATCH_NOTIFICATION_BATCH_SIZE ids). Returns the ids, when the commit happened and
    when publishing ended (both equal without `batched`: nothing is published yet)."""
    from django.db import transaction
    from django.utils import timezone

    from reporting.models import Alert, Notification, Report
    from reporting.notifications import enqueue_on_commit

    now = timezone.now()
    nurse = patient.care_team.memberships.get().nurse
    marks: list[float] = []
    with transaction.atomic():
        transaction.on_commit(lambda: marks.append(time.time()))  # runs first: the commit
        reports = Report.objects.bulk_create(
            Report(patient=patient, reporter_role="family", level="urgent", ruleset="2026.1")
            for _ in range(count)
        )
        alerts = Alert.objects.bulk_create(
            Alert(
                patient=patient,
                care_team=patient.care_team,
                level="urgent",
                level_rank=2,
                created_at=now,
                due_at=now + dt.timedelta(hours=1),
            )
            for _ in reports
        )
        for report, alert in zip(reports, alerts, strict=True):
            report.alert = alert
        Report.objects.bulk_update(reports, ["alert"])
        rows = Notification.objects.bulk_create(
            Notification(
                care_team=patient.care_team,
                alert=a,
                purpose="alert",
                recipient=nurse,
                channel="email",
                address=nurse.email,
                idempotency_key=f"bench-{a.pk}",
            )
            for a in alerts
        )
        if batched:
            enqueue_on_commit(rows)
        transaction.on_commit(lambda: marks.append(time.time()))  # runs last: all published
    return [row.pk for row in rows], marks[0], marks[-1]


def phase_burst(patient: Any, count: int, *, single: bool) -> dict[str, float]:
    """Deliveries per second from the commit (batched) or the first publish (single) to the
    last `sent_at`."""
    from reporting.models import Notification
    from reporting.notifications import publish_delivery

    ids, first_publish, published = _write_burst(patient, count, batched=not single)
    if single:  # one single-id task per notification, as a stream of one-e-mail reports
        first_publish = time.time()
        for pk in ids:
            publish_delivery(pk)
        published = time.time()
    _wait_all_sent(ids)
    rows = Notification.objects.filter(pk__in=ids)
    last_sent = max(_sent(at) for at in rows.values_list("sent_at", flat=True)).timestamp()
    duplicates = rows.exclude(attempts=1).count()
    return {
        "deliveries_per_s": count / (last_sent - first_publish),
        "publish_per_s": count / (published - first_publish),
        "seconds": last_sent - first_publish,
        "rows_attempted_more_than_once": duplicates,
    }


def phase_dead_broker(redis: PrivateRedis, patient: Any, family: User, count: int = 20) -> dict:
    from reporting.models import Notification

    redis.stop()
    timings, ids = [], []
    for _ in range(count):
        started = time.monotonic()
        notification_id, _at = _submit(patient, family)
        timings.append((time.monotonic() - started) * 1000)
        ids.append(notification_id)
    pending = Notification.objects.filter(pk__in=ids, status="pending").count()
    return {
        "submit_p50_ms": statistics.median(timings),
        "submit_max_ms": max(timings),
        "left_pending": f"{pending}/{count}",
    }


def main() -> None:
    args = _parse()
    workdir = Path(tempfile.mkdtemp(prefix="iw-bench-"))
    redis = PrivateRedis()
    redis.start()
    env = _environment(args, workdir, redis.url)
    _setup_django(env)
    patient, family = _people()
    worker = _start_worker(env, args.concurrency, workdir / "worker.log")
    try:
        _wait_all_sent([_submit(patient, family)[0]], timeout=60)  # warm-up: worker ready
        database = env["DATABASE_URL"].split("://")[0]
        print(f"database={database} broker=redis (private) worker concurrency={args.concurrency}")
        latency = phase_latency(patient, family, args.alerts, args.rate)
        print(
            f"latency, {args.alerts} alerts at {args.rate:g}/s: "
            + ", ".join(f"{k}={v:.1f}" for k, v in latency.items())
        )
        burst = phase_burst(patient, args.burst, single=args.single)
        mode = "single-id tasks" if args.single else "batched by enqueue_on_commit"
        print(
            f"burst of {args.burst} ({mode}): "
            + ", ".join(
                f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in burst.items()
            )
        )
        dead = phase_dead_broker(redis, patient, family)
        print(
            "redis stopped: "
            + ", ".join(
                f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in dead.items()
            )
        )
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        redis.stop()
    print(f"worker log: {workdir / 'worker.log'}")


if __name__ == "__main__":
    main()
