"""Benchmark: ImmunoWatch's busiest requests against a bare Django app, side by side.

Both run under gunicorn with 2 sync workers, on PostgreSQL databases of their own and a
private redis-server, driven by wrk (Debian's package) with bench/http.lua; each pair is
interleaved (baseline, then ImmunoWatch) and repeated `--rounds` times, and the medians are
compared, so that a noisy shared machine moves both sides alike:

    "I feel well" check-in (POST /report/new/)   vs  the baseline's insert + on-commit enqueue
    urgent report (one symptom: alert, notifications, a new patient each time)   vs  the same
    nurse queue, 20,000 open alerts, page of 50   vs  the baseline's page of 50 rows

ImmunoWatch runs with production settings (DEBUG off, whitenoise with collected static
files) and the dashboard bench's data (bench/dashboard.py's loader: 20,000 patients,
100,000 reports, 20,000 open alerts), plus families and sessions made here: the requests
carry a real session cookie and CSRF token, the nurse's session has passed two-factor, and
each session is where a sign-in puts it (the database, and Redis, where the app reads it).
The baseline (bench/baseline/) has no sessions, auth or other middleware.

    .venv/bin/python bench/http.py            # 3 rounds of 10 s per request and side
    .venv/bin/python bench/http.py --rounds 5 --duration 15

Not a test: nothing asserts timings. It prints requests/s, p50 and p99 for each side and the
ratios against the issue's goals.
"""

# ruff: noqa: E402 (the standard library is imported after the sys.path fix below)
from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, and its name (bench/http.py,
# as the issue names it) would hide the standard library's `http`: take the folder off.
_BENCH = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _BENCH]

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import dashboard
from tests.support.redis_server import free_port, private_redis

APP_DB, BASE_DB = "iw_http_app", "iw_http_base"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
CHECKIN_FAMILIES = 500
URGENT_FAMILIES = 12_000
CSRF = "benchCsrfSecret0123456789abcdefg"  # 32 letters and digits: an unmasked CSRF secret
GOALS = {  # the goals: (rps ratio at least, p99 at most this times the baseline's)
    "checkin": (0.5, 2.0),
    "urgent": (0.35, 2.0),
    "queue": (0.5, 2.0),
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=dashboard.DEFAULT_SERVER)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per side")
    return parser.parse_args()


def _admin(server: str, sql: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-qc", sql], check=True, capture_output=True)


@contextmanager
def databases(server: str) -> Iterator[None]:
    for name in (APP_DB, BASE_DB):
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _admin(server, f'CREATE DATABASE "{name}"')
    try:
        yield
    finally:
        for name in (APP_DB, BASE_DB):
            _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_environment(server: str, redis_url: str, static_root: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": dashboard.BENCH_SECRET_KEY,
        "SITE_URL": "http://127.0.0.1:8000",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_STATIC_ROOT": static_root,
        "DATABASE_URL": f"{server}/{APP_DB}",
        "REDIS_URL": redis_url,
    }


def base_environment(server: str, redis_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.baseline.settings",
        "BASELINE_DATABASE_URL": f"{server}/{BASE_DB}",
        "BASELINE_REDIS_URL": redis_url.rsplit("/", 1)[0] + "/1",
        "PYTHONPATH": str(ROOT),
    }


# --- ImmunoWatch's data: the dashboard bench's, then families with sessions ---------------


def load_app(args: argparse.Namespace) -> dict[str, Any]:
    """Load the data in this process (Django set up on the app database); the cookies."""
    load_args = argparse.Namespace(
        server=args.server,
        database=APP_DB,
        patients=20_000,
        reports=100_000,
        open_alerts=20_000,
        resolved_alerts=15_000,
    )
    dashboard.setup_django(load_args)
    dashboard.load(load_args)
    return _sessions()


def _session_cookie(user: Any, extra: dict[str, Any] | None = None) -> tuple[Any, str]:
    import datetime as dt

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from reporting.language import APPLIED

    key = uuid.uuid4().hex
    data = {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: "reporting.security.backends.RolesModelBackend",
        HASH_SESSION_KEY: user.get_session_auth_hash(),
        # As after the sign-in's first page: the account's language given to the session
        # (else the first request of each session writes it, which no later one does).
        APPLIED: user.language or "en",
        **(extra or {}),
    }
    session = Session(
        session_key=key,
        session_data=SessionStore().encode(data),
        expire_date=timezone.now() + dt.timedelta(days=1),
    )
    return session, f"sessionid={key}; csrftoken={CSRF}"


def _families(count: int, prefix: str, team: Any) -> list[tuple[int, str]]:
    """`count` family members, each with a patient of their own in `team`: (patient, cookie)."""
    import datetime as dt

    from django.contrib.auth.models import Group
    from django.contrib.sessions.models import Session

    from reporting.models import CaregiverLink, Patient, User
    from reporting.roles import FAMILY_GROUP

    users = User.objects.bulk_create(
        User(username=f"{prefix}-{number}", password=f"!{uuid.uuid4().hex}", language="en")
        for number in range(count)
    )
    patients = Patient.objects.bulk_create(
        Patient(
            full_name=f"{prefix} patient {number}",
            hospital_number=f"{prefix.upper()}-{number:06d}",
            date_of_birth=dt.date(1960, 1, 1),
            care_team=team,
            regimen=["atezolizumab", "bevacizumab"],
        )
        for number in range(count)
    )
    CaregiverLink.objects.bulk_create(
        CaregiverLink(user=user, patient=patient, relationship="child")
        for user, patient in zip(users, patients, strict=True)
    )
    group = Group.objects.get(name=FAMILY_GROUP)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=group.pk) for user in users
    )
    pairs = [_session_cookie(user) for user in users]
    Session.objects.bulk_create(session for session, _cookie in pairs)
    _keep_in_session_cache([session for session, _cookie in pairs])
    return [(patient.pk, cookie) for patient, (_s, cookie) in zip(patients, pairs, strict=True)]


