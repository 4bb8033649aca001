"""Reads on applications that take more than one line of ORM."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet

from pandu.applications import workflow
from pandu.applications.models import Application, Document, Review
from pandu.appointments.models import ACTIVE
from pandu.appointments.selectors import closed_days

__all__ = ["closed_days"]  # the mission's calendar, as the SLA clock counts it


def booking_pending(application: Application) -> bool:
    """Whether the citizen holds an active booking for the application's service that the
    application does not show yet (the booking's event is still on its way, see
    :mod:`pandu.applications.receivers`): the page then offers no second booking."""
    return (
        application.state == workflow.State.DOCUMENTS_ACCEPTED
        and application.citizen.appointments.filter(
            service_id=application.service_id, status__in=ACTIVE
        ).exists()
    )


def current_documents(application: Application) -> dict[int, Document]:
    """The latest version of each requirement's document, by requirement id."""
    current: dict[int, Document] = {}
    for document in Document.objects.filter(application=application).order_by("version"):
        current[document.requirement_id] = document
    return current


def current_reviews(application: Application) -> dict[int, Review]:
    """The latest review of each requirement's current document, by requirement id."""
    current = current_documents(application)
    found: dict[int, Review] = {}
    reviews = Review.objects.filter(application=application).select_related("requirement")
    for review in reviews.order_by("at", "pk"):
        document = current.get(review.requirement_id)
        if document is not None and review.document_id == document.pk:
            found[review.requirement_id] = review
    return found


def returned_requirements(application: Application) -> dict[int, Review]:
    """Requirements whose current document is returned, with the returning review."""
    return {
        rid: review
        for rid, review in current_reviews(application).items()
        if review.decision == Review.Decision.RETURNED
    }


def all_documents_accepted(application: Application) -> bool:
    reviews = current_reviews(application)
    return all(
        rid in reviews and reviews[rid].decision == Review.Decision.ACCEPTED
        for rid in current_documents(application)
    )


def staff_queue(
    *,
    missions: list[int],
    service: str = "",
    state: str = "",
    overdue_on: dt.date | None = None,
) -> QuerySet[Application]:
    """Submitted applications of the given missions, oldest due first, with optional filters."""
    found = (
        Application.objects.filter(mission__in=missions)
        .exclude(state=workflow.State.DRAFT)
        .select_related("service", "citizen", "mission")
    )
    if service:
        found = found.filter(service__code=service)
    if state:
        found = found.filter(state=state)
    if overdue_on is not None:
        found = found.filter(
            state__in=workflow.CLOCK_RUNNING, due_date__isnull=False, due_date__lt=overdue_on
        )
    return found.order_by(F("due_date").asc(nulls_last=True), "submitted_at", "pk")


BIOMETRICS_WAITING = (workflow.State.DOCUMENTS_ACCEPTED, workflow.State.BIOMETRICS_SCHEDULED)


def biometrics_waiting_for_visit(citizen, services) -> list[Application]:
    """The citizen's applications for these services whose biometrics a Pertiwi home visit will
    capture: documents accepted (or an appointment booked for it), nothing captured yet. Linked
    to the visit request when it is made (installed in ``pandu.outreach.visits``)."""
    return list(
        Application.objects.filter(
            citizen=citizen, service__in=services, state__in=BIOMETRICS_WAITING
        )
    )
