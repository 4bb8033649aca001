"""Mission-aware permissions.

Staff hold permissions through their roles at a mission (``StaffMembership``). Asked about an
object, this backend grants only the permissions of the roles the user holds at that object's
mission, so an officer of one mission never gets at another mission's data. Asked without an
object (the admin index, menus), it answers for any of the user's missions; querysets must then
be narrowed with ``missions_for(user, perm)``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from pandu.core.models import Mission


def _mission_id_of(obj) -> int | None:
    if isinstance(obj, Mission):
        return obj.pk
    return getattr(obj, "mission_id", None)


class MissionPermissionBackend(ModelBackend):
    def get_user(self, user_id):
        """The signed-in user with their citizen profile and its mission (one query: every page
        asks which mission the visitor belongs to)."""
        user_model = get_user_model()
        user = (
            user_model._default_manager.select_related("citizen__mission")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def _membership_perms(self, user_obj) -> dict[int, set[str]]:
        cache_name = "_pandu_mission_perm_cache"
        if not hasattr(user_obj, cache_name):
            by_mission: dict[int, set[str]] = {}
            # One query: each membership with its role's permissions (none: a role without any).
            rows = user_obj.memberships.values_list(
                "mission_id",
                "role__permissions__content_type__app_label",
                "role__permissions__codename",
            )
            for mission_id, app_label, codename in rows:
                perms = by_mission.setdefault(mission_id, set())
                if codename is not None:
                    perms.add(f"{app_label}.{codename}")
            setattr(user_obj, cache_name, by_mission)
        return getattr(user_obj, cache_name)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj)
        by_mission = self._membership_perms(user_obj)
        if obj is None:
            return set().union(*by_mission.values()) if by_mission else set()
        mission_id = _mission_id_of(obj)
        return set(by_mission.get(mission_id, set())) if mission_id is not None else set()

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_active and any(
            p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj)
        )


def missions_for(user, perm: str) -> list[int]:
    """Ids of the missions where ``user`` holds ``perm``."""

    if user.is_superuser:
        return list(Mission.objects.values_list("pk", flat=True))
    backend = MissionPermissionBackend()
    return [mid for mid, perms in backend._membership_perms(user).items() if perm in perms]


def axes_username(request, credentials) -> str:
    """Lock-outs count per address whatever its case (``Ayu@`` and ``ayu@`` are one account)."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()
