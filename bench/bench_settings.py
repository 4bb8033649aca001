"""Pandu's own settings, with ``bench_urls`` as the URL configuration (see that module)."""

from pandu.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
