"""Benchmark: the nurse's alert queue (/triage/) on a big PostgreSQL database.

Goals: the queue's median server time under 150 ms (issue 6) and the quality page's under
300 ms (issue 17), each with a query count that does not depend on the data. Run from the
project root, with PostgreSQL reachable:

    .venv/bin/python bench/dashboard.py
    .venv/bin/python bench/dashboard.py --server postgres://postgres@127.0.0.1:5432 --keep

It creates a dedicated database (`iw_bench` by default; dropped at the end unless --keep,
and re-created if it is there), migrates it, bulk-loads 20,000 patients, 100,000 reports and
20,000 open alerts (one per patient at most) plus 15,000 resolved ones across four care
teams, then requests the queue and the quality page many times through Django's test client
as a logged-in nurse and prints the median and 95th percentile server time and the number of
SQL queries per request. Server time is the whole request inside Django (middleware, view,
queries, template), without a network.

Reports are built from real assessments (`reporting.triage.assess`), so stored grades, levels
and irAE flags are what the engine gives. Not a test: nothing here asserts timings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reporting.models import User

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# bench/http.py would hide the standard library's `http` from a script run in this folder.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

GOAL_MS = 150.0
QUALITY_GOAL_MS = 300.0  # the quality page, 12 weeks of every team (issue 17)
SEED = 2026
TEAMS = 4
BATCH = 5_000
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
# A benchmark runs production settings on a throw-away database: a public key is fine here.
BENCH_SECRET_KEY = "bench-only-secret-key-not-for-any-deployment-5c8e1a7f3b9d2046"  # noqa: S105

# (share of alerts, level, engine input): each kind is assessed once, then reused.
ALERT_KINDS: tuple[tuple[int, str, list[dict[str, Any]]], ...] = (
    (35, "monitor", [{"code": "diarrhea", "stools_over_baseline": 2}]),
    (25, "monitor", [{"code": "high_blood_pressure", "systolic": 145, "diastolic": 85}]),
    (20, "urgent", [{"code": "diarrhea", "stools_over_baseline": 5}]),
    (10, "urgent", [{"code": "breathing", "breathless": "daily_activities"}]),
    (10, "emergency", [{"code": "chest_or_heart", "chest_pain": True}]),
)
ROUTINE_KINDS: tuple[list[dict[str, Any]], ...] = (
    [],  # "I feel well" check-in
    [{"code": "rash", "body_area": "small"}],
    [{"code": "nausea", "severity": "mild"}],
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_PG_SERVER", DEFAULT_SERVER),
        help="PostgreSQL server URL without a database name",
    )
    parser.add_argument("--database", default="iw_bench")
    # One open alert per patient (one episode, one alert): 20,000 open alerts need as many.
    parser.add_argument("--patients", type=int, default=20_000)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--open-alerts", type=int, default=20_000)
    parser.add_argument("--resolved-alerts", type=int, default=15_000)
    parser.add_argument("--requests", type=int, default=60, help="measured requests per page")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the kept database as it is (skip creating and loading)",
    )
    parser.add_argument("--explain", action="store_true", help="print the queue query plan")
    return parser.parse_args()


# --- the database --------------------------------------------------------------------------


def _admin_execute(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


@contextmanager
def bench_database(args: argparse.Namespace) -> Iterator[None]:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database):
        raise SystemExit("--database: lower-case letters, digits and underscores only")
    name = args.database
    if not args.reuse:
        _admin_execute(args.server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        _admin_execute(args.server, f"CREATE DATABASE {name}")
    try:
        yield
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            _admin_execute(args.server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def setup_django(args: argparse.Namespace) -> None:
    os.environ["DATABASE_URL"] = f"{args.server}/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    # Production settings (DEBUG off, as measured) refuse to start without these two.
    os.environ.setdefault("DJANGO_SECRET_KEY", BENCH_SECRET_KEY)
    os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
    import django

    django.setup()


# --- the data ------------------------------------------------------------------------------


def _assessed(symptoms: list[dict[str, Any]], regimen: list[str]) -> tuple[Any, list[Any]]:
    from reporting.services.reports import answers_as_assessed, stored_reason
    from reporting.triage import assess

    assessment = assess({"regimen": regimen, "symptoms": symptoms})
    report_fields = {
        "level": assessment.level.value,
        "suspected_irae": list(assessment.suspected_irae),
        "reasons": [stored_reason(reason) for reason in assessment.reasons],
        "ruleset": assessment.ruleset,
        "regimen": regimen,
    }
    entries = [
        {
            "position": position,
            "code": result.code,
            "answers": answers_as_assessed(entry),
            "grade": result.grade,
            "level": result.level.value,
            "irae": result.irae or "",
            "anti_vegf": result.anti_vegf,
        }
        for position, (entry, result) in enumerate(zip(symptoms, assessment.symptoms, strict=True))
    ]
    return report_fields, entries


def load(args: argparse.Namespace) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from reporting.models import (
        Alert,
        AlertEvent,
        CareTeam,
        CareTeamMembership,
        Patient,
        Report,
        SymptomEntry,
    )
    from reporting.roles import NURSE_GROUP
    from reporting.services.alerts import response_target

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    now = timezone.now()
    regimen = ["atezolizumab", "bevacizumab"]
    alert_kinds = [(weight, _assessed(symptoms, regimen)) for weight, _, symptoms in ALERT_KINDS]
    routine_kinds = [_assessed(symptoms, regimen) for symptoms in ROUTINE_KINDS]

    User = get_user_model()
    nurse_group = Group.objects.get(name=NURSE_GROUP)
    with transaction.atomic():
        teams = CareTeam.objects.bulk_create(
            CareTeam(name=f"Bench oncology team {number}") for number in range(1, TEAMS + 1)
        )
        nurses = []
        for number, team in enumerate(teams, start=1):
            nurse = User.objects.create(
                username=f"bench-nurse-{number}", first_name="Nurse", last_name=str(number)
            )
            nurse.groups.add(nurse_group)
            CareTeamMembership.objects.create(care_team=team, nurse=nurse, on_duty=True)
            nurses.append(nurse)
        # A nurse who covers every team: the biggest queue (all 20,000 open alerts).
        everyone = User.objects.create(
            username="bench-nurse-all", first_name="Nurse", last_name="All"
        )
        everyone.groups.add(nurse_group)
        CareTeamMembership.objects.bulk_create(
            CareTeamMembership(care_team=team, nurse=everyone) for team in teams
        )
        patients = Patient.objects.bulk_create(
            (
                Patient(
                    full_name=f"Bench patient {number}",
                    hospital_number=f"BENCH-{number:06d}",
                    date_of_birth=dt.date(1960, 1, 1) + dt.timedelta(days=number % 7000),
                    care_team=teams[number % TEAMS],
                    regimen=regimen,
                    created_at=now - dt.timedelta(days=120),
                )
                for number in range(args.patients)
            ),
            batch_size=BATCH,
        )

    if args.open_alerts > args.patients:
        raise SystemExit("--open-alerts: at most one open alert per patient (--patients)")
    alerting = args.open_alerts + args.resolved_alerts
    kinds = rng.choices(
        [fields for _, fields in alert_kinds], weights=[w for w, _ in alert_kinds], k=alerting
    )
    plan = [("open", kinds[i]) for i in range(args.open_alerts)]
    plan += [("resolved", kinds[i]) for i in range(args.open_alerts, alerting)]
    plan += [("none", rng.choice(routine_kinds)) for _ in range(args.reports - alerting)]
    rng.shuffle(plan)
    open_owners = iter(rng.sample(patients, args.open_alerts))

    for start in range(0, len(plan), BATCH):
        chunk = plan[start : start + BATCH]
        with transaction.atomic():
            _load_chunk(chunk, patients, open_owners, nurses, teams, now, rng, response_target)
        print(f"  loaded {start + len(chunk):,} / {len(plan):,} reports", end="\r", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print()
    counts = (
        Patient.objects.count(),
        Report.objects.count(),
        Alert.objects.filter(status__in=["new", "acknowledged"]).count(),
        Alert.objects.filter(status="resolved").count(),
        SymptomEntry.objects.count(),
        AlertEvent.objects.count(),
    )
    print(
        "Data: {:,} patients, {:,} reports, {:,} open alerts, {:,} resolved alerts, "
        "{:,} symptom entries, {:,} alert events ({:.0f} s to load)".format(
            *counts, time.perf_counter() - started
        )
    )


def _load_chunk(
    chunk: list[tuple[str, tuple[dict[str, Any], list[dict[str, Any]]]]],
    patients: list[Any],
    open_owners: Iterator[Any],
    nurses: list[Any],
    teams: list[Any],
    now: dt.datetime,
    rng: random.Random,
    response_target: Any,
) -> None:
    from reporting.models import Alert, AlertEvent, Report, SymptomEntry

    reports = []
    for status, (fields, _entries) in chunk:
        patient = next(open_owners) if status == "open" else rng.choice(patients)
        # Open alerts are from the last 3 days; the history spreads over 90 days.
        age = rng.uniform(0, 3 * 24 * 60) if status == "open" else rng.uniform(0, 90 * 24 * 60)
        reports.append(
            Report(
                patient=patient,
                reporter_role=Report.ReporterRole.FAMILY,
                reporter_relationship="child",
                submitted_at=now - dt.timedelta(minutes=age),
                **fields,
            )
        )
    Report.objects.bulk_create(reports, batch_size=BATCH)
    entries = [
        SymptomEntry(report=report, **entry)
        for report, (_status, (_fields, report_entries)) in zip(reports, chunk, strict=True)
        for entry in report_entries
    ]
    SymptomEntry.objects.bulk_create(entries, batch_size=BATCH)
    alerts = []
    alerted = []
    for report, (status, _kind) in zip(reports, chunk, strict=True):
        if status == "none":
            continue
        created = report.submitted_at
        alert = Alert(
            patient_id=report.patient_id,
            care_team_id=report.patient.care_team_id,
            level=report.level,
            # bulk_create skips Alert.save(), which sets the rank.
            level_rank={"monitor": 1, "urgent": 2, "emergency": 3}[report.level],
            suspected_irae=report.suspected_irae,
            created_at=created,
            due_at=created + response_target(report.level),
        )
        acknowledged = status == "resolved" or rng.random() < 0.3
        if acknowledged:
            team_nurse = nurses[teams.index(report.patient.care_team)]
            alert.status = Alert.Status.ACKNOWLEDGED
            alert.claimed_by = team_nurse
            alert.acknowledged_at = created + dt.timedelta(minutes=rng.uniform(5, 120))
        if status == "resolved":
            assert alert.acknowledged_at is not None  # a resolved alert was acknowledged above
            alert.status = Alert.Status.RESOLVED
            alert.outcome = Alert.Outcome.SELF_CARE
            alert.resolved_at = alert.acknowledged_at + dt.timedelta(minutes=30)
        alerts.append(alert)
        alerted.append(report)
    Alert.objects.bulk_create(alerts, batch_size=BATCH)
    # Reports point at their alert (Report.alert).
    for report, alert in zip(alerted, alerts, strict=True):
        report.alert = alert
    Report.objects.bulk_update(alerted, ["alert"], batch_size=BATCH)
    AlertEvent.objects.bulk_create(
        (AlertEvent(alert=alert, kind="created", created_at=alert.created_at) for alert in alerts),
        batch_size=BATCH,
    )


# --- the measurement -----------------------------------------------------------------------


def measure(client: Any, url: str, requests: int) -> tuple[float, float, int, int]:
    """(median ms, p95 ms, queries per request, response bytes) over `requests` requests."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):  # warm-up: connections, template cache, PostgreSQL buffers
        client.get(url)
    timings, query_counts = [], set()
    size = 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        query_counts.add(len(queries.captured_queries))
        size = len(response.content)
    if len(query_counts) != 1:
        raise SystemExit(f"{url}: the query count varied between requests: {query_counts}")
    p95 = statistics.quantiles(timings, n=20)[-1]
    return statistics.median(timings), p95, query_counts.pop(), size


