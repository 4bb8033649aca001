"""``pandu audit_verify``: check that no audit event was changed, removed or moved.

The chain is checked against its head row and against every signed checkpoint file (see
``pandu.audit.checkpoints``). Each problem is named on its own line; the exit status is non-zero
when there is any.
"""

from django.core.management.base import BaseCommand, CommandError

from pandu.audit.checkpoints import checkpoint_dir
from pandu.audit.selectors import audit_chain_check


class Command(BaseCommand):
    help = (
        "Checks the hash chain of the audit log against its head and its signed checkpoints; "
        "names every problem and exits non-zero when there is one."
    )

    def handle(self, *args, **options):
        check = audit_chain_check()
        n = len(check.checkpoints)
        read = f"{check.events} events read, {n} checkpoint{'' if n == 1 else 's'}"
        found = [*check.problems, *check.faults]
        lines = [f"  - {problem}" for problem in found]
        count = "1 problem" if len(found) == 1 else f"{len(found)} problems"
        if check.problems:
            first = check.problems[0].seq
            raise CommandError(
                "\n".join([f"Audit chain BROKEN at event #{first} ({read}); {count}:", *lines])
            )
        if check.faults:
            raise CommandError("\n".join([f"Audit checkpoints BROKEN ({read}); {count}:", *lines]))
        self.stdout.write(f"Audit chain intact: {check.events} events verified.")
        if check.checkpoints:
            latest = check.checkpoints[-1]
            self.stdout.write(
                f"Checkpoints: {len(check.checkpoints)} agree with the chain; the latest, "
                f"{latest.name}, records #{latest.seq} ({latest.label}, {latest.method})."
            )
        else:
            self.stdout.write(
                f"No checkpoint yet in {checkpoint_dir()}: events removed from the end together "
                "with the head row would go unnoticed until one is written (pandu run_due)."
            )
