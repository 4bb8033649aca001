"""Gunicorn's configuration for Pandu: ``gunicorn -c python:pandu.gunicorn_conf pandu.wsgi``.

Every value can be set by an environment variable, so one file serves a 2-core consulate server
and a larger one. The defaults are what the booking rush measured best on 2 cores
(``docs/performance.md``): ``PANDU_WEB_WORKERS`` processes (default: two per core plus one)
of ``PANDU_WEB_THREADS`` threads each (default 1, gunicorn's sync worker). Each process keeps
its database connection open between requests (``PANDU_DB_CONN_MAX_AGE``, default 60 s here),
so PostgreSQL sees at most workers x threads connections: keep that under its
``max_connections`` together with the task workers, or put PgBouncer in between.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    try:
        value = int(raw) if raw else default
    except ValueError as exc:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from exc
    if value < 1:
        raise SystemExit(f"{name} must be at least 1, not {value}")
    return value


cores = os.cpu_count() or 1
bind = os.environ.get("PANDU_BIND", "127.0.0.1:8000")
workers = _int("PANDU_WEB_WORKERS", 2 * cores + 1)
threads = _int("PANDU_WEB_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
# Connections are reused across requests (the settings read PANDU_DB_CONN_MAX_AGE); setting it
# here makes that the default for gunicorn without changing it for management commands.
os.environ.setdefault("PANDU_DB_CONN_MAX_AGE", "60")
# Load the application once in the master: workers start faster and share its memory.
preload_app = True
timeout = _int("PANDU_WEB_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (spread out), so no slow leak can grow for ever.
max_requests = _int("PANDU_WEB_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("PANDU_WEB_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("PANDU_WEB_LOG_LEVEL", "info")
# Behind a reverse proxy on the same machine only: it sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("PANDU_FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server) -> None:
    """Load in the master what each worker would otherwise load on its first request.

    With the application preloaded, a worker still imported the URL configuration (every view
    and the API's routes) and the translation catalogues when its first request came, about a
    second of CPU each time one started (and again after each ``max_requests``). Loaded here,
    once, the workers start ready and share those pages of memory.
    """
    if not preload_app:
        return
    from django.conf import settings  # noqa: PLC0415 -- the application is loaded by now
    from django.conf.urls.i18n import is_language_prefix_patterns_used  # noqa: PLC0415
    from django.db import connections  # noqa: PLC0415
    from django.urls import get_resolver  # noqa: PLC0415
    from django.utils import translation  # noqa: PLC0415

    get_resolver().url_patterns  # noqa: B018 -- imports the URL configuration
    is_language_prefix_patterns_used(settings.ROOT_URLCONF)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("")
    # Nothing above should have connected; a connection must never be shared with the workers.
    connections.close_all()
