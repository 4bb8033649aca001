"""Reading and seeding the retention rules of a mission."""

from __future__ import annotations

from django.db import transaction

from pandu.core.models import Mission
from pandu.privacy.defaults import DEFAULT_RULES
from pandu.privacy.models import CLOCK, RetentionRule


def default_rule(mission: Mission, kind: str) -> RetentionRule:
    """The default rule for ``kind``, unsaved."""
    keep_days, action, kept, basis_id, basis_en = DEFAULT_RULES[kind]
    rule = RetentionRule(
        mission=mission,
        kind=kind,
        keep_days=keep_days,
        action=action,
        kept_on_request=kept,
        legal_basis_id=basis_id,
        legal_basis_en=basis_en,
    )
    rule.clock = CLOCK[kind]
    return rule


@transaction.atomic
def retention_rules_seed(*, mission: Mission) -> int:
    """Create the default rule of each kind the mission has none of. Returns how many.

    Rules a mission already has are left as they are (an administrator may have changed them).
    """
    have = set(RetentionRule.objects.filter(mission=mission).values_list("kind", flat=True))
    created = 0
    for kind in DEFAULT_RULES:
        if kind not in have:
            default_rule(mission, kind).save()
            created += 1
    return created


def rules_for(mission: Mission) -> dict[str, RetentionRule]:
    """The mission's rule of each kind; the default (unsaved) for a kind it has no row for, so a
    mission created after the seeding is still covered."""
    found = {rule.kind: rule for rule in RetentionRule.objects.filter(mission=mission)}
    # In the order of the kinds (as the pages list them).
    return {kind: found.get(kind) or default_rule(mission, kind) for kind in DEFAULT_RULES}
