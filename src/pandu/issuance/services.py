"""Issuing signed PDFs (receipts, "application received" letters, certificate letters).

:func:`issue_document` renders a template with WeasyPrint, prints on it a QR code that opens the
public verification page ``/<lang>/verify/<public_id>/``, signs the PDF with the mission's key
(:mod:`pandu.issuance.signing`) and records the document with the SHA-256 of the signed file.
The record and its audit event are written in one transaction, after the (slow) rendering and
signing, so no lock is held while WeasyPrint works. The PDF bytes go back to the caller, who
keeps them (e.g. with the application); Pandu can always say whether a PDF is one it issued.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pandu.audit.services import audit_record
from pandu.core.errors import PanduError, ValidationFailed
from pandu.issuance import signing
from pandu.issuance.models import IssuedDocument

MAX_FACTS = 20
logger = logging.getLogger(__name__)


def verify_path(public_id: uuid.UUID | str, language: str | None = None) -> str:
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        return reverse("issuance:verify", kwargs={"public_id": public_id})


def verify_url(public_id: uuid.UUID | str, language: str | None = None) -> str:
    return settings.SITE_URL + verify_path(public_id, language)


def qr_data_uri(url: str) -> str:
    """The QR code of ``url`` as an SVG data URI (WeasyPrint draws it as vector graphics)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def _facts(facts: Mapping[str, Any] | Iterable[Any]) -> list[dict[str, str]]:
    items: Iterable[Any] = facts.items() if isinstance(facts, Mapping) else facts
    out: list[dict[str, str]] = []
    for item in items:
        if isinstance(item, Mapping):
            label, value = item.get("label"), item.get("value")
        else:
            label, value = item
        if not str(label or "").strip():
            raise ValidationFailed({"facts": [_("Setiap keterangan pokok perlu nama.")]})
        out.append({"label": str(label).strip(), "value": "" if value is None else str(value)})
    if not out or len(out) > MAX_FACTS:
        raise ValidationFailed(
            {"facts": [_("Dokumen perlu 1 sampai %(n)d keterangan pokok.") % {"n": MAX_FACTS}]}
        )
    return out


_deferred: ContextVar[bool] = ContextVar("pandu_issuance_deferred", default=False)


@contextmanager
def issuing_deferred() -> Iterator[None]:
    """Inside the block, letters a write would have issued in the background are not queued
    (the demo's load: a hundred signatures would take minutes). ``pandu demo`` issues them
    afterwards in the background (``pandu.demo.loader.demo_letters_issue``)."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def issue_after_commit(issue: Callable[[], Any]) -> None:
    """Run ``issue`` (which enqueues a task issuing a document) once the caller's transaction
    commits, unless issuing is deferred here (:func:`issuing_deferred`)."""
    if not _deferred.get():
        transaction.on_commit(issue)


def issue_document(
    *,
    kind: str,
    template: str,
    context: Mapping[str, Any],
    mission,
    subject: str,
    facts: Mapping[str, Any] | Iterable[Any],
    valid_until: dt.date | None = None,
    by=None,
) -> tuple[IssuedDocument, bytes]:
    """Render, sign and record one document; return the record and the signed PDF.

    ``kind`` is one of :class:`IssuedDocument.Kind`; ``template`` a template name such as
    ``"issuance/receipt.html"`` (or a template of the caller's that extends
    ``issuance/document_base.html``); ``context`` what that template needs; ``facts`` the key
    facts a verifier sees on the public page (``{"Nomor kuitansi": "R-1", ...}`` or a list of
    ``(label, value)``), in the language active now, which is also the PDF's language. Raises
    :class:`ValidationFailed` for a wrong kind, an empty subject or bad facts; nothing is
    recorded then.
    """
    if kind not in IssuedDocument.Kind.values:
        raise ValidationFailed({"kind": [_("Jenis dokumen tidak dikenal.")]})
    subject = " ".join((subject or "").split())
    if not subject or len(subject) > 300:
        raise ValidationFailed({"subject": [_("Perihal wajib diisi, paling panjang 300 huruf.")]})
    fact_rows = _facts(facts)
    today = timezone.localdate()
    if valid_until is not None and valid_until < today:
        raise ValidationFailed({"valid_until": [_("Tanggal berlaku tidak boleh sudah lewat.")]})

    public_id = uuid.uuid4()
    language = translation.get_language() or settings.LANGUAGE_CODE
    issued_at = timezone.now()
    url = verify_url(public_id, language)
    page = {
        **context,
        "mission": mission,
        "document": {
            "public_id": public_id,
            "kind": kind,
            "kind_label": IssuedDocument.Kind(kind).label,
            "subject": subject,
            "facts": fact_rows,
            "issued_at": issued_at,
            "valid_until": valid_until,
        },
        "verify_url": url,
        "qr_uri": qr_data_uri(url),
    }
    from weasyprint import HTML  # noqa: PLC0415

    with timezone.override(mission.zone):  # dates print in the mission's time zone
        html = render_to_string(template, page)
    pdf = HTML(string=html, base_url=settings.SITE_URL + "/").write_pdf()
    try:
        signed, signer_subject = signing.sign_pdf(
            pdf,
            mission_slug=mission.slug,
            reason=str(IssuedDocument.Kind(kind).label),
            location=getattr(mission, "city", "") or "",
        )
    except ImproperlyConfigured as exc:  # no key, or a key file gone: nothing is issued
        logger.error("cannot sign a %s for %s: %s", kind, mission.slug, exc)
        raise PanduError(
            _(
                "Dokumen tidak dapat ditandatangani sekarang karena kunci penandatanganan "
                "perwakilan belum terpasang. Hubungi administrator sistem."
            ),
            code="signing_unavailable",
        ) from exc
    digest = hashlib.sha256(signed).hexdigest()
    with transaction.atomic():
        document = IssuedDocument.objects.create(
            public_id=public_id,
            mission=mission,
            kind=kind,
            subject=subject,
            facts=fact_rows,
            language=language,
            sha256=digest,
            signer_subject=signer_subject[:300],
            issued_at=issued_at,
            valid_until=valid_until,
            issued_by=by if getattr(by, "is_authenticated", False) else None,
        )
        audit_record(
            event="document.issued",
            actor=by,
            obj=document,
            data={"kind": kind, "sha256": digest, "template": template},
        )
    return document, signed


def issued_document_revoke(*, document: IssuedDocument, reason: str, by) -> IssuedDocument:
    """Revoke a document: its verification page says so from now on. Revoking twice is refused."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed({"reason": [_("Alasan pencabutan wajib diisi.")]})
    with transaction.atomic():
        updated = IssuedDocument.objects.filter(pk=document.pk, revoked=False).update(
            revoked=True, revoked_at=timezone.now(), revoked_reason=reason[:300]
        )
        if not updated:
            raise PanduError(_("Dokumen ini sudah dicabut."), code="already_revoked")
        document.refresh_from_db()
        audit_record(event="document.revoked", actor=by, obj=document, data={"reason": reason})
    return document
