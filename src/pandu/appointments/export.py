"""The citizen's appointments, seat draws and waitlist entries, for their data export
(``pandu.people.export``; registered in ``AppointmentsConfig.ready``)."""

from __future__ import annotations

from pandu.appointments.models import Appointment, DrawEntry, WaitlistEntry
from pandu.appointments.services import identity_document
from pandu.people.export import Section, obj, service_label


def contribute(*, user, citizen) -> Section:
    section = Section()
    appointments = (
        Appointment.objects.filter(citizen=citizen)
        .select_related("mission", "service", "slot__session")
        .order_by("created_at", "pk")
    )
    draws = (
        DrawEntry.objects.filter(citizen=citizen)
        .select_related("service", "session", "slot", "appointment")
        .order_by("created_at", "pk")
    )
    waitlist = list(
        WaitlistEntry.objects.filter(citizen=citizen)
        .select_related("service", "mission", "offered_slot", "appointment")
        .order_by("created_at", "pk")
    )
    for appointment in appointments:
        session = appointment.slot.session
        section.objects.append(obj(appointment))
        section.records.append(
            {
                "kind": "appointment",
                "reference": appointment.reference,
                "public_id": appointment.public_id,
                "mission": appointment.mission.slug,
                "service": service_label(appointment.service),
                "starts_at": appointment.slot.starts_at,
                "ends_at": appointment.slot.ends_at,
                "session": {
                    "kind": session.kind,
                    "kind_label": session.get_kind_display(),
                    "date": session.date,
                    "location_name": session.location_name,
                    "address": session.address,
                },
                "identity_document": identity_document(appointment.identity_key, citizen),
                "priority": appointment.priority,
                "status": appointment.status,
                "status_label": appointment.get_status_display(),
                "reschedules": appointment.reschedules,
                "channel": appointment.channel,
                "cancel_reason": appointment.cancel_reason,
                "reminded_day_before_at": appointment.reminded_day_before_at,
                "reminded_morning_at": appointment.reminded_morning_at,
                "created_at": appointment.created_at,
                "updated_at": appointment.updated_at,
            }
        )
    for entry in draws:
        section.objects.append(obj(entry))
        section.records.append(
            {
                "kind": "draw_entry",
                "public_id": entry.public_id,
                "service": service_label(entry.service),
                "session_date": entry.session.date,
                "slot_starts_at": entry.slot.starts_at,
                "identity_document": identity_document(entry.identity_key, citizen),
                "outcome": entry.outcome,
                "outcome_label": entry.get_outcome_display(),
                "appointment": entry.appointment.reference if entry.appointment else None,
                "created_at": entry.created_at,
            }
        )
    for entry in waitlist:
        section.objects.append(obj(entry))
        section.records.append(
            {
                "kind": "waitlist_entry",
                "public_id": entry.public_id,
                "mission": entry.mission.slug,
                "service": service_label(entry.service),
                "channel": entry.channel,
                "status": entry.status,
                "status_label": entry.get_status_display(),
                "offered_slot_starts_at": (
                    entry.offered_slot.starts_at if entry.offered_slot else None
                ),
                "hold_until": entry.hold_until,
                "appointment": entry.appointment.reference if entry.appointment else None,
                "created_at": entry.created_at,
            }
        )
    return section
