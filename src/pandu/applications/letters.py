"""Signed letters of an application: the "application received" letter and the certificate letter.

- The **received letter** (*tanda terima permohonan*) proves that the mission received a submitted
  application: its reference, service, applicant, submission date and service-level date. It is
  issued the first time the applicant or an officer asks for it (the application's page links it
  from submission on), so a submission never waits for a PDF to be drawn; later requests return
  the same signed file. The letter states the submission time, not the time it was drawn.
- The **certificate letter** (*surat keterangan*) is the product of services whose
  ``ServiceRule.issues_certificate_letter`` is set: the officer writes its text when recording the
  move to *issued* (the workflow's ``letter`` guard), and ``application_transition`` issues it in
  the same transaction, so an application is never *issued* without its letter.

Both go through ``pandu.issuance.services.issue_document`` (WeasyPrint, a QR code to the public
verification page, a PAdES signature with the mission's key) in the applicant's language, and are
kept encrypted under a random name like the receipts.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from pandu.applications import services
from pandu.applications.models import Application, Letter
from pandu.applications.workflow import State
from pandu.core.crypto import decrypt, encrypt
from pandu.core.errors import NotFound, PanduError
from pandu.issuance.services import issue_document
from pandu.issuance.signing import signing_available

logger = logging.getLogger(__name__)


def _local_date(moment: dt.datetime, application: Application) -> str:
    return formats.date_format(timezone.localtime(moment, application.mission.zone), "j F Y")


def _store(application: Application, kind: str, document, pdf: bytes, now) -> Letter:
    name = default_storage.save(f"letters/{secrets.token_hex(16)}.bin", ContentFile(encrypt(pdf)))
    return Letter.objects.create(
        application=application,
        kind=kind,
        reference=str(document.public_id),
        storage_name=name,
        issued_at=now,
    )


def received_letter_available(application: Application) -> bool:
    return application.submitted_at is not None and application.state != State.DRAFT


def offered(application: Application) -> dict[str, Letter | None]:
    """The letters the applicant can download now, by kind, with the issued one if any: the
    received letter once submitted (None until the task has issued it), the certificate once issued."""
    issued = {letter.kind: letter for letter in application.letters.all()}
    out: dict[str, Letter | None] = {}
    if received_letter_available(application):
        out[Letter.Kind.RECEIVED] = issued.get(Letter.Kind.RECEIVED)
    if Letter.Kind.CERTIFICATE in issued:
        out[Letter.Kind.CERTIFICATE] = issued[Letter.Kind.CERTIFICATE]
    return out


def received_letter(*, application: Application, by) -> Letter | None:
    """The application's received letter, or None while it is being prepared (read only).

    For the applicant and the mission's staff, once the application has been submitted; anyone
    else (and a draft) gets ``NotFound``.
    """
    if not services.can_view(application, by) or not received_letter_available(application):
        raise NotFound(_("Tanda terima tidak ditemukan."))
    return application.letters.filter(kind=Letter.Kind.RECEIVED).first()


def received_letter_pending_reason(application: Application) -> str:
    """Why a submitted application has no received letter yet, for the page that says so."""
    if not signing_available(application.mission.slug):
        return _(
            "Dokumen tidak dapat ditandatangani sekarang karena kunci penandatanganan "
            "perwakilan belum terpasang. Hubungi administrator sistem."
        )
    return _("Surat sedang disiapkan. Muat ulang halaman ini sebentar lagi.")


def received_letter_issue(*, application_id: int) -> Letter | None:
    """Issue the received letter of a submitted application that has none; return it.

    Run by the task enqueued after submission (Pandu itself is the actor). Two runs at once
    issue one letter: the second waits for the first on the application's row and returns its
    letter. None when the application is gone or not submitted, or when the mission's key is
    missing (logged; the page tells the applicant, and a later submission step tries again).
    """

    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("citizen__user", "service", "mission")
            .filter(pk=application_id)
            .first()
        )
        if locked is None or not received_letter_available(locked):
            return None
        existing = locked.letters.filter(kind=Letter.Kind.RECEIVED).first()
        if existing is not None:
            return existing
        with translation.override(locked.citizen.user.preferred_language):
            facts = [
                (_("Nomor permohonan"), locked.reference),
                (_("Layanan"), locked.service.tr("name")),
                (_("Pemohon"), locked.citizen.full_name),
                (_("Diajukan pada"), _local_date(locked.submitted_at, locked)),
            ]
            if locked.due_date:
                facts.append((_("Target selesai"), formats.date_format(locked.due_date, "j F Y")))
            try:
                document, pdf = issue_document(
                    kind="received_letter",
                    template="issuance/received_letter.html",
                    context={"applicant": locked.citizen.full_name},
                    mission=locked.mission,
                    subject=f"{locked.service.tr('name')} ({locked.reference})",
                    facts=facts,
                    by=None,
                )
            except PanduError as exc:  # e.g. the mission's signing key is not installed
                logger.error("received letter of %s not issued: %s", locked.reference, exc)
                return None
        return _store(locked, Letter.Kind.RECEIVED, document, pdf, timezone.now())


def received_letters_issue_missing(now: dt.datetime | None = None, *, batch: int = 3) -> int:
    """Catch-up: issue the received letters of a few submitted applications that have
    none (the demo's, loaded with issuing deferred, or a task that failed for want of a key).
    Returns how many were issued (at most ``batch``)."""
    waiting = (
        Application.objects.filter(submitted_at__isnull=False)
        .exclude(state=State.DRAFT)
        .exclude(letters__kind=Letter.Kind.RECEIVED)
        .order_by("-pk")  # the newest first: their applicants are the likeliest to be waiting
        .values_list("pk", flat=True)
    )
    return sum(received_letter_issue(application_id=pk) is not None for pk in list(waiting[:batch]))


def certificate_letter_issue(
    *, application: Application, statement: str, by, now: dt.datetime | None = None
) -> Letter:
    """Issue the certificate letter with the officer's ``statement``; called by the workflow's
    move to *issued*, inside its transaction (a failure undoes the move)."""

    with translation.override(application.citizen.user.preferred_language):
        # Signed for the mission by its key; the officer who wrote it is in the history and the
        # audit log, not printed (staff accounts carry an address, not a name and title).
        document, pdf = issue_document(
            kind="certificate_letter",
            template="issuance/certificate_letter.html",
            context={"statement": statement, "signatory": _("Pejabat Konsuler")},
            mission=application.mission,
            subject=f"{application.service.tr('name')} ({application.reference})",
            facts=[
                (_("Nomor permohonan"), application.reference),
                (_("Atas nama"), application.citizen.full_name),
                (_("Keterangan"), statement[:300]),
            ],
            by=by,
        )
    return _store(application, Letter.Kind.CERTIFICATE, document, pdf, now or timezone.now())


def letter_read(*, letter: Letter, by) -> bytes:
    """The signed PDF of ``letter``, for the applicant and the mission's staff."""
    if not services.can_view(letter.application, by):
        raise NotFound(_("Surat tidak ditemukan."))
    with default_storage.open(letter.storage_name, "rb") as handle:
        return decrypt(handle.read())
