"""How ``core`` writes to the audit trail without importing ``audit``, which sits above it.

``core``'s own writes (missions, the key rotation, the admin's saves and deletes) belong in the
audit trail in the same transaction as the write, so an event after commit would not do. Instead
``audit`` installs its recorder here when it is ready (``AuditConfig.ready``), the same way
``people`` installs the admin's mission scoping (``admin_mixins.missions_for_register``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_recorder: Callable[..., Any] | None = None


def recorder_install(recorder: Callable[..., Any]) -> None:
    """Called by ``audit``: ``recorder`` takes ``audit.services.audit_record``'s arguments."""
    global _recorder
    _recorder = recorder


def audit_record(**kwargs: Any) -> Any:
    """Append one event to the audit chain in the caller's transaction (see ``audit``)."""
    if _recorder is None:
        raise ImproperlyConfigured("pandu.audit is not installed: core cannot record its writes")
    return _recorder(**kwargs)
