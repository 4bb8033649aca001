"""The citizen's crisis messages for their data export (``pandu.people.export``; registered in
``BroadcastConfig.ready``): each message they were sent, its fate, their answers and the help
case it opened. Staff notes on a help case are staff's work record and appear as a count only,
and staff by role, never by name or address (as elsewhere in the export)."""

from __future__ import annotations

from pandu.broadcast.models import Delivery
from pandu.people.export import Section, obj


def contribute(*, user, citizen) -> Section:
    section = Section()
    deliveries = (
        Delivery.objects.filter(citizen=citizen)
        .select_related("broadcast__mission", "help_case")
        .prefetch_related("replies")
        .order_by("pk")
    )
    for delivery in deliveries:
        broadcast = delivery.broadcast
        section.objects.append(obj(delivery))
        case = getattr(delivery, "help_case", None)
        if case is not None:
            section.objects.append(obj(case))
        section.records.append(
            {
                "public_id": delivery.public_id,
                "mission": broadcast.mission.slug,
                "subject": broadcast.subject(delivery.language),
                "message": broadcast.body(delivery.language),
                "language": delivery.language,
                "channel": delivery.channel,
                "status": delivery.status,
                "sent_at": delivery.sent_at,
                "replies": [
                    {
                        "answer": reply.answer,
                        "note": reply.note,
                        "phone": reply.phone,
                        "at": reply.created_at,
                    }
                    for reply in delivery.replies.all()
                ],
                "help": (
                    {
                        "status": case.status,
                        "opened_at": case.opened_at,
                        "resolved_at": case.resolved_at,
                        "staff_notes": case.notes.count(),
                    }
                    if case is not None
                    else None
                ),
            }
        )
    return section
