from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction

from pandu.audit.services import audit_record
from pandu.core.admin_mixins import AuditedAdminMixin, ReadOnlyAdmin
from pandu.people.models import (
    AccountDeletionRequest,
    CitizenProfile,
    PersonalAccessToken,
    StaffMembership,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_staff", "is_active", "email_verified_at", "date_joined"]
    search_fields = ["email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            "Status",
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "email_verified_at",
                    "preferred_language",
                ]
            },
        ),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal: list[str] = []

    def has_module_permission(self, request):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                event="user_changed_in_admin" if change else "user_created_in_admin",
                actor=request.user,
                obj=obj,
                data={"fields": sorted(f for f in form.changed_data if "password" not in f)},
            )


@admin.register(CitizenProfile)
class CitizenProfileAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    """Read-only: citizens change their own profile through the rules in the services, and an
    account is removed only through a deletion request."""

    list_display = ["full_name", "mission", "province", "city"]
    list_filter = ["mission", "province"]
    search_fields = ["full_name", "user__email"]
    readonly_fields = ["user", "public_id"]
    # Identity numbers are shown to staff only through a recorded reveal (docs/privacy.md
    # "Access log"); this page would show them unrecorded.
    exclude = ["nik", "passport_number"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "mission", "role"]
    list_filter = ["mission", "role"]


@admin.register(AccountDeletionRequest)
class AccountDeletionRequestAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Read-only: a supervisor of the citizen's mission confirms or refuses a request on the
    staff page (``pandu.privacy``), where the retention rules decide what is kept."""

    mission_path = "user__citizen__mission"
    list_display = ["email", "status", "requested_at"]
    list_filter = ["status"]
    readonly_fields = ["user", "email", "reason", "status", "requested_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(AuditedAdminMixin, admin.ModelAdmin):
    mission_path = "user__citizen__mission"
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False
