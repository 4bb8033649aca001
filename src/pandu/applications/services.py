"""Every write on applications: start, answers, documents, reviews, payments and workflow moves.

Each function checks who is acting, writes in one transaction, records an audit event in it, and
queues the citizen's mail for after the commit. ``application_transition`` is the only way an
application changes state; it reads the move from ``workflow.TABLE``.

Documents are identity papers and other personal records: every file is cleaned
(``pandu.core.uploads.clean_upload``), encrypted (``pandu.core.crypto``) and stored under a random
name in private storage (``default_storage``, so object storage can replace the disk). They are
read back only through ``document_read``, for the applicant and the mission's staff.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pandu.applications import letters, passport, selectors, sla, tasks, workflow
from pandu.applications.models import (
    DEFAULT_MAX_MB,
    Application,
    Document,
    Payment,
    ReplacementReason,
    RequirementUpload,
    Review,
    ServiceRule,
    Sex,
    Transition,
    UploadKind,
)
from pandu.applications.mrz import MRZInputError, check_td3
from pandu.applications.mrz_text import mrz_message
from pandu.applications.standard import STANDARD_RULES, STANDARD_UPLOADS
from pandu.applications.workflow import CITIZEN, OFFICER, SUPERVISOR, SYSTEM, Event, State
from pandu.appointments.models import ACTIVE, Appointment
from pandu.audit.services import audit_record
from pandu.catalog.models import Fee, Requirement, Service
from pandu.core import clock, events
from pandu.core.crypto import decrypt, encrypt
from pandu.core.errors import NotFound, PanduError, PermissionDenied, ValidationFailed
from pandu.core.uploads import clean_upload
from pandu.issuance.services import issue_after_commit, issue_document
from pandu.notify.services import email_send
from pandu.people import identity
from pandu.people.models import CitizenProfile

log = logging.getLogger(__name__)

VIEW_PERMISSION = "applications.view_application"
PROCESS_PERMISSION = "applications.change_application"
DECIDE_PERMISSION = "applications.decide_application"
PAYMENT_PERMISSION = "applications.add_payment"


class TransitionRefused(PanduError):
    """The table has no such move from this state, or its condition does not hold."""

    code = "transition_refused"
    status = 409


# --- who is acting ---------------------------------------------------------------------------


def actor_kinds(application: Application, user) -> set[str]:
    """The actor kinds ``user`` counts as for this application (``None`` is Pandu itself)."""
    if user is None:
        return {SYSTEM}
    kinds: set[str] = set()
    if not getattr(user, "is_authenticated", False):
        return kinds
    citizen = getattr(user, "citizen", None)
    if citizen is not None and citizen.pk == application.citizen_id:
        kinds.add(CITIZEN)
    if user.has_perm(PROCESS_PERMISSION, application):
        kinds.add(OFFICER)
    if user.has_perm(DECIDE_PERMISSION, application):
        kinds.add(SUPERVISOR)
    return kinds


def can_view(application: Application, user) -> bool:
    return bool(actor_kinds(application, user) & {CITIZEN}) or user.has_perm(
        VIEW_PERMISSION, application
    )


def _require_owner(application: Application, by) -> None:
    if CITIZEN not in actor_kinds(application, by):
        raise PermissionDenied(_("Hanya pemohon yang dapat mengubah permohonan ini."))


def _require_editable(application: Application) -> None:
    if application.state not in workflow.EDITABLE:
        raise PanduError(
            _("Permohonan ini sedang diproses dan tidak dapat diubah lagi."), code="not_editable"
        )


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("service", "mission", "citizen__user", "fee", "appointment")
        .get(pk=application.pk)
    )


# --- upload rules ----------------------------------------------------------------------------


def upload_kind(requirement: Requirement) -> str:
    rule = getattr(requirement, "upload_rule", None)
    return rule.kind if rule is not None else UploadKind.DOCUMENT


def upload_max_bytes(requirement: Requirement) -> int:
    rule = getattr(requirement, "upload_rule", None)
    if rule is not None:
        return rule.max_bytes
    return DEFAULT_MAX_MB[UploadKind.DOCUMENT] * 1_000_000


def upload_required(application: Application, requirement: Requirement) -> bool:
    """Whether the citizen must upload this requirement before submitting."""
    if not requirement.uploadable or requirement.kind != Requirement.Kind.DOCUMENT:
        return False
    if upload_kind(requirement) == UploadKind.POLICE_REPORT:
        return application.replacement_reason == ReplacementReason.LOST
    return not requirement.optional


# --- start and answers -----------------------------------------------------------------------


@transaction.atomic
def application_start(*, citizen: CitizenProfile, service: Service, by) -> Application:
    """Open a draft for ``service``, or return the citizen's draft for it if one exists.

    Stops when the service belongs to another mission than the citizen's or is not offered.
    The passport data is prefilled from the profile; the citizen checks it before submitting.
    """
    if service.mission_id != citizen.mission_id or not service.is_active:
        raise NotFound(_("Layanan ini tidak tersedia untuk Anda."))
    existing = Application.objects.filter(
        citizen=citizen, service=service, state=State.DRAFT
    ).first()
    if existing is not None:
        return existing
    fees = list(service.fees.all())
    application = Application(
        mission=service.mission,
        citizen=citizen,
        service=service,
        fee=fees[0] if len(fees) == 1 else None,
    )
    if service.category == Service.Category.PASSPORT:
        words = passport.printed_name(citizen.full_name).split(" ")
        if len(words) == 1:
            application.single_name = True
            application.surname = words[0]
        else:
            application.surname, application.given_names = words[-1], " ".join(words[:-1])
        application.birth_date = citizen.date_of_birth
        application.sex = citizen.sex
        if passport.form_for(service).asks_old_passport:
            application.old_passport_number = citizen.passport_number
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # a draft was opened at the same moment (a double click)
        return Application.objects.get(citizen=citizen, service=service, state=State.DRAFT)
    audit_record(
        event="application_started",
        actor=by,
        obj=application,
        mission=application.mission,
        data={"service": service.code},
    )
    return application


ANSWER_FIELDS = (
    "fee",
    "surname",
    "given_names",
    "single_name",
    "birth_date",
    "birth_place",
    "sex",
    "old_passport_number",
    "old_passport_expiry",
    "replacement_reason",
)


def _clean_answers(application: Application, answers: dict[str, Any]) -> dict[str, Any]:
    """Normalise the given answers, or raise ``ValidationFailed`` naming each bad field."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    unknown = set(answers) - set(ANSWER_FIELDS)
    if unknown:
        error(sorted(unknown)[0], _("Isian ini tidak dikenal."))
    if "fee" in answers:
        fee = answers["fee"]
        if fee is None:
            cleaned["fee"] = None
        else:
            fee_id = fee.pk if isinstance(fee, Fee) else fee
            found = application.service.fees.filter(pk=fee_id).first()
            if found is None:
                error("fee", _("Pilih salah satu biaya layanan ini."))
            cleaned["fee"] = found
    names = _optional("pandu.applications.name_checks")
    value: str | dt.date | None  # text answers, and the dates below
    for field in ("surname", "given_names"):
        if field in answers:
            value = passport.printed_name(str(answers[field] or ""))
            if names is not None:
                for problem in names.name_problems(
                    **{"surname": "", "given_names": ""} | {field: value}
                ):
                    if problem.severity == names.ERROR and problem.code != "name_required":
                        error(field, problem.message)
            elif value and not passport.is_printable(value):
                error(
                    field,
                    _(
                        "Tulis nama dengan huruf Latin tanpa tanda diakritik, seperti tercetak di "
                        "paspor (spasi, tanda hubung dan tanda petik boleh)."
                    ),
                )
            elif len(value) > passport.MAX_NAME:
                error(field, _("Paling panjang %(n)d huruf.") % {"n": passport.MAX_NAME})
            cleaned[field] = value
    if "single_name" in answers:
        cleaned["single_name"] = bool(answers["single_name"])
    if "birth_place" in answers:
        value = " ".join(str(answers["birth_place"] or "").split()).upper()
        if len(value) > 80:
            error("birth_place", _("Paling panjang 80 huruf."))
        cleaned["birth_place"] = value
    if "sex" in answers:
        value = str(answers["sex"] or "")
        if value and value not in Sex.values:
            error("sex", _("Pilih M, F atau X."))
        cleaned["sex"] = value
    if "old_passport_number" in answers:
        value = str(answers["old_passport_number"] or "").strip()
        if value:
            try:
                value = identity.normalise_passport_number(value)
            except identity.IdentityError:
                error(
                    "old_passport_number",
                    _("Nomor paspor ditulis seperti X1234567 (huruf lalu 6 atau 7 angka)."),
                )
        cleaned["old_passport_number"] = value
    for field in ("birth_date", "old_passport_expiry"):
        if field in answers:
            value = answers[field]
            if isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value) if value else None
                except ValueError:
                    error(field, _("Isi tanggal yang benar, misalnya 17 Agustus 1990."))
                    value = None
            cleaned[field] = value
    if "replacement_reason" in answers:
        value = str(answers["replacement_reason"] or "")
        if value and value not in ReplacementReason.values:
            error("replacement_reason", _("Pilih alasan penggantian."))
        cleaned["replacement_reason"] = value
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def application_update(*, application: Application, by, answers: dict[str, Any]) -> Application:
    """Change the citizen's answers while the application is a draft or returned.

    Each answer is checked on its own here; whether everything needed is there is checked when
    submitting (``application_problems``), so a citizen can save half a form and come back.
    """
    return application_save(application=application, by=by, answers=answers)


