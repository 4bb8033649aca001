"""A real ``pandu db_worker`` process on the test database, for tests that need one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.db import connection

BIN = Path(sys.executable).parent
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a worker on this test run's database, with ``extra`` variables."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pandu.settings_test",
        "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
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
