"""What a citizen takes away from a booking: a calendar file and a QR code for check-in."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.utils import translation
from icalendar import Calendar, Event, vText

from pandu.appointments.models import Appointment


def checkin_payload(appointment: Appointment) -> str:
    """What the QR code holds: the reference, which is random and cannot be guessed."""
    return f"PANDU:{appointment.reference}"


def qr_svg(appointment: Appointment) -> str:
    """An inline SVG of the check-in QR code, with a text alternative supplied by the page."""
    buffer = io.BytesIO()
    segno.make(checkin_payload(appointment), error="m").save(
        buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True, nl=False
    )
    return buffer.getvalue().decode()


def qr_png(appointment: Appointment) -> bytes:
    buffer = io.BytesIO()
    segno.make(checkin_payload(appointment), error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def place(appointment: Appointment) -> str:
    session = appointment.slot.session
    return session.address or session.mission.address


def ics(appointment: Appointment, language: str) -> bytes:
    """An iCalendar file with the appointment in UTC, so every calendar shows the local hour."""
    mission = appointment.mission
    with translation.override(language):
        summary = f"{appointment.service.name} ({mission.name})"
        requirements = [r.title for r in appointment.service.requirements.filter(kind="document")]
        description = "\n".join(
            [
                f"{translation.gettext('Nomor referensi')}: {appointment.reference}",
                translation.gettext("Yang harus dibawa") + ":",
                *[f"- {title}" for title in requirements],
            ]
        )
    calendar = Calendar()
    calendar.add("prodid", "-//Pandu//Consular appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{appointment.public_id}@pandu")
    event.add("dtstamp", appointment.created_at)
    event.add("dtstart", appointment.slot.starts_at)
    event.add("dtend", appointment.slot.ends_at)
    event.add("summary", summary)
    event["location"] = vText(place(appointment))
    event.add("description", description)
    event.add("url", f"{settings.SITE_URL}/{language}/appointments/{appointment.reference}/")
    event.add("sequence", appointment.reschedules)
    calendar.add_component(event)
    return calendar.to_ical()
