"""Appointment work done after the request: composing the confirmation mail."""

from __future__ import annotations

from django_tasks import task


@task()
def appointment_mail(*, appointment_id: int, template: str) -> bool:
    """Compose and queue the mail about one appointment (its calendar file, QR code and link).

    Composed here, after the booking committed, so the request that booked spends neither the
    queries nor the time on it. False when the appointment no longer exists.
    """
    from pandu.appointments.services import appointment_mail_now

    return appointment_mail_now(appointment_id=appointment_id, template=template)