def _keep_in_session_cache(rows: list[Any]) -> None:
    """Where sessions are read from the cache (reporting/security/sessions.py), put them
    there as a sign-in and the form's page would have, minutes before the report is sent."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.cache import caches

    if settings.SESSION_ENGINE != "reporting.security.sessions":
        return
    from reporting.security.sessions import CACHE_SECONDS, copy_for_cache
    from reporting.security.sessions import SessionStore as CachedStore

    decode, prefix = SessionStore().decode, CachedStore.cache_key_prefix
    kept = {
        prefix + row.session_key: copy_for_cache(
            decode(row.session_data), row.expire_date.timestamp()
        )
        for row in rows
    }
    caches[settings.SESSION_CACHE_ALIAS].set_many(kept, timeout=CACHE_SECONDS)


def _sessions() -> dict[str, Any]:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from reporting.models import CareTeam, User

    team = CareTeam.objects.order_by("pk").first()
    # The team's on-duty nurse gets each urgent alert by e-mail, as on a ward.
    User.objects.filter(username="bench-nurse-1").update(email="nurse1@bench.example")
    nurse = User.objects.get(username="bench-nurse-all")
    device = TOTPDevice.objects.create(user=nurse, name="Bench authenticator")
    session, nurse_cookie = _session_cookie(
        nurse, {DEVICE_ID_SESSION_KEY: device.persistent_id, "_staff_active_at": 0}
    )
    session.save()
    _keep_in_session_cache([session])
    return {
        "checkin": _families(CHECKIN_FAMILIES, "checkin", team),
        "urgent": _families(URGENT_FAMILIES, "urgent", team),
        "nurse": nurse_cookie,
    }


# --- the servers ---------------------------------------------------------------------------


def prepare_base(env: dict[str, str]) -> None:
    run = [PYTHON, "-m", "django"]
    subprocess.run([*run, "migrate", "--run-syncdb", "-v0"], env=env, cwd=ROOT, check=True)
    code = (
        "from bench.baseline.models import Item; "
        "Item.objects.bulk_create(Item(name=f'item {n}', value=n) for n in range(500))"
    )
    subprocess.run([*run, "shell", "-c", code], env=env, cwd=ROOT, check=True)


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int, probe: str) -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(
        [GUNICORN, app, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=2)
                break
            except Exception:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit(f"{app} did not start on port {port}") from None
                time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


# --- the load ------------------------------------------------------------------------------


def write_targets(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def wrk(port: int, targets: Path, args: argparse.Namespace, duration: int) -> dict[str, Any]:
    result = subprocess.run(
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{duration}s",
            "--latency",
            "-s",
            str(ROOT / "bench" / "http.lua"),
            f"http://127.0.0.1:{port}",
        ],
        env={**os.environ, "TARGETS": str(targets)},
        capture_output=True,
        text=True,
        check=True,
    )
    line = [row for row in result.stdout.splitlines() if row.startswith("{")][-1]
    return dict(json.loads(line))


def app_targets(kind: str, data: dict[str, Any], used: int) -> list[str]:
    if kind == "queue":
        return [f"GET\t/triage/\t{data['nurse']}\t"]
    if kind == "checkin":
        body = f"feel_well=1&csrfmiddlewaretoken={CSRF}"
        families = data["checkin"]
    else:
        body = (
            f"symptoms=diarrhea&diarrhea-stools_over_baseline=5&send=1&csrfmiddlewaretoken={CSRF}"
        )
        families = data["urgent"][used:]  # a new patient each time: a new alert each time
        if len(families) < 2_000:
            raise SystemExit("not enough fresh patients left for the urgent report")
    return [
        f"POST\t/report/new/?patient={patient}&key={{uuid}}\t{cookie}\t{body}"
        for patient, cookie in families
    ]


BASE_TARGETS = {
    "checkin": ["POST\t/items/new/\t\tname=bench&value=1"],
    "urgent": ["POST\t/items/new/\t\tname=bench&value=1"],
    "queue": ["GET\t/items/\t\t"],
}
LABELS = {
    "checkin": '"I feel well" check-in (POST /report/new/)',
    "urgent": "urgent report (one symptom, alert, notifications)",
    "queue": "nurse queue, 20,000 open alerts, page of 50",
}


def measure(args: argparse.Namespace, data: dict[str, Any], app_port: int, base_port: int) -> Any:
    folder = Path(tempfile.mkdtemp(prefix="iw-http-"))
    results: dict[str, dict[str, list[dict[str, Any]]]] = {
        kind: {"app": [], "base": []} for kind in LABELS
    }
    used = 0
    base_files = {k: write_targets(folder / f"base-{k}.txt", v) for k, v in BASE_TARGETS.items()}
    # Warm-up: connections, caches, the first compile of each template.
    for kind in LABELS:
        wrk(base_port, base_files[kind], args, 2)
        targets = write_targets(folder / f"app-{kind}.txt", app_targets(kind, data, used))
        warm = wrk(app_port, targets, args, 2)
        if kind == "urgent":
            used += warm["requests"] + 50
    for round_number in range(1, args.rounds + 1):
        for kind in LABELS:
            base = wrk(base_port, base_files[kind], args, args.duration)
            targets = write_targets(folder / f"app-{kind}.txt", app_targets(kind, data, used))
            app = wrk(app_port, targets, args, args.duration)
            if kind == "urgent":
                used += app["requests"] + 50
            results[kind]["base"].append(base)
            results[kind]["app"].append(app)
            print(
                f"  round {round_number} {kind:<8} baseline {base['rps']:7.1f}/s "
                f"p99 {base['p99_ms']:6.1f} ms | ImmunoWatch {app['rps']:7.1f}/s "
                f"p99 {app['p99_ms']:6.1f} ms (bad status {app['bad_status']})",
                flush=True,
            )
    shutil.rmtree(folder, ignore_errors=True)
    return results


def report(results: Any) -> None:
    print()
    print("| request | ImmunoWatch | bare Django | ratio | p99 ratio | goal |")
    print("|---|---|---|---|---|---|")
    for kind, label in LABELS.items():
        app = {
            key: statistics.median(r[key] for r in results[kind]["app"])
            for key in ("rps", "p50_ms", "p99_ms")
        }
        base = {
            key: statistics.median(r[key] for r in results[kind]["base"])
            for key in ("rps", "p50_ms", "p99_ms")
        }
        ratio, p99_ratio = app["rps"] / base["rps"], app["p99_ms"] / base["p99_ms"]
        least, most = GOALS[kind]
        met = "meets" if ratio >= least and p99_ratio <= most else "MISSES"
        if any(r["bad_status"] or r["socket_errors"] for r in results[kind]["app"]):
            met = "INVALID: some answers were errors (see the rounds above)"
        print(
            f"| {label} | {app['rps']:.0f}/s, p50 {app['p50_ms']:.0f} ms, "
            f"p99 {app['p99_ms']:.0f} ms "
            f"| {base['rps']:.0f}/s, p99 {base['p99_ms']:.0f} ms | {ratio:.2f} | {p99_ratio:.1f}x "
            f"| >= {least}, p99 <= {most:.0f}x: {met} |"
        )


def main() -> None:
    args = parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: sudo apt-get install -y wrk")
    with private_redis() as redis, databases(args.server):
        static_root = tempfile.mkdtemp(prefix="iw-static-")
        app_env = app_environment(args.server, redis.url, static_root)
        # REDIS_URL too: the loader then writes sessions where the app reads them.
        os.environ.update({k: app_env[k] for k in ("DJANGO_SECRET_KEY", "SITE_URL", "REDIS_URL")})
        data = load_app(args)
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=app_env,
            cwd=ROOT,
            check=True,
        )
        base_env = base_environment(args.server, redis.url)
        prepare_base(base_env)
        from django.db import connections

        connections.close_all()
        with (
            gunicorn("config.wsgi", app_env, args.workers, "/healthz") as app_port,
            gunicorn("bench.baseline.wsgi", base_env, args.workers, "/items/") as base_port,
        ):
            results = measure(args, data, app_port, base_port)
        shutil.rmtree(static_root, ignore_errors=True)
    report(results)


if __name__ == "__main__":
    main()
