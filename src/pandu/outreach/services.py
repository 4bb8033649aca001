"""Writes on Pertiwi eligibility: requests, decisions, encrypted evidence and its deletion.

Evidence of health or disability is specific personal data under Indonesia's PDP law and sensitive
under PIPEDA: it is asked for only where a supervisor must judge it (disability, another reason),
kept encrypted (``pandu.core.crypto``) under a random name in private storage, opened only by
holders of ``outreach.review_eligibility`` for the request's mission (each opening is recorded in
the audit trail), and deleted ``evidence_retention_days`` after the decision or at once when the
request is withdrawn. The audit trail records reason codes, never the evidence or the details.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pandu.audit.services import audit_record
from pandu.core import clock
from pandu.core.crypto import decrypt, encrypt
from pandu.core.errors import PanduError, PermissionDenied, ValidationFailed
from pandu.core.uploads import clean_upload
from pandu.notify.services import email_send
from pandu.outreach import eligibility
from pandu.outreach.models import EligibilityRequest, Evidence
from pandu.outreach.selectors import policy_for
from pandu.people.models import CitizenProfile

MAX_EVIDENCE_FILES = 3
MAX_EVIDENCE_BYTES = 10_000_000
REVIEW_PERMISSION = "outreach.review_eligibility"
Reason = EligibilityRequest.Reason


def eligibility_request_submit(
    *,
    citizen: CitizenProfile,
    submitted_by,
    reason: str,
    consent: bool,
    acting_as: str = EligibilityRequest.ActingAs.SELF,
    acting_name: str = "",
    acting_relation: str = "",
    due_date: dt.date | None = None,
    details: str = "",
    files: Sequence[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> EligibilityRequest:
    """Record a request for Pertiwi, or refuse it with every problem named by its field."""
    now = now or timezone.now()
    today = clock.today(citizen.mission, now)
    policy = policy_for(citizen.mission)
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if reason not in Reason.values:
        error("reason", _("Pilih salah satu alasan."))
    if acting_as not in EligibilityRequest.ActingAs.values:
        error("acting_as", _("Pilih untuk siapa permohonan ini."))
    elif acting_as != EligibilityRequest.ActingAs.SELF:
        if not acting_name.strip():
            error("acting_name", _("Tulis nama Anda sebagai yang mengajukan."))
        if not acting_relation.strip():
            error("acting_relation", _("Tulis hubungan Anda dengan pemohon."))
    if not consent:
        error(
            "consent",
            _("Persetujuan diperlukan agar kami boleh memproses data kesehatan atau disabilitas."),
        )
    details = details.strip()
    if reason == Reason.ELDERLY:
        assessment = eligibility.assess(
            reason=reason, on=today, policy=policy, date_of_birth=citizen.date_of_birth
        )
        if not assessment.eligible:
            error(
                "reason",
                _("Menurut tanggal lahir di profil, Anda belum berusia %(age)d tahun.")
                % {"age": policy.elderly_age},
            )
    if reason == Reason.PREGNANCY:
        if due_date is None:
            error("due_date", _("Isi perkiraan tanggal lahir bayi."))
        else:
            first, last = eligibility.pregnancy_window(due_date, policy)
            if due_date > today + dt.timedelta(days=300):
                error("due_date", _("Perkiraan tanggal lahir terlalu jauh. Periksa tahunnya."))
            elif today > last:
                error("due_date", _("Perkiraan tanggal lahir ini sudah lewat dari masa layanan."))
    if reason == Reason.DISABILITY and not files:
        error(
            "files",
            _("Lampirkan bukti, misalnya surat dokter atau kartu disabilitas."),
        )
    if reason == Reason.OTHER and not details:
        error("details", _("Jelaskan alasan Anda."))
    if len(details) > 2000:
        error("details", _("Penjelasan paling panjang 2000 karakter."))
    if len(files) > MAX_EVIDENCE_FILES:
        error("files", _("Paling banyak %(n)d berkas.") % {"n": MAX_EVIDENCE_FILES})
    cleaned = []
    if "files" not in errors:
        for upload in files:
            try:
                cleaned.append(clean_upload(upload, max_bytes=MAX_EVIDENCE_BYTES))
            except PanduError as exc:
                error("files", f"{getattr(upload, 'name', '')}: {exc.message}".strip(": "))
    if errors:
        raise ValidationFailed(errors)

    written: list[str] = []
    try:
        with transaction.atomic():
            request = EligibilityRequest(
                mission=citizen.mission,
                citizen=citizen,
                submitted_by=submitted_by,
                acting_as=acting_as,
                acting_name=acting_name.strip()[:120],
                acting_relation=acting_relation.strip()[:80],
                reason=reason,
                due_date=due_date if reason == Reason.PREGNANCY else None,
            )
            request.details = details
            request.save()
            for clean in cleaned:
                name = default_storage.save(
                    f"evidence/{secrets.token_hex(16)}.bin", ContentFile(encrypt(clean.content))
                )
                written.append(name)
                Evidence.objects.create(
                    request=request,
                    storage_name=name,
                    content_type=clean.content_type,
                    size=len(clean.content),
                    sha256=hashlib.sha256(clean.content).hexdigest(),
                )
            audit_record(
                event="pertiwi_requested",
                actor=submitted_by,
                obj=request,
                mission=citizen.mission,
                data={"reason": reason, "acting_as": acting_as, "evidence": len(cleaned)},
            )
    except IntegrityError:
        _delete_files(written)
        raise PanduError(
            _("Anda sudah mempunyai permohonan Pertiwi yang menunggu keputusan."),
            code="already_requested",
        ) from None
    except BaseException:
        _delete_files(written)
        raise
    return request


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _check_reviewer(user, request: EligibilityRequest) -> None:
    if not user.has_perm(REVIEW_PERMISSION, request.mission):
        raise PermissionDenied(_("Anda tidak berwenang menilai permohonan ini."))


@transaction.atomic
def eligibility_decide(
    *,
    request: EligibilityRequest,
    by,
    approve: bool,
    reason_text: str,
    valid_until: dt.date | None = None,
    now: dt.datetime | None = None,
) -> EligibilityRequest:
    """A supervisor approves or refuses, with a reason the citizen is told in their language."""
    now = now or timezone.now()
    _check_reviewer(by, request)
    request = (
        EligibilityRequest.objects.select_for_update(of=("self",))
        .select_related("citizen__user", "mission")
        .get(pk=request.pk)
    )
    if request.status != EligibilityRequest.Status.SUBMITTED:
        raise PanduError(_("Permohonan ini sudah diputuskan atau ditarik."), code="decided")
    reason_text = reason_text.strip()
    if not reason_text:
        raise ValidationFailed({"reason_text": [_("Tulis alasan keputusan.")]})
    today = clock.today(request.mission, now)
    policy = policy_for(request.mission)
    if approve:
        default_until = eligibility.valid_until(
            reason=request.reason, decided_on=today, policy=policy, due_date=request.due_date
        )
        valid_until = valid_until or default_until
        if valid_until < today:
            raise ValidationFailed({"valid_until": [_("Tanggal berlaku tidak boleh lampau.")]})
        request.status = EligibilityRequest.Status.APPROVED
        request.valid_until = valid_until
    else:
        request.status = EligibilityRequest.Status.REFUSED
        request.valid_until = None
    request.decided_by = by
    request.decided_at = now
    request.decision_reason = reason_text[:2000]
    request.save()
    request.evidence.filter(purge_after__isnull=True).update(
        purge_after=now + dt.timedelta(days=policy.evidence_retention_days)
    )
    audit_record(
        event="pertiwi_decided",
        actor=by,
        obj=request,
        mission=request.mission,
        data={"approved": approve, "valid_until": str(request.valid_until or "")},
    )
    user = request.citizen.user
    with translation.override(user.preferred_language), timezone.override(request.mission.zone):
        email_send(
            to=user.email,
            template="pertiwi_decided",
            language=user.preferred_language,
            context={"request": request, "mission": request.mission},
        )
    return request


@transaction.atomic
def eligibility_withdraw(
    *, request: EligibilityRequest, by, now: dt.datetime | None = None
) -> EligibilityRequest:
    """The citizen withdraws a request still waiting; its evidence is deleted at the next purge."""
    now = now or timezone.now()
    request = EligibilityRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != EligibilityRequest.Status.SUBMITTED:
        raise PanduError(
            _("Hanya permohonan yang menunggu keputusan dapat ditarik."), code="decided"
        )
    request.status = EligibilityRequest.Status.WITHDRAWN
    request.save(update_fields=["status"])
    request.evidence.update(purge_after=now)
    audit_record(event="pertiwi_withdrawn", actor=by, obj=request, mission=request.mission)
    return request


def evidence_read(*, evidence: Evidence, by) -> bytes:
    """The decrypted file for a reviewer; every opening is recorded."""
    _check_reviewer(by, evidence.request)
    if evidence.purged_at is not None:
        raise PanduError(_("Bukti ini sudah dihapus sesuai aturan penyimpanan."), code="purged")
    with default_storage.open(evidence.storage_name, "rb") as handle:
        content = decrypt(handle.read())
    with transaction.atomic():
        audit_record(
            event="pertiwi_evidence_opened",
            actor=by,
            obj=evidence.request,
            mission=evidence.request.mission,
            data={"evidence": str(evidence.public_id)},
        )
    return content


def evidence_purge_due(now: dt.datetime | None = None) -> int:
    """Delete the evidence whose retention has ended. Returns how many files were deleted."""
    now = now or timezone.now()
    purged = 0
    for evidence in Evidence.objects.filter(
        purge_after__lte=now, purged_at__isnull=True
    ).select_related("request__mission"):
        with transaction.atomic():
            claimed = Evidence.objects.filter(pk=evidence.pk, purged_at__isnull=True).update(
                purged_at=now
            )
            if not claimed:
                continue
            default_storage.delete(evidence.storage_name)
            audit_record(
                event="pertiwi_evidence_deleted",
                obj=evidence.request,
                mission=evidence.request.mission,
                data={"evidence": str(evidence.public_id)},
            )
            purged += 1
    return purged
