"""``pandu encryption_rotate``: move encrypted data to the first data key, refresh lookup hashes.

Prints the rows written per model as JSON. Fails (non-zero exit, the reason on stderr) when a
value cannot be decrypted with any key in ``PANDU_DATA_KEYS`` or no key is configured.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from pandu.core import crypto
from pandu.core.services import encryption_rotate


class Command(BaseCommand):
    help = (
        "Encrypts every encrypted value again with the first key of PANDU_DATA_KEYS and "
        "recomputes the lookup hashes of identity numbers; prints the rows written as JSON."
    )

    def handle(self, *args, **options):
        try:
            counts = encryption_rotate()
        except crypto.KEY_ERRORS as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps({"rows": counts, "total": sum(counts.values())}))
