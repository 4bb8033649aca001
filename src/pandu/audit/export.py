"""Accesses by staff to the citizen's sensitive data, for their data export
(``pandu.people.export``; registered with ``pandu.core.exports`` in ``AuditConfig.ready``).

Staff appear by the role they held then ("Officer", "Supervisor"), never by e-mail; the reason
they gave is the citizen's to read (it is about them), with any e-mail address in it redacted as
elsewhere in the export.
"""

from __future__ import annotations

from pandu.audit.models import SensitiveAccess
from pandu.core.exports import Section, scrub


def contribute(*, user, citizen):
    section = Section()
    rows = (
        SensitiveAccess.objects.filter(subject_ref=str(citizen.public_id))
        .select_related("mission")
        .order_by("occurred_at", "pk")
    )
    for row in rows:
        section.records.append(
            {
                "occurred_at": row.occurred_at,
                "staff": row.actor_roles or "staff",
                "data_kind": row.data_kind,
                "data_kind_label": row.get_data_kind_display(),
                "object_type": row.object_type,
                "object_ref": row.object_ref,
                "reason": scrub(row.reason, user.email.lower()),
                "mission": row.mission.slug,
            }
        )
    return section
