"""Appointment work done after the request: composing the confirmation mail (and, for a new
booking, emitting ``appointment_booked``)."""

from __future__ import annotations

from django_tasks import task

# Module imports both ways: the services enqueue this task, which calls back into them.
from pandu.appointments import services


@task()
def appointment_mail(*, appointment_id: int, template: str, booked_by: int | None = None) -> bool:
    """Compose and queue the mail about one appointment (its calendar file, QR code and link).

    Composed here, after the booking committed, so the request that booked spends neither the
    queries nor the time on it; for a new booking (``booked_by``) the ``appointment_booked``
    event is emitted here too, for the same reason. False when the appointment no longer exists.
    """
    return services.appointment_mail_now(
        appointment_id=appointment_id, template=template, booked_by=booked_by
    )
