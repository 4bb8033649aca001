"""The citizen's waiting-room tickets for their data export (``pandu.people.export``; registered
in ``QueueConfig.ready``).

Only tickets that came from the citizen's appointments are theirs for sure; a walk-in ticket
carries no account (at most an address typed at the kiosk, which anyone could type), so it is
not included.
"""

from __future__ import annotations

from pandu.people.export import Section, obj, service_label
from pandu.queue.models import Ticket


def contribute(*, user, citizen) -> Section:
    section = Section()
    tickets = (
        Ticket.objects.filter(appointment__citizen=citizen)
        .select_related("mission", "service", "appointment", "counter")
        .prefetch_related("periods__counter", "periods__service")
        .order_by("date", "arrived_at", "pk")
    )
    for ticket in tickets:
        section.objects.append(obj(ticket))
        section.records.append(
            {
                "public_id": ticket.public_id,
                "number": ticket.number,
                "mission": ticket.mission.slug,
                "date": ticket.date,
                "service": service_label(ticket.service),
                "channel": ticket.channel,
                "priority_reason": ticket.priority_reason,
                "appointment": ticket.appointment.reference,
                "appointment_at": ticket.appointment_at,
                "arrived_at": ticket.arrived_at,
                "state": ticket.state,
                "state_label": ticket.get_state_display(),
                "counter": ticket.counter.number if ticket.counter else None,
                "periods": [
                    {
                        "state": period.state,
                        "service": period.service.code,
                        "counter": period.counter.number if period.counter else None,
                        "started_at": period.started_at,
                        "ended_at": period.ended_at,
                    }
                    for period in ticket.periods.all()
                ],
            }
        )
    return section
