"""How feedback reacts to the domain events of the apps below it (:mod:`pandu.core.events`).

A completed service invites the citizen to the IKM survey, once per service record: an
appointment served, a waiting-room ticket finished, a Pertiwi visit served, an issued document
collected or mailed. Each receiver only calls this app's services; it runs after the writer's
transaction committed, in its own.
"""

from __future__ import annotations

from pandu.applications.workflow import Event
from pandu.core import events
from pandu.feedback import services


def on_appointment_served(sender, *, appointment, now, **payload) -> None:
    services.survey_invite_after_appointment(appointment, now=now)


def on_ticket_finished(sender, *, ticket, now, **payload) -> None:
    # The invitation names the ticket (and its appointment, if any); the appointment's own
    # ``appointment_served``, emitted after this event, then invites no one again.
    services.survey_invite_after_ticket(ticket, now=now)


def on_visit_served(sender, *, visit_request, **payload) -> None:
    # Made at the moment it is recorded (not at the payload's ``now``), as before the event.
    services.survey_invite_after_visit(visit_request)


def on_application_moved(sender, *, application, event, now, **payload) -> None:
    if event in (Event.COLLECT, Event.MAIL):
        # The service is complete: the citizen is asked how it went.
        services.survey_invite_after_collection(
            application_ref=application.public_id,
            mission=application.mission,
            service=application.service,
            citizen=application.citizen,
            now=now,
        )


def connect() -> None:
    events.appointment_served.connect(on_appointment_served, dispatch_uid="feedback.appointment")
    events.ticket_finished.connect(on_ticket_finished, dispatch_uid="feedback.ticket")
    events.visit_served.connect(on_visit_served, dispatch_uid="feedback.visit")
    events.application_moved.connect(on_application_moved, dispatch_uid="feedback.application")
