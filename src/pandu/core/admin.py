from django.contrib import admin

from pandu.core.admin_mixins import AuditedAdminMixin
from pandu.core.models import Mission, OpeningHours


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Mission)
class MissionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    mission_path = ""
    list_display = ["slug", "name_id", "kind", "city", "time_zone", "currency", "is_active"]
    inlines = [OpeningHoursInline]

    def _mission_of(self, obj):
        return obj
