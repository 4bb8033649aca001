"""The citizen's lapor diri for their data export (``pandu.people.export``; registered in
``RegistryConfig.ready``): every registration with its family members, point and contacts."""

from __future__ import annotations

from pandu.people.export import Section, actor_role, obj
from pandu.registry.models import StayRegistration


def stay_registrations(*, user, citizen) -> Section:
    section = Section()
    rows = (
        StayRegistration.objects.filter(citizen=citizen)
        .select_related("mission", "registered_by", "previous")
        .prefetch_related("members")
        .order_by("created_at", "pk")
    )
    for registration in rows:
        section.objects.append(obj(registration))
        section.records.append(
            {
                "public_id": registration.public_id,
                "mission": registration.mission.slug,
                "status": registration.status,
                "status_label": registration.get_status_display(),
                "registered_by": actor_role(registration.registered_by, user=user),
                "registered_as": registration.registered_as,
                "carer": {"name": registration.carer_name, "relation": registration.carer_relation},
                "address": {
                    "line": registration.address_line,
                    "city": registration.city,
                    "province": registration.province,
                    "postal_code": registration.postal_code,
                },
                "phone": registration.phone,
                "location": {
                    "lat": registration.lat,
                    "lon": registration.lon,
                    "source": registration.location_source,
                },
                "purpose": registration.purpose,
                "arrived_on": registration.arrived_on,
                "expected_until": registration.expected_until,
                "emergency_contacts": [
                    {
                        "where": "indonesia",
                        "name": registration.emergency_id_name,
                        "phone": registration.emergency_id_phone,
                        "relation": registration.emergency_id_relation,
                    },
                    {
                        "where": "local",
                        "name": registration.emergency_local_name,
                        "phone": registration.emergency_local_phone,
                        "relation": registration.emergency_local_relation,
                    },
                ],
                "members": [
                    {
                        "full_name": m.full_name,
                        "relation": m.relation,
                        "date_of_birth": m.date_of_birth,
                        "is_citizen": m.is_citizen,
                    }
                    for m in registration.members.all()
                ],
                "language": registration.language,
                "letter": registration.letter_reference,
                "previous": registration.previous.public_id if registration.previous else None,
                "confirmed_at": registration.confirmed_at,
                "renewed_at": registration.renewed_at,
                "reminder_sent_at": registration.reminder_sent_at,
                "ended_at": registration.ended_at,
                "created_at": registration.created_at,
            }
        )
    return section
