"""``pandu ikm FILE.csv``: the satisfaction index of survey responses, as JSON.

Reads one row per respondent with columns ``u1`` ... ``u9`` (1-4) and optionally ``service``,
``channel`` and ``date`` (YYYY-MM-DD), computes with :mod:`pandu.feedback.ikm` and prints
``ikm`` (two decimals), ``category``, ``label``, ``respondents`` and ``per_element`` (mean
scores), plus ``by_service``, ``by_channel`` and ``by_month`` when those columns are filled, and
``rejected_rows``. A row with an element missing or outside 1-4 is left out and reported by its
row number (the header is row 1) on stderr and in ``rejected_rows``; it is never counted.
An unreadable file, a missing column or no valid row exits with status 2 and a message.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from pandu.feedback import ikm


class Command(BaseCommand):
    help = "IKM (PermenPANRB 14/2017) of survey responses in a CSV file, as JSON."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="CSV with columns u1..u9 (1-4), optional service, channel, date"
        )

    def _result(self, result: ikm.Result) -> dict:
        data = result.as_dict()
        data["label"] = gettext(data["label"])
        return data

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                respondents, rejected = ikm.read_csv(handle)
        except OSError as exc:
            raise CommandError(
                gettext("%(path)s: tidak dapat dibaca (%(error)s)")
                % {"path": path, "error": exc.strerror},
                returncode=2,
            ) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                gettext("%(path)s: bukan teks UTF-8") % {"path": path}, returncode=2
            ) from exc
        except ikm.CsvError as exc:
            raise CommandError(f"{path}: {gettext(str(exc))}", returncode=2) from exc
        rejected_rows = [
            {
                "row": item.row,
                "reason": gettext("nilai tidak sah (unsur 1-4, tanggal YYYY-MM-DD): %(values)s")
                % {"values": item.reason},
            }
            for item in rejected
        ]
        for item in rejected_rows:
            self.stderr.write(
                gettext("Baris %(row)d tidak dihitung: %(reason)s")
                % {"row": item["row"], "reason": item["reason"]}
            )
        if not respondents:
            raise CommandError(
                gettext("%(path)s: tidak ada baris jawaban yang sah.") % {"path": path},
                returncode=2,
            )
        out = self._result(ikm.compute(r.scores for r in respondents))
        groups = {
            "by_service": (lambda r: r.service),
            "by_channel": (lambda r: r.channel),
            "by_month": (lambda r: ikm.month_of(r.date)),
        }
        for name, key in groups.items():
            if any(key(r) for r in respondents):
                out[name] = {
                    str(k): self._result(v) for k, v in ikm.grouped(respondents, key).items()
                }
        out["rejected_rows"] = rejected_rows
        self.stdout.write(json.dumps(out, ensure_ascii=False))
