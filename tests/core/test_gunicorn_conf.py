"""The production server's configuration: what an operator sets by environment variables."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

import pandu

CONF = Path(pandu.__file__).parent / "gunicorn_conf.py"


def load(monkeypatch, **env) -> dict:
    for name in ("PANDU_WEB_WORKERS", "PANDU_WEB_THREADS", "PANDU_BIND", "PANDU_DB_CONN_MAX_AGE"):
        monkeypatch.setenv(name, "")  # so that the test puts back what was there before
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_defaults_fit_the_machine(monkeypatch):
    conf = load(monkeypatch)
    assert conf["workers"] == 2 * (os.cpu_count() or 1) + 1
    assert conf["worker_class"] == "sync" and conf["threads"] == 1
    assert conf["bind"] == "127.0.0.1:8000" and conf["preload_app"] is True
    assert os.environ["PANDU_DB_CONN_MAX_AGE"] == "60"  # connections kept between requests


def test_threads_switch_to_the_threaded_worker(monkeypatch):
    conf = load(
        monkeypatch, PANDU_WEB_WORKERS="2", PANDU_WEB_THREADS="8", PANDU_BIND="0.0.0.0:9000"
    )
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (2, 8, "gthread")
    assert conf["bind"] == "0.0.0.0:9000"


@pytest.mark.parametrize("value", ["two", "0", "-3"])
def test_a_bad_number_stops_with_its_name(monkeypatch, value):
    with pytest.raises(SystemExit, match="PANDU_WEB_WORKERS must be"):
        load(monkeypatch, PANDU_WEB_WORKERS=value)


def test_gunicorn_accepts_the_configuration():
    gunicorn = Path(sys.executable).parent / "gunicorn"
    result = subprocess.run(
        [str(gunicorn), "-c", "python:pandu.gunicorn_conf", "--check-config", "pandu.wsgi"],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "pandu.settings_test"},
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_the_master_loads_urls_and_catalogues_and_keeps_no_connection(monkeypatch):
    from django.conf import settings
    from django.conf.urls.i18n import is_language_prefix_patterns_used
    from django.db import connections

    is_language_prefix_patterns_used.cache_clear()
    conf = load(monkeypatch)
    conf["when_ready"](None)
    assert is_language_prefix_patterns_used.cache_info().currsize == 1
    assert settings.ROOT_URLCONF in sys.modules
    assert all(c.connection is None for c in connections.all(initialized_only=True))
