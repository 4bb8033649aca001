from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from pandu.core import clock
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
    actions = ["plan_sessions"]

    @admin.action(description=_("Rencanakan sesi 60 hari ke depan"), permissions=["change"])
    def plan_sessions(self, request, queryset):
        import datetime as dt

        from pandu.appointments.services import sessions_generate

        for mission in queryset:
            today = clock.today(mission)
            created = sessions_generate(
                mission=mission, start=today, end=today + dt.timedelta(days=59), by=request.user
            )
            self.message_user(
                request,
                _("%(mission)s: %(count)d sesi baru.") % {"mission": mission, "count": created},
                messages.SUCCESS,
            )

    def _mission_of(self, obj):
        return obj
