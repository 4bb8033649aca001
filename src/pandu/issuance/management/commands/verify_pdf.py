"""``pandu verify_pdf FILE``: is this PDF a document Pandu issued, unchanged?

Prints JSON (signature verdicts, whether the file's SHA-256 is in the register, the document's
key facts) and exits 0 when the PDF is valid, 1 when it is not, 2 when the file cannot be read.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pandu.issuance.verification import verify_pdf


class Command(BaseCommand):
    help = "Check a PDF's signature and that it matches a document Pandu issued."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the PDF to check")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read ({exc.strerror})", returncode=2) from exc
        result = verify_pdf(data)
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        if not result.valid:
            raise SystemExit(1)
