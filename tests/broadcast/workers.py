"""A real ``pandu db_worker`` process on the test database, for tests that need one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

BIN = Path(sys.executable).parent
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def database_url() -> str:
    """The URL of the database this test run uses (SQLite's file, or PostgreSQL's test
    database), for a process of its own."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(db['NAME'], safe='')}"


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a worker on this test run's database, with ``extra`` variables."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pandu.settings_test",
        "DATABASE_URL": database_url(),
        "PYTHONPATH": os.pathsep.join(sys.path),
        "PANDU_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        **extra,
    }


def worker_start(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "pandu"), "db_worker", "--interval", "0.1", "--no-startup-delay"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def worker_kill(process: subprocess.Popen | None) -> None:
    """SIGKILL: no cleanup, as a machine losing power."""
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
