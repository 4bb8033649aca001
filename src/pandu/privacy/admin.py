from django.contrib import admin

from pandu.core.admin_mixins import AuditedAdminMixin, ReadOnlyAdmin
from pandu.privacy.models import DeletionDecision, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """System administrators set each kind's period, action and legal basis per mission; what
    starts the clock is fixed by the code that applies the rule."""

    list_display = ["kind", "mission", "keep_days", "action", "clock", "kept_on_request"]
    list_filter = ["mission", "action"]
    readonly_fields = ["clock", "updated_at"]
    fields = [
        "mission",
        "kind",
        "keep_days",
        "action",
        "clock",
        "kept_on_request",
        "legal_basis_id",
        "legal_basis_en",
        "updated_at",
    ]

    def get_readonly_fields(self, request, obj=None):
        # A rule stays the rule of its mission and kind; change its period, action or basis.
        return (
            [*self.readonly_fields, "mission", "kind"] if obj is not None else self.readonly_fields
        )

    def has_delete_permission(self, request, obj=None):
        # Without its row a kind falls back to the default rule: change it instead.
        return False


@admin.register(DeletionDecision)
class DeletionDecisionAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = ["request", "mission", "outcome", "decided_at"]
    list_filter = ["mission", "outcome"]
