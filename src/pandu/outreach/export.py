"""The citizen's Pertiwi requests for their data export (``pandu.people.export``; registered
in ``OutreachConfig.ready``): eligibility requests with their evidence files (until purged), and
home-visit requests with their windows and outcomes."""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage

from pandu.core.crypto import DecryptionFailed, decrypt
from pandu.outreach.models import EligibilityRequest, PlanItem, TripPlan, VisitRequest
from pandu.people.export import ExportFile, Section, actor_role, extension, obj, service_label

log = logging.getLogger(__name__)


def _evidence_content(evidence) -> bytes | None:
    # The owner's own file: read here rather than through ``evidence_read``, which is for
    # reviewers and records each opening as staff access.
    try:
        with default_storage.open(evidence.storage_name, "rb") as handle:
            return decrypt(handle.read())
    except (OSError, DecryptionFailed):
        log.exception("Data export: evidence %s could not be read", evidence.public_id)
        return None


def eligibility(*, user, citizen) -> Section:
    section = Section()
    requests = (
        EligibilityRequest.objects.filter(citizen=citizen)
        .select_related("mission", "submitted_by")
        .prefetch_related("evidence")
        .order_by("created_at", "pk")
    )
    for request in requests:
        section.objects.append(obj(request))
        evidence = []
        for item in request.evidence.all():
            path = None
            if item.purged_at is None:
                content = _evidence_content(item)
                if content is not None:
                    path = (
                        f"evidence/{request.public_id}/bukti-{str(item.public_id)[:8]}."
                        f"{extension(item.content_type)}"
                    )
                    section.files.append(
                        ExportFile(
                            path=path, content=content, description=request.get_reason_display()
                        )
                    )
            evidence.append(
                {
                    "public_id": item.public_id,
                    "content_type": item.content_type,
                    "size": item.size,
                    "sha256": item.sha256,
                    "uploaded_at": item.uploaded_at,
                    "purge_after": item.purge_after,
                    "purged_at": item.purged_at,
                    "file": path,
                }
            )
        section.records.append(
            {
                "public_id": request.public_id,
                "mission": request.mission.slug,
                "submitted_by": actor_role(request.submitted_by, user=user),
                "acting_as": request.acting_as,
                "acting_name": request.acting_name,
                "acting_relation": request.acting_relation,
                "reason": request.reason,
                "reason_label": request.get_reason_display(),
                "due_date": request.due_date,
                "details": request.details,
                "status": request.status,
                "status_label": request.get_status_display(),
                "decided_at": request.decided_at,
                "decision_reason": request.decision_reason,
                "valid_until": request.valid_until,
                "created_at": request.created_at,
                "evidence": evidence,
            }
        )
    return section


def visit_requests(*, user, citizen) -> Section:
    section = Section()
    requests = (
        VisitRequest.objects.filter(citizen=citizen)
        .select_related("mission", "eligibility", "submitted_by")
        .prefetch_related("services", "windows", "applications")
        .order_by("created_at", "pk")
    )
    outcomes: dict[int, list[dict]] = {}
    for item in (
        PlanItem.objects.filter(request__citizen=citizen, plan__status=TripPlan.Status.PUBLISHED)
        .exclude(outcome="")
        .order_by("outcome_at", "pk")
    ):
        outcomes.setdefault(item.request_id, []).append(
            {
                "outcome": item.outcome,
                "outcome_label": item.get_outcome_display(),
                "notes": item.outcome_notes,
                "at": item.outcome_at,
            }
        )
    for request in requests:
        section.objects.append(obj(request))
        section.records.append(
            {
                "public_id": request.public_id,
                "mission": request.mission.slug,
                "eligibility": request.eligibility.public_id,
                "submitted_by": actor_role(request.submitted_by, user=user),
                "services": [service_label(s) for s in request.services.all()],
                "address": {
                    "line": request.address_line,
                    "city": request.city,
                    "province": request.province,
                    "postal_code": request.postal_code,
                },
                "location": {
                    "lat": request.lat,
                    "lon": request.lon,
                    "source": request.location_source,
                },
                "access_needs": request.access_needs,
                "access_notes": request.access_notes,
                "contact_name": request.contact_name,
                "contact_phone": request.contact_phone,
                "service_minutes": request.service_minutes,
                "windows": [
                    {"date": w.date, "start": w.start, "end": w.end} for w in request.windows.all()
                ],
                "status": request.status,
                "status_label": request.get_status_display(),
                "reach_code": request.reach_code,
                "alternative": request.alternative,
                "scheduled_date": request.scheduled_date,
                "arrival_from": request.arrival_from,
                "arrival_until": request.arrival_until,
                "applications": [str(a.public_id) for a in request.applications.all()],
                "outcomes": outcomes.get(request.pk, []),
                "created_at": request.created_at,
            }
        )
    return section
