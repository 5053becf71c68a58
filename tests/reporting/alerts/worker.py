"""Real Celery workers (subprocesses) on a real Redis, sharing the test database.

Each worker runs in its own process group, so that a test can SIGKILL it (and its pool
children) without touching anything else. E-mails go to files (EMAIL_URL=filemail://), where
the test counts them.
"""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import kombu.pools
from celery import current_app
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
CELERY = str(Path(sys.executable).with_name("celery"))
DEADLINE_SECONDS = 90.0


def database_url() -> str:
    """The test database (not the one DATABASE_URL names), as a URL for the worker."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, *, broker_url: str, mail_dir: Path, log_dir: Path, **env: str) -> None:
        self.name = f"iw-alerts-{uuid.uuid4().hex[:8]}@localhost"
        self.log_path = log_dir / f"{self.name}.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
            "DATABASE_URL": database_url(),
            "REDIS_URL": broker_url,
            # django-environ drops one leading slash: four make an absolute path.
            "EMAIL_URL": f"filemail:///{mail_dir.resolve()}",
            "SITE_URL": settings.SITE_URL,
            "IMMUNOWATCH_WEBHOOK_SECRET": settings.IMMUNOWATCH_WEBHOOK_SECRET,
            "IMMUNOWATCH_SMS_BACKEND": "reporting.channels.sms.ConsoleSmsBackend",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                CELERY,
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                "-n",
                self.name,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killpg reaches only this worker
        )
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its pool children, as an OOM killer or a power cut would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@contextmanager
def workers(count: int, **options: Any) -> Iterator[list[Worker]]:
    started = [Worker(**options).start() for _ in range(count)]
    try:
        yield started
    finally:
        for worker in started:
            worker.stop()


@contextmanager
def publishing_to(broker_url: str) -> Iterator[None]:
    """Point this process's Celery app (the on_commit publisher) at `broker_url`."""
    app = current_app
    saved = (app.conf.broker_url, app.conf.broker_transport_options)

    def reset() -> None:
        # Celery caches its pools, kombu keeps them in a global registry by URL: clear both,
        # or the next test would get a closed pool ("Acquire on closed pool"). Both caches are
        # private (no API resets them), so celery-types does not declare them.
        app._pool = None  # type: ignore[attr-defined]
        app.amqp._producer_pool = None  # type: ignore[attr-defined]
        kombu.pools.reset()

    reset()
    # What `conf.broker_url = ...` does (Settings.__setattr__); celery-types has it read-only.
    app.conf["broker_url"] = broker_url
    app.conf.broker_transport_options = {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.5,
        "interval_max": 0.5,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "store_processed"):
        app.conf.broker_transport_options.pop(key, None)
    try:
        yield
    finally:
        reset()
        app.conf["broker_url"], app.conf.broker_transport_options = saved


def wait_for(condition: Callable[[], bool], what: str, *, workers: Sequence[Worker] = ()) -> None:
    """Poll until `condition()`; fail (with the workers' logs) after a generous deadline."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    logs = "\n".join(w.log()[-3000:] for w in workers)
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


def delivered_emails(mail_dir: Path) -> list[email.message.Message]:
    """Every e-mail the workers' filebased backend wrote (files hold one or more messages)."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                messages.append(email.message_from_string(chunk.strip()))
    return messages
