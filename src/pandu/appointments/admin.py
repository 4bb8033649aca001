from django.contrib import admin

from pandu.appointments.models import (
    Appointment,
    BookingRules,
    CalendarOverride,
    SaturdayRule,
    Session,
    Slot,
)
from pandu.core.admin_mixins import AuditedAdminMixin, ReadOnlyAdmin


@admin.register(BookingRules)
class BookingRulesAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "mission",
        "service",
        "lead_time_hours",
        "horizon_days",
        "daily_limit",
        "max_reschedules",
    ]
    list_filter = ["mission"]


@admin.register(SaturdayRule)
class SaturdayRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["mission", "weeks", "opens", "closes", "counters", "valid_from", "valid_until"]
    list_filter = ["mission"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["mission", "date", "is_open", "reason_id"]
    list_filter = ["mission", "is_open"]
    date_hierarchy = "date"


class SlotInline(admin.TabularInline):
    model = Slot
    fields = ["service", "starts_at", "capacity", "priority_seats", "booked"]
    readonly_fields = ["service", "starts_at", "booked"]
    extra = 0
    can_delete = False


@admin.register(Session)
class SessionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "kind", "opens", "closes", "counters", "mission", "is_closed"]
    list_filter = ["mission", "kind", "is_closed"]
    date_hierarchy = "date"
    readonly_fields = ["starts_at", "ends_at"]
    inlines = [SlotInline]


@admin.register(Appointment)
class AppointmentAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    """Officers look appointments up here; changes go through the booking services."""

    list_display = ["reference", "service", "slot_start", "citizen", "status", "priority"]
    list_filter = ["mission", "status", "service"]
    search_fields = ["reference", "citizen__full_name"]
    list_select_related = ["service", "slot__session", "citizen"]

    @admin.display(description="start")
    def slot_start(self, obj):
        return obj.slot.starts_at
