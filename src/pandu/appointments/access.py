"""Who may do what to appointments and their planning: the checks the services make.

Every write of this app takes the acting user (``by``) and refuses with ``PermissionDenied``
(a ``PanduError``: nothing is written) when that user may not do it at the object's mission.
``by=None`` is the system itself (periodic jobs, the demo loader, management commands): no
person acts, so nothing is checked. Views still narrow what a user can reach (an object of a
mission they do not work at is not found); these checks hold even when a view is bypassed.

The mission-aware backend caches a user's memberships on the user object, so a check on a user
already asked once in the request costs no query.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from pandu.core.errors import PermissionDenied

CHANGE_APPOINTMENT = "appointments.change_appointment"
ADD_APPOINTMENT = "appointments.add_appointment"


def require_perms(by, obj, *perms: str, message: str | None = None) -> None:
    """Refuse unless ``by`` holds every one of ``perms`` at ``obj``'s mission (``None``: the
    system, allowed)."""
    if by is None:
        return
    if not all(by.has_perm(perm, obj) for perm in perms):
        raise PermissionDenied(message or _("Anda tidak berwenang melakukan perubahan ini."))


def require_owner_or_staff(by, appointment, *, citizen_user_id: int) -> None:
    """The citizen who holds ``appointment``, or staff who may change appointments at its
    mission; anyone else is refused (``None``: the system, allowed)."""
    if by is None or getattr(by, "pk", None) == citizen_user_id:
        return
    if not by.has_perm(CHANGE_APPOINTMENT, appointment):
        raise PermissionDenied(_("Janji temu ini bukan milik Anda."))


def require_any_perm(by, obj, *perms: str, message: str | None = None) -> None:
    """Refuse unless ``by`` holds at least one of ``perms`` at ``obj``'s mission (``None``: the
    system, allowed)."""
    if by is None:
        return
    if not any(by.has_perm(perm, obj) for perm in perms):
        raise PermissionDenied(message or _("Anda tidak berwenang melakukan perubahan ini."))
