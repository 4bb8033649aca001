"""The citizen's applications for their data export (``pandu.people.export``; registered in
``ApplicationsConfig.ready``): states, history, answers, document reviews, fee and payments, and
the files as the applicant downloads them (uploads, signed letters, receipts)."""

from __future__ import annotations

import logging

from pandu.applications import letters, services
from pandu.applications.models import Application
from pandu.applications.services import ANSWER_FIELDS
from pandu.core.crypto import DecryptionFailed
from pandu.core.errors import PanduError
from pandu.people.export import ExportFile, Section, actor_role, extension, obj, service_label

log = logging.getLogger(__name__)

# What the citizen answered on the form (the fee case is exported with the fees).
ANSWERS = tuple(name for name in ANSWER_FIELDS if name != "fee")


def _read(read, what: str, **kwargs) -> bytes | None:
    """A stored file's content, or None when it cannot be read (missing, altered): the rest
    of the export still comes, and the record says the file is missing."""
    try:
        return read(**kwargs)
    except (OSError, DecryptionFailed, PanduError):
        log.exception("Data export: %s could not be read", what)
        return None


def contribute(*, user, citizen) -> Section:
    section = Section()
    applications = (
        Application.objects.filter(citizen=citizen)
        .select_related("mission", "service", "fee", "appointment")
        .prefetch_related(
            "documents__requirement",
            "documents__uploaded_by",
            "reviews__requirement",
            "reviews__document",
            "transitions",
            "payments",
            "letters",
        )
        .order_by("created_at", "pk")
    )
    for application in applications:
        folder = str(application.public_id)
        section.objects.append(obj(application))
        documents = []
        for document in application.documents.all():
            section.objects.append(obj(document))
            path = (
                f"documents/{folder}/dokumen-{str(document.public_id)[:8]}-v{document.version}."
                f"{extension(document.content_type)}"
            )
            content = _read(services.document_read, "document", document=document, by=user)
            if content is not None:
                section.files.append(
                    ExportFile(
                        path=path, content=content, description=document.requirement.tr("title")
                    )
                )
            documents.append(
                {
                    "public_id": document.public_id,
                    "requirement": document.requirement.tr("title"),
                    "version": document.version,
                    "content_type": document.content_type,
                    "size": document.size,
                    "sha256": document.sha256,
                    "photo_verdict": document.photo_verdict,
                    "photo_findings": document.photo_findings,
                    "uploaded_by": actor_role(document.uploaded_by, user=user),
                    "uploaded_at": document.uploaded_at,
                    "file": path if content is not None else None,
                }
            )
        reviews = [
            {
                "requirement": review.requirement.tr("title"),
                "document": review.document.public_id if review.document else None,
                "decision": review.decision,
                "decision_label": review.get_decision_display(),
                "reason": review.reason,
                "at": review.at,
            }
            for review in application.reviews.all()
        ]
        history = [
            {
                "event": move.event,
                "event_label": move.get_event_display(),
                "from": move.source,
                "to": move.target,
                # The kind of actor (citizen, officer, supervisor, system), never the person.
                "by": "you" if move.by_id == user.pk else move.actor,
                "note": move.note,
                "at": move.at,
            }
            for move in application.transitions.all()
        ]
        payments = []
        for payment in application.payments.all():
            section.objects.append(obj(payment))
            path = None
            if payment.receipt_storage_name:
                content = _read(services.receipt_read, "receipt", payment=payment, by=user)
                if content is not None:
                    path = f"letters/{folder}/receipt-{str(payment.public_id)[:8]}.pdf"
                    section.files.append(
                        ExportFile(path=path, content=content, description=str(payment))
                    )
            if payment.receipt_reference:
                section.objects.append(("issuance.issueddocument", payment.receipt_reference))
            payments.append(
                {
                    "public_id": payment.public_id,
                    "method": payment.method,
                    "method_label": payment.get_method_display(),
                    "amount": payment.amount,
                    "currency": payment.currency,
                    "receipt_number": payment.receipt_number,
                    "receipt_reference": payment.receipt_reference,
                    "recorded_at": payment.recorded_at,
                    "file": path,
                }
            )
        issued = []
        for letter in application.letters.all():
            section.objects.append(obj(letter))
            section.objects.append(("issuance.issueddocument", letter.reference))
            content = _read(letters.letter_read, "letter", letter=letter, by=user)
            path = f"letters/{folder}/{letter.kind}.pdf" if content is not None else None
            if content is not None:
                section.files.append(
                    ExportFile(path=path, content=content, description=letter.get_kind_display())
                )
            issued.append(
                {
                    "kind": letter.kind,
                    "kind_label": letter.get_kind_display(),
                    "reference": letter.reference,
                    "issued_at": letter.issued_at,
                    "file": path,
                }
            )
        fee = application.fee
        section.records.append(
            {
                "reference": application.reference,
                "public_id": application.public_id,
                "mission": application.mission.slug,
                "service": service_label(application.service),
                "state": application.state,
                "state_label": application.get_state_display(),
                "answers": {name: getattr(application, name) for name in ANSWERS},
                "fee": (
                    {
                        "case": fee.tr("case"),
                        "amount": fee.amount,
                        "currency": application.mission.currency,
                    }
                    if fee
                    else None
                ),
                "paid": services.amount_paid(application),
                "submitted_at": application.submitted_at,
                "due_date": application.due_date,
                "appointment": application.appointment.reference
                if application.appointment
                else None,
                "created_at": application.created_at,
                "updated_at": application.updated_at,
                "history": history,
                "documents": documents,
                "reviews": reviews,
                "payments": payments,
                "letters": issued,
            }
        )
    return section
