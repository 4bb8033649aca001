"""The default retention rules for every mission that exists (see ``privacy.defaults``).

Missions created later get theirs from ``privacy.rules.retention_rules_seed`` (the demo loader
calls it) and, until then, the defaults apply as if seeded (``rules_for``).
"""

from django.db import migrations

from pandu.privacy.defaults import CLOCKS, DEFAULT_RULES


def seed(apps, schema_editor):
    Mission = apps.get_model("core", "Mission")
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for mission in Mission.objects.all():
        have = set(RetentionRule.objects.filter(mission=mission).values_list("kind", flat=True))
        for kind, (keep_days, action, kept, basis_id, basis_en) in DEFAULT_RULES.items():
            if kind in have:
                continue
            RetentionRule.objects.create(
                mission=mission,
                kind=kind,
                keep_days=keep_days,
                action=action,
                clock=CLOCKS[kind],
                kept_on_request=kept,
                legal_basis_id=basis_id,
                legal_basis_en=basis_en,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_retention_rules_and_decisions"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