def explain(nurse: User) -> None:
    from django.db import connection

    from reporting.selectors.dashboard import QUEUE_PAGE_SIZE, QueueFilters, alert_queue

    queryset = alert_queue(nurse, QueueFilters())[:QUEUE_PAGE_SIZE]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        print("\n".join(row[0] for row in cursor.fetchall()))


def run(args: argparse.Namespace) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test.utils import override_settings
    from django.urls import reverse

    from reporting.selectors.dashboard import OPEN_STATUSES, alerts_for_nurse

    if args.reuse:
        call_command("migrate", verbosity=0)  # a kept database gets new indexes too
    else:
        load(args)
    User = get_user_model()
    overrides = {
        "ALLOWED_HOSTS": ["testserver"],
        "SECURE_SSL_REDIRECT": False,
        "STORAGES": {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }
    queue = reverse("triage_queue")
    pages = [
        ("queue, default (open alerts)", queue),
        ("queue, refresh fragment", f"{queue}?fragment=1"),
        ("queue, emergency only", f"{queue}?level=emergency"),
        ("queue, page 100", f"{queue}?page=100"),
    ]
    print(f"{'nurse':<20} {'page':<30} {'median':>9} {'p95':>9} {'queries':>8} {'open':>7}")
    worst = 0.0
    with override_settings(**overrides):
        for username in ("bench-nurse-1", "bench-nurse-all"):
            nurse = User.objects.get(username=username)
            if args.explain:
                explain(nurse)
            client = signed_in_client(nurse)
            visible = alerts_for_nurse(nurse).filter(status__in=OPEN_STATUSES).count()
            for label, url in pages:
                median, p95, queries, _size = measure(client, url, args.requests)
                if url == queue:
                    worst = max(worst, median)
                print(
                    f"{username:<20} {label:<30} {median:>7.1f}ms {p95:>7.1f}ms "
                    f"{queries:>8} {visible:>7,}"
                )
        quality_worst = 0.0
        for username in ("bench-nurse-1", "bench-nurse-all"):
            client = signed_in_client(User.objects.get(username=username))
            for label, url in [
                ("quality page, 12 weeks", reverse("quality")),
                ("quality CSV, 12 weeks", reverse("quality_csv")),
            ]:
                median, p95, queries, _size = measure(client, url, max(args.requests // 3, 5))
                if url == reverse("quality"):
                    quality_worst = max(quality_worst, median)
                print(f"{username:<20} {label:<30} {median:>7.1f}ms {p95:>7.1f}ms {queries:>8}")
    verdict = "meets" if worst < GOAL_MS else "MISSES"
    print(f"Default queue: worst median {worst:.1f} ms; {verdict} the {GOAL_MS:.0f} ms goal.")
    verdict = "meets" if quality_worst < QUALITY_GOAL_MS else "MISSES"
    print(
        f"Quality page: worst median {quality_worst:.1f} ms; {verdict} the "
        f"{QUALITY_GOAL_MS:.0f} ms goal."
    )


def signed_in_client(nurse: User) -> Any:
    """A test client signed in as `nurse`, second factor included (as after a real sign-in,
    the page pays the one query that loads the device)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(nurse)
    device = TOTPDevice.objects.filter(user=nurse).first() or TOTPDevice.objects.create(
        user=nurse, name="Bench authenticator"
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main() -> None:
    args = parse_args()
    setup_django(args)
    with bench_database(args):
        run(args)


if __name__ == "__main__":
    main()
