"""``pandu audit_verify``: check that no audit event was changed or removed."""

from django.core.management.base import BaseCommand, CommandError

from pandu.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Checks the hash chain of the audit log; exits non-zero at the first broken event."

    def handle(self, *args, **options):
        broken, count = audit_chain_verify()
        if broken is not None:
            raise CommandError(
                f"Audit chain BROKEN at event #{broken.seq}: {broken.reason} ({count} events read)."
            )
        self.stdout.write(f"Audit chain intact: {count} events verified.")
