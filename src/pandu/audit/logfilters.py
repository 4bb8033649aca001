"""Keeping personal data out of the logs (docs/privacy.md "Logs").

Logs travel further than the database: terminals, log collectors, support tickets, none of which
the retention and access rules reach. Django's ``django.db.backends`` logger writes each SQL
statement with its values at DEBUG, and those values are every personal datum Pandu stores (names,
NIK, passport numbers, e-mail addresses). ``SQLOnlyWhenAsked`` drops those records unless
``settings.LOG_SQL`` is on (``PANDU_LOG_SQL=1``, for a developer with demo data), whatever level
someone sets on the logger.
"""

from __future__ import annotations

import logging


class SQLOnlyWhenAsked(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        from django.conf import settings  # noqa: PLC0415

        return bool(getattr(settings, "LOG_SQL", False))
