"""How applications react to the domain events of the apps below (:mod:`pandu.core.events`).

- ``appointment_booked``: a booking for an in-person service is the biometrics appointment of
  the citizen's applications for it whose documents are accepted (``biometrics_schedule``).
- ``visit_served``: a Pertiwi visit captured the biometrics of the applications linked to it
  (``biometrics_record_at_visit``).

Each receiver only calls this app's services; it runs after the writer's transaction committed,
in its own. Pages and the API only read an application's state: they never move it.
"""

from __future__ import annotations

from pandu.applications import services
from pandu.core import events


def on_appointment_booked(sender, *, appointment, now, **payload) -> None:
    services.biometrics_schedule(
        citizen_id=appointment.citizen_id, service=appointment.service, now=now
    )


def on_visit_served(sender, *, visit_request, by, now, **payload) -> None:
    services.biometrics_record_at_visit(visit_request=visit_request, by=by, now=now)


def connect() -> None:
    events.appointment_booked.connect(
        on_appointment_booked, dispatch_uid="applications.appointment_booked"
    )
    events.visit_served.connect(on_visit_served, dispatch_uid="applications.visit_served")
