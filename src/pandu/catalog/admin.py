from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from pandu.catalog.models import Fee, Requirement, Service
from pandu.core.admin_mixins import AuditedAdminMixin


class RequirementInline(admin.StackedInline):
    model = Requirement
    extra = 0


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0
    fields = ["order", "case_id", "case_en", "amount", "amount_confirmed", "internal_note"]


@admin.register(Service)
class ServiceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name_id",
        "mission",
        "service_level_days",
        "counter_minutes",
        "fees_unconfirmed",
        "is_active",
    ]
    list_filter = ["mission", "category", "is_active"]
    search_fields = ["code", "name_id", "name_en"]
    inlines = [RequirementInline, FeeInline]

    @admin.display(description=_("biaya belum dipastikan"), boolean=True)
    def fees_unconfirmed(self, obj):
        return any(not fee.amount_confirmed for fee in obj.fees.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("fees")


@admin.register(Fee)
class FeeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    mission_path = "service__mission"
    list_display = ["service", "case_id", "amount", "amount_confirmed", "internal_note"]
    list_filter = ["amount_confirmed", "service__mission"]
