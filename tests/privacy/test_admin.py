"""System administrators change retention rules in the admin; the rule's own checks apply."""

from __future__ import annotations

from pandu.audit.models import AuditEvent
from pandu.people.models import User
from pandu.privacy.models import RetentionRule


def _form(**changes):
    data = {
        "keep_days": "30",
        "action": "anonymise",
        "legal_basis_id": "Kebijakan arsip perwakilan.",
        "legal_basis_en": "The mission's records policy.",
    }
    data.update(changes)
    return data


def test_a_system_administrator_changes_a_rule(client, demo):
    rule = RetentionRule.objects.get(mission=demo["toronto"], kind="tickets")
    client.force_login(User.objects.get(email="sysadmin@toronto.pandu.test"))
    url = f"/admin/privacy/retentionrule/{rule.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, _form()).status_code == 302
    rule.refresh_from_db()
    assert rule.keep_days == 30 and rule.clock == "ticket_date"
    assert AuditEvent.objects.filter(event="retentionrule_changed_in_admin").exists()

    refused = client.post(url, _form(action="erase", keep_days="10"))
    assert refused.status_code == 200
    rule.refresh_from_db()
    assert rule.action == "anonymise" and rule.keep_days == 30


def test_a_supervisor_reads_the_rules_but_cannot_change_them(client, demo):
    rule = RetentionRule.objects.get(mission=demo["toronto"], kind="tickets")
    client.force_login(User.objects.get(email="supervisor@toronto.pandu.test"))
    url = f"/admin/privacy/retentionrule/{rule.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, _form(keep_days="1")).status_code == 403
    rule.refresh_from_db()
    assert rule.keep_days == 90
