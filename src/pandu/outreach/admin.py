"""Pertiwi in the admin: the mission's rules. Requests are reviewed on their own pages, where
evidence opening is checked and recorded; the admin never shows the evidence or the details."""

from django.contrib import admin

from pandu.core.admin_mixins import AuditedAdminMixin
from pandu.outreach.models import PertiwiPolicy


@admin.register(PertiwiPolicy)
class PertiwiPolicyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "mission",
        "elderly_age",
        "pregnancy_days_before_due",
        "pregnancy_days_after_due",
        "decision_valid_days",
        "evidence_retention_days",
    ]
