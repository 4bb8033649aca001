"""``pandu mrz INPUT.json`` and ``pandu mrz --check LINE1 LINE2``: a passport's MRZ (TD3).

With a JSON file (keys ``document_type``, ``issuing_state``, ``surname``, ``given_names``,
``document_number``, ``nationality``, ``birth_date`` YYYY-MM-DD, ``sex`` M/F/X, ``expiry_date``
YYYY-MM-DD, ``personal_number``) it prints the two lines. With ``--check`` it prints JSON with
each field, each check digit's verdict and ``valid``, and exits 1 when the MRZ is not valid.
Bad input exits 2 with a message on stderr. The work is done by
:mod:`pandu.applications.mrz`.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pandu.applications.mrz import MRZInputError, check_td3, compose_td3, input_from_dict
from pandu.applications.mrz_text import mrz_message


class Command(BaseCommand):
    help = "Compose a passport's machine-readable zone (TD3) from JSON, or check two lines."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("input", nargs="?", help="holder's data as JSON")
        parser.add_argument(
            "--check", nargs=2, metavar=("LINE1", "LINE2"), help="check two MRZ lines"
        )

    def handle(self, *args, input=None, check=None, **options):
        if check:
            if input:
                raise CommandError("give either INPUT.json or --check, not both", returncode=2)
            try:
                result = check_td3(*check)
            except MRZInputError as exc:
                raise CommandError(mrz_message(exc), returncode=2) from exc
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            if not result.valid:
                raise SystemExit(1)
            return
        if not input:
            raise CommandError("give INPUT.json, or --check LINE1 LINE2", returncode=2)
        path = Path(input)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"{path}: cannot read ({exc.strerror})", returncode=2) from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{path}: not valid JSON ({exc})", returncode=2) from exc
        try:
            td3 = compose_td3(input_from_dict(raw))
        except MRZInputError as exc:
            raise CommandError(
                f"{path}: {exc.field or 'input'}: {mrz_message(exc)}", returncode=2
            ) from exc
        self.stdout.write(td3.line1)
        self.stdout.write(td3.line2)