def application_problems(application: Application) -> dict[str, list[str]]:
    """What is still missing or wrong before the application can be submitted, by field."""
    problems: dict[str, list[str]] = {}

    def problem(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    service = application.service
    if service.fees.exists() and application.fee_id is None:
        problem("fee", _("Pilih biaya yang berlaku untuk Anda."))
    if application.is_passport:
        form = passport.form_for(service)
        today = clock.today(application.mission)
        if not application.surname:
            problem(
                "surname",
                _("Isi satu-satunya nama Anda.")
                if application.single_name
                else _("Isi nama keluarga (nama belakang) seperti akan tercetak di paspor."),
            )
        if not application.single_name and not application.given_names:
            problem(
                "given_names",
                _(
                    "Isi nama depan, atau centang \u201chanya satu nama\u201d jika nama Anda satu kata."
                ),
            )
        issue = passport.birth_date_problem(application.birth_date, today)
        if issue == "required":
            problem("birth_date", _("Isi tanggal lahir."))
        elif issue is not None:
            problem("birth_date", _("Tanggal lahir ini tidak mungkin. Periksa tahunnya."))
        if not application.birth_place:
            problem("birth_place", _("Isi tempat lahir seperti di akta kelahiran."))
        if not application.sex:
            problem("sex", _("Pilih jenis kelamin seperti akan tercetak di paspor."))
        if form.old_passport_required:
            if not application.old_passport_number:
                problem("old_passport_number", _("Isi nomor paspor lama."))
            if application.old_passport_expiry is None:
                problem("old_passport_expiry", _("Isi tanggal habis berlaku paspor lama."))
        if form.asks_replacement_reason and not application.replacement_reason:
            problem("replacement_reason", _("Pilih alasan penggantian paspor."))
    current = selectors.current_documents(application)
    for requirement in service.requirements.all():
        if upload_required(application, requirement) and requirement.pk not in current:
            problem(
                f"req_{requirement.pk}",
                _("Unggah %(title)s.") % {"title": requirement.title},
            )
    return problems


# --- documents -------------------------------------------------------------------------------


def _optional(module: str):
    """A module another part of Pandu provides, or None while it is not installed."""
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def _photo_check(content: bytes) -> tuple[str, list[str]]:
    """The passport photo check (``applications.photo``): ``(verdict, findings)``.

    A photo that fails is still kept, so the citizen sees what is wrong next to it and can try
    again; an officer who accepts it anyway must give a reason (``document_review``).
    """
    photo = _optional("pandu.applications.photo")
    if photo is None:
        return "", []
    report = photo.check_photo(content)
    return ("passed" if report.ok else "failed"), [p.message for p in report.problems]


def _prepare_upload(application: Application, requirement: Requirement, upload):
    """Clean one file for ``requirement`` (and check it as a photo when it is one); no writes."""
    if requirement.service_id != application.service_id or not requirement.uploadable:
        raise NotFound(_("Persyaratan ini tidak dapat diunggah untuk permohonan ini."))
    field = f"req_{requirement.pk}"
    clean = clean_upload(upload, max_bytes=upload_max_bytes(requirement), field=field)
    findings: list[str]
    verdict, findings = "", []
    if upload_kind(requirement) == UploadKind.PHOTO:
        if not clean.content_type.startswith("image/"):
            raise PanduError(
                _("Pasfoto harus berupa gambar JPEG atau PNG."), code="photo_refused", field=field
            )
        verdict, findings = _photo_check(clean.content)
    return requirement, clean, verdict, findings


def _store(application: Application, prepared, by, written: list[str]) -> Document:
    requirement, clean, verdict, findings = prepared
    name = default_storage.save(
        f"applications/{secrets.token_hex(16)}.bin", ContentFile(encrypt(clean.content))
    )
    written.append(name)
    last = (
        Document.objects.filter(application=application, requirement=requirement)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    document = Document.objects.create(
        application=application,
        requirement=requirement,
        version=(last or 0) + 1,
        storage_name=name,
        content_type=clean.content_type,
        size=len(clean.content),
        sha256=hashlib.sha256(clean.content).hexdigest(),
        photo_verdict=verdict,
        photo_findings=findings,
        uploaded_by=by,
    )
    audit_record(
        event="application_document_uploaded",
        actor=by,
        obj=application,
        mission=application.mission,
        data={
            "requirement": requirement.pk,
            "version": document.version,
            "document": str(document.public_id),
            "sha256": document.sha256,
        },
    )
    return document


def application_save(
    *,
    application: Application,
    by,
    answers: dict[str, Any] | None = None,
    uploads: dict[Requirement, Any] | None = None,
) -> Application:
    """Save the citizen's answers and files together, or nothing at all.

    Every answer and every file is checked first; any problem raises ``ValidationFailed`` naming
    each field (uploads as ``req_<requirement id>``) and nothing is kept. A new file for a
    requirement that already has one becomes its next version; the older versions stay.
    """
    _require_owner(application, by)
    _require_editable(application)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    try:
        cleaned = _clean_answers(application, answers or {})
    except ValidationFailed as exc:
        errors.update(exc.errors)
    prepared = []
    for requirement, upload in (uploads or {}).items():
        try:
            prepared.append(_prepare_upload(application, requirement, upload))
        except PanduError as exc:
            errors.setdefault(exc.field or f"req_{requirement.pk}", []).append(exc.message)
    if errors:
        raise ValidationFailed(errors)
    written: list[str] = []
    try:
        with transaction.atomic():
            application = _locked(application)
            _require_editable(application)
            if cleaned:
                for field, value in cleaned.items():
                    setattr(application, field, value)
                if application.single_name:
                    application.given_names = ""
                application.save()
                audit_record(
                    event="application_updated",
                    actor=by,
                    obj=application,
                    mission=application.mission,
                    data={"fields": sorted(cleaned)},
                )
            for item in prepared:
                _store(application, item, by, written)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return application


def document_upload(*, application: Application, requirement: Requirement, upload, by) -> Document:
    """Keep a new version of the citizen's file for ``requirement``; older versions stay.

    Refused (nothing kept) when the file is not a clean PDF, JPEG or PNG within the requirement's
    size limit, when the requirement cannot be uploaded, or when the application is being
    processed. A returned document may be replaced while the application is returned.
    """
    _require_owner(application, by)
    _require_editable(application)
    prepared = _prepare_upload(application, requirement, upload)
    written: list[str] = []
    try:
        with transaction.atomic():
            application = _locked(application)
            _require_editable(application)
            return _store(application, prepared, by, written)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


def document_read(*, document: Document, by) -> bytes:
    """The decrypted file, for the applicant and the mission's staff; staff openings are recorded."""
    application = document.application
    kinds = actor_kinds(application, by)
    if CITIZEN not in kinds and not by.has_perm(VIEW_PERMISSION, application):
        raise NotFound(_("Dokumen tidak ditemukan."))
    with default_storage.open(document.storage_name, "rb") as handle:
        content = decrypt(handle.read())
    if CITIZEN not in kinds:
        with transaction.atomic():
            audit_record(
                event="application_document_opened",
                actor=by,
                obj=application,
                mission=application.mission,
                data={"document": str(document.public_id)},
            )
    return content


@transaction.atomic
def document_review(
    *, application: Application, requirement: Requirement, decision: str, reason: str, by
) -> Review:
    """An officer accepts the current file of a requirement, or returns it with a reason."""
    application = _locked(application)
    if OFFICER not in actor_kinds(application, by):
        raise PermissionDenied(_("Anda tidak berwenang menilai dokumen permohonan ini."))
    if application.state not in (State.SUBMITTED, State.RESUBMITTED):
        raise PanduError(
            _("Dokumen hanya dinilai selama permohonan menunggu pemeriksaan."),
            code="not_reviewable",
        )
    document = selectors.current_documents(application).get(requirement.pk)
    if document is None or requirement.service_id != application.service_id:
        raise NotFound(_("Belum ada dokumen untuk persyaratan ini."))
    reason = " ".join((reason or "").split())
    if decision not in Review.Decision.values:
        raise ValidationFailed({"decision": [_("Pilih diterima atau dikembalikan.")]})
    if decision == Review.Decision.RETURNED and not reason:
        raise ValidationFailed(
            {"reason": [_("Tulis alasan agar pemohon tahu apa yang harus diperbaiki.")]}
        )
    if len(reason) > 1000:
        raise ValidationFailed({"reason": [_("Alasan paling panjang 1000 karakter.")]})
    if (
        decision == Review.Decision.ACCEPTED
        and document.photo_verdict == Document.PhotoVerdict.FAILED
        and not reason
    ):
        raise ValidationFailed(
            {
                "reason": [
                    _(
                        "Foto ini tidak lolos pemeriksaan otomatis. Tulis alasan untuk tetap "
                        "menerimanya."
                    )
                ]
            }
        )
    review = Review.objects.create(
        application=application,
        requirement=requirement,
        document=document,
        decision=decision,
        reason=reason,
        by=by,
    )
    audit_record(
        event="application_document_reviewed",
        actor=by,
        obj=application,
        mission=application.mission,
        data={"requirement": requirement.pk, "version": document.version, "decision": decision},
    )
    return review


# --- fees and payment ------------------------------------------------------------------------


def fee_due(application: Application) -> Decimal:
    return application.fee.amount if application.fee is not None else Decimal("0")


def amount_paid(application: Application) -> Decimal:
    return application.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def receipt_issue(payment: Payment, *, by=None) -> str:
    """Issue the signed receipt PDF for ``payment`` and keep it; returns its reference.

    Uses ``pandu.issuance.services.issue_document`` (a PDF with a QR code to the public
    verification page, signed with the mission's key); returns "" while that app is not
    installed or the mission's signing key is missing (logged for the administrator), and the
    payment stands on its paper receipt number alone.
    """

    if not apps.is_installed("pandu.issuance"):
        return ""

    application = payment.application
    language = application.citizen.user.preferred_language
    try:
        with translation.override(language):
            document, pdf = issue_document(
                kind="receipt",
                template="issuance/receipt.html",
                context={"payer": application.citizen.full_name},
                mission=payment.mission,
                subject=f"{application.service.tr('name')} ({application.reference})",
                facts=[
                    (_("Nomor kuitansi"), payment.receipt_number),
                    (_("Jumlah"), f"{payment.currency} {payment.amount}"),
                    (_("Cara bayar"), payment.get_method_display()),
                    (_("Pemohon"), application.citizen.full_name),
                    (_("Nomor permohonan"), application.reference),
                ],
                by=by,
            )
    except PanduError as exc:
        if exc.code != "signing_unavailable":
            raise
        return ""
    payment.receipt_storage_name = default_storage.save(
        f"receipts/{secrets.token_hex(16)}.bin", ContentFile(encrypt(pdf))
    )
    return str(document.public_id)


def receipt_read(*, payment: Payment, by) -> bytes:
    """The signed receipt PDF, for the applicant and the mission's staff."""
    application = payment.application
    if not can_view(application, by) or not payment.receipt_storage_name:
        raise NotFound(_("Kuitansi tidak ditemukan."))
    with default_storage.open(payment.receipt_storage_name, "rb") as handle:
        return decrypt(handle.read())


@transaction.atomic
def payment_record(
    *,
    application: Application,
    method: str,
    amount: Decimal,
    receipt_number: str,
    by,
) -> Payment:
    """An officer records a payment made at the counter (cash, debit or money order)."""
    application = _locked(application)
    if not by.has_perm(PAYMENT_PERMISSION, application):
        raise PermissionDenied(_("Anda tidak berwenang mencatat pembayaran."))
    if application.state in (State.DRAFT, State.REJECTED, State.WITHDRAWN):
        raise PanduError(
            _("Pembayaran hanya dicatat untuk permohonan yang sedang diproses."), code="not_payable"
        )
    errors: dict[str, list[str]] = {}
    if method not in Payment.Method.values:
        errors["method"] = [_("Pilih cara bayar.")]
    try:
        amount = Decimal(str(amount))
    except ArithmeticError:
        amount = Decimal("0")
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("100000000"):
        errors["amount"] = [_("Isi jumlah yang dibayar, lebih dari nol.")]
    receipt_number = " ".join((receipt_number or "").split()).upper()
    if not receipt_number or len(receipt_number) > 40:
        errors["receipt_number"] = [_("Isi nomor kuitansi (paling panjang 40 karakter).")]
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                application=application,
                mission=application.mission,
                method=method,
                amount=amount.quantize(Decimal("0.01")),
                currency=application.mission.currency,
                receipt_number=receipt_number,
                recorded_by=by,
            )
    except IntegrityError:
        raise ValidationFailed(
            {"receipt_number": [_("Nomor kuitansi ini sudah dipakai untuk pembayaran lain.")]}
        ) from None
    payment.receipt_reference = receipt_issue(payment, by=by)
    if payment.receipt_reference:
        payment.save(update_fields=["receipt_reference", "receipt_storage_name"])
    audit_record(
        event="application_payment_recorded",
        actor=by,
        obj=application,
        mission=application.mission,
        data={
            "method": method,
            "amount": str(payment.amount),
            "receipt_number": receipt_number,
        },
    )
    return payment


# --- the workflow ----------------------------------------------------------------------------


def _guard_problem(application: Application, guard: str, note: str) -> str | None:
    """None when ``guard`` holds, else the message saying why the move cannot be made."""
    if guard == workflow.COMPLETE:
        if application_problems(application):
            return _("Permohonan belum lengkap. Lengkapi isian yang ditandai.")
    elif guard == workflow.ALL_RETURNED_REPLACED:
        if selectors.returned_requirements(application):
            return _("Ganti dahulu setiap dokumen yang dikembalikan.")
    elif guard == workflow.SOME_RETURNED:
        if not selectors.returned_requirements(application):
            return _("Tandai dahulu dokumen yang dikembalikan, dengan alasannya.")
    elif guard == workflow.ALL_ACCEPTED:
        if not selectors.all_documents_accepted(application):
            return _("Setiap dokumen harus diterima dahulu.")
    elif guard == workflow.IN_PERSON:
        if not application.service.in_person:
            return _("Layanan ini tidak memerlukan biometrik.")
    elif guard == workflow.NOT_IN_PERSON:
        if application.service.in_person:
            return _("Biometrik pemohon harus diambil dahulu.")
    elif guard == workflow.HAS_APPOINTMENT:
        if application.appointment is None or application.appointment.status not in ACTIVE:
            return _("Pemohon belum memesan janji temu untuk biometrik.")
    elif guard == workflow.PAID:
        if amount_paid(application) < fee_due(application):
            return _("Biaya belum lunas. Catat pembayarannya dahulu.")
    elif guard == workflow.NOTE:
        if not note:
            return _("Tulis alasannya; pemohon akan menerimanya.")
    elif guard == workflow.LETTER:
        if issues_certificate_letter(application.service) and len(note) < 20:
            return _(
                "Tulis isi surat keterangan di kolom catatan (paling sedikit 20 huruf); "
                "Pandu menerbitkannya sebagai surat bertanda tangan digital."
            )
    else:  # pragma: no cover - a guard named in the table but not written here
        raise ValueError(f"unknown guard {guard}")
    return None


def issues_certificate_letter(service: Service) -> bool:
    rule = getattr(service, "application_rule", None)
    return bool(rule and rule.issues_certificate_letter)


def standard_rules(mission) -> int:
    """Write the standard catalogue's application and upload rules for ``mission``'s services
    that have none yet (``standard``); returns how many rows were written."""

    made = 0
    for service in Service.objects.filter(mission=mission, code__in=STANDARD_RULES):
        _rule, created = ServiceRule.objects.get_or_create(
            service=service, defaults=STANDARD_RULES[service.code]
        )
        made += created
    for requirement in Requirement.objects.filter(
        service__mission=mission, title_id__in=STANDARD_UPLOADS, uploadable=True
    ):
        _upload, created = RequirementUpload.objects.get_or_create(
            requirement=requirement, defaults={"kind": STANDARD_UPLOADS[requirement.title_id]}
        )
        made += created
    return made


def _closed_between(mission):
    def closed(start: dt.date, end: dt.date) -> set[dt.date]:
        return selectors.closed_days(mission, start, end)

    return closed


def _due_from(application: Application, now: dt.datetime) -> dt.date:
    start = clock.today(application.mission, now)
    return sla.due_date_for(
        start, application.service.service_level_days, _closed_between(application.mission)
    )


def status_link(application: Application, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(
            "applications:detail", kwargs={"public_id": application.public_id}
        )


def _notify(application: Application, transition: Transition) -> None:
    user = application.citizen.user
    language = user.preferred_language
    returned = []
    if transition.target == State.RETURNED:
        returned = [
            (review.requirement.tr("title"), review.reason)
            for review in selectors.returned_requirements(application).values()
        ]
    with timezone.override(application.mission.zone):
        email_send(
            to=user.email,
            template="application_status",
            language=language,
            mission=application.mission,
            context={
                "application": application,
                "transition": transition,
                "state": transition.target,
                "returned": returned,
                "link": status_link(application, language),
            },
        )


@transaction.atomic
def application_transition(
    *,
    application: Application,
    event: str,
    by,
    note: str = "",
    now: dt.datetime | None = None,
) -> Application:
    """Make the move ``event`` from the application's state, as ``by`` (None: Pandu itself).

    Stops with ``TransitionRefused`` when the table has no such move from this state or its
    condition does not hold, and with ``PermissionDenied`` when ``by`` is none of the actor kinds
    the table allows. Otherwise the state changes, a history row and an audit event are written,
    and the citizen is mailed in their language once the transaction commits.
    """
    now = now or timezone.now()
    application = _locked(application)
    move = workflow.move_for(application.state, event)
    if move is None:
        raise TransitionRefused(
            _("Langkah ini tidak dapat dilakukan dari status %(state)s.")
            % {"state": State(application.state).label}
            if application.state in State.values
            else _("Langkah ini tidak dikenal.")
        )
    kinds = actor_kinds(application, by) & move.actors
    if not kinds:
        raise PermissionDenied(_("Anda tidak berwenang melakukan langkah ini."))
    note = " ".join((note or "").split())[:2000]
    for guard in move.guards:
        problem = _guard_problem(application, guard, note)
        if problem:
            raise TransitionRefused(problem, code=f"needs_{guard}")
    actor = next(k for k in (CITIZEN, SUPERVISOR, OFFICER, SYSTEM) if k in kinds)
    source = application.state
    application.state = move.target
    if move.event in (Event.SUBMIT, Event.RESUBMIT):
        # A returned application's clock restarts when the citizen has corrected it.
        if application.submitted_at is None:
            application.submitted_at = now
        application.due_date = _due_from(application, now)
    application.save()
    transition = Transition.objects.create(
        application=application,
        event=move.event,
        source=source,
        target=move.target,
        by=by,
        actor=actor,
        note=note,
        at=now,
    )
    audit_record(
        event="application_transition",
        actor=by,
        obj=application,
        mission=application.mission,
        data={"event": move.event, "from": source, "to": move.target, "actor": actor},
    )
    if move.event == Event.ISSUE and issues_certificate_letter(application.service):
        # The service's product is a letter: issue it now, signed, with the officer's text.

        letters.certificate_letter_issue(application=application, statement=note, by=by, now=now)
    if move.event in (Event.SUBMIT, Event.RESUBMIT):
        # The received letter is drawn and signed in the background once this commits (the
        # task does nothing when the letter exists already).
        pk = application.pk
        issue_after_commit(lambda: tasks.received_letter_issue.enqueue(application_id=pk))
    _notify(application, transition)
    # Collected or mailed: feedback invites the citizen to the survey (pandu.feedback.receivers).
    events.emit(
        events.application_moved,
        application=application,
        event=move.event,
        source=source,
        target=move.target,
        by=by,
        now=now,
    )
    # Booked before the documents were accepted: that booking is the biometrics appointment.
    if move.event == Event.ACCEPT_DOCUMENTS and biometrics_schedule(
        citizen_id=application.citizen_id, service=application.service, now=now
    ):
        application.refresh_from_db()
    return application


def biometrics_schedule(
    *, citizen_id: int, service: Service, now: dt.datetime | None = None
) -> list[Application]:
    """Record the citizen's booked appointment for the in-person ``service`` as the biometrics
    appointment of each of their applications for it whose documents are accepted (a system
    move, ``schedule_biometrics``, with the booking's reference as its note).

    Called when such a booking is made (the ``appointment_booked`` event, see
    :mod:`pandu.applications.receivers`) and when documents are accepted while a booking is
    already active. The earliest active booking is linked. Returns the applications moved;
    does nothing for a service that is not in person or when no booking is active.
    """
    if not service.in_person:
        return []
    waiting = list(
        Application.objects.filter(
            citizen_id=citizen_id, service=service, state=State.DOCUMENTS_ACCEPTED
        ).values_list("pk", flat=True)
    )
    if not waiting:
        return []
    moved = []
    with transaction.atomic():
        appointment = (
            Appointment.objects.filter(citizen_id=citizen_id, service=service, status__in=ACTIVE)
            .order_by("slot__starts_at")
            .first()
        )
        if appointment is None:
            return []
        for pk in waiting:
            locked = _locked(Application(pk=pk))
            if locked.state != State.DOCUMENTS_ACCEPTED:
                continue
            locked.appointment = appointment
            locked.save(update_fields=["appointment", "updated_at"])
            moved.append(
                application_transition(
                    application=locked,
                    event=Event.SCHEDULE_BIOMETRICS,
                    by=None,
                    note=appointment.reference,
                    now=now,
                )
            )
    return moved


@transaction.atomic
def biometrics_record_at_visit(*, visit_request, by, now: dt.datetime | None = None) -> None:
    """A Pertiwi home visit was served: the biometrics of the applications linked to it were
    captured at the door, so each that waits for them moves on (as the officer who recorded the
    visit; the citizen is told as for any move).

    An application that cannot move (already further on, or withdrawn meanwhile) is left as it
    is, with an audit event saying so; the visit's outcome stands and the application page shows
    its own state.
    """
    waiting = (State.DOCUMENTS_ACCEPTED, State.BIOMETRICS_SCHEDULED)
    for application in visit_request.applications.filter(state__in=waiting):
        try:
            with transaction.atomic():
                application_transition(
                    application=application,
                    event=Event.CAPTURE_BIOMETRICS,
                    by=by,
                    note=_("Biometrik diambil saat kunjungan rumah Pertiwi."),
                    now=now,
                )
        except PanduError:
            audit_record(
                event="pertiwi_biometrics_not_recorded",
                actor=by,
                obj=visit_request,
                mission=visit_request.mission,
                data={"application": str(application.public_id), "state": application.state},
            )


def name_notes(application: Application) -> list[str]:
    """How the machine-readable zone will show the name (transliterated or truncated)."""
    names = _optional("pandu.applications.name_checks")
    if names is None or not application.is_passport or not application.surname:
        return []
    return [
        problem.message
        for problem in names.name_problems(
            surname=application.surname, given_names=application.given_names
        )
        if problem.severity == names.WARNING
    ]


def mrz_preview(application: Application, today: dt.date | None = None) -> list[str] | None:
    """The two MRZ lines of the new passport, for the officer to check before issuance.

    The new passport's number is given at issuance, so the preview carries ``X0000000`` and an
    expiry ten years on; the name, nationality, birth date and sex are the application's.
    """
    mrz = _optional("pandu.applications.mrz")
    if mrz is None or not application.is_passport or application.birth_date is None:
        return None
    today = today or clock.today(application.mission)
    try:
        expiry = today.replace(year=today.year + 10)
    except ValueError:  # 29 February
        expiry = today.replace(year=today.year + 10, day=28)
    try:
        td3 = mrz.compose_td3(
            mrz.TD3Input(
                document_type="P",
                issuing_state="IDN",
                surname=application.surname,
                given_names=application.given_names,
                document_number="X0000000",
                nationality="IDN",
                birth_date=application.birth_date,
                sex=application.sex or "X",
                expiry_date=expiry,
            )
        )
    except ValueError:
        return None
    return list(td3.lines)


def overdue(application: Application, today: dt.date) -> bool:
    return (
        application.state in workflow.CLOCK_RUNNING
        and application.due_date is not None
        and application.due_date < today
    )


@dataclass(frozen=True)
class MRZComparison:
    """An old passport's typed MRZ: its own check digits, and whether it agrees with the
    application (number, date of birth, expiry)."""

    check: Any
    agreements: list[tuple[str, bool]]

    @property
    def valid(self) -> bool:
        return self.check.valid and all(ok for _label, ok in self.agreements)


def old_passport_check(*, application: Application, line1: str, line2: str, by) -> MRZComparison:
    """An officer types the MRZ of the old passport; Pandu checks it and compares it with what
    the applicant entered. Only the verdicts go into the audit log, never the lines."""

    if not {OFFICER, SUPERVISOR} & actor_kinds(application, by):
        raise PermissionDenied(_("Anda tidak berwenang memeriksa permohonan ini."))
    try:
        check = check_td3(line1, line2)
    except MRZInputError as exc:
        raise ValidationFailed({"line1": [mrz_message(exc)]}) from None
    fields = check.fields
    agreements = []
    if application.old_passport_number:
        agreements.append(
            (
                _("Nomor paspor lama sama dengan isian pemohon"),
                fields.get("document_number", "") == application.old_passport_number.upper(),
            )
        )
    if application.birth_date:
        agreements.append(
            (
                _("Tanggal lahir sama dengan isian pemohon"),
                fields.get("birth_date") == application.birth_date.isoformat(),
            )
        )
    if application.old_passport_expiry:
        agreements.append(
            (
                _("Masa berlaku sama dengan isian pemohon"),
                fields.get("expiry_date") == application.old_passport_expiry.isoformat(),
            )
        )
    result = MRZComparison(check=check, agreements=agreements)
    with transaction.atomic():
        audit_record(
            event="old_passport_mrz_checked",
            actor=by,
            obj=application,
            mission=application.mission,
            data={"check_digits_valid": check.valid, "agrees": result.valid},
        )
    return result
