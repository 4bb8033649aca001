"""Checking a PDF someone holds: is it a document Pandu issued, unchanged?

Two independent checks, and both must pass:

1. the PDF's signature, checked by pyHanko: the signed bytes are intact, the signature is
   cryptographically valid, it covers the whole file (nothing appended after signing), and the
   signing certificate chains to a trusted authority (the mission's configured CA, or the demo
   CA in demo mode);
2. the SHA-256 of the whole file equals that of a document in Pandu's register (the one on the
   page being viewed, or any, for ``pandu verify_pdf``), and that document is not revoked.

A PDF that pyHanko cannot even parse fails both. Reads only; nothing is written.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pandu.issuance import signing
from pandu.issuance.models import IssuedDocument

logger = logging.getLogger(__name__)

MESSAGES = {
    "unreadable": _("Berkas ini bukan PDF yang dapat dibaca."),
    "no_signature": _("PDF ini tidak bertanda tangan elektronik."),
    "signature_broken": _(
        "Tanda tangan elektronik tidak cocok dengan isi PDF: dokumen telah diubah."
    ),
    "not_whole_file": _("Ada bagian yang ditambahkan ke PDF sesudah ditandatangani."),
    "untrusted": _("Tanda tangan ini bukan dari perwakilan yang menggunakan Pandu."),
    "not_registered": _(
        "PDF ini tidak sama dengan dokumen yang diterbitkan (sidik jarinya berbeda)."
    ),
    "other_document": _("PDF ini adalah dokumen lain, bukan dokumen di halaman ini."),
    "revoked": _("Dokumen ini telah dicabut."),
    "expired": _("Masa berlaku dokumen ini telah habis."),
}


@dataclass
class PdfVerification:
    sha256: str
    signature_found: bool = False
    signature_intact: bool = False
    signature_valid: bool = False
    signature_trusted: bool = False
    covers_whole_file: bool = False
    signer: str = ""
    document: IssuedDocument | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def signature_ok(self) -> bool:
        return (
            self.signature_found
            and self.signature_intact
            and self.signature_valid
            and self.signature_trusted
            and self.covers_whole_file
        )

    @property
    def hash_matches(self) -> bool:
        return self.document is not None and self.document.sha256 == self.sha256

    @property
    def valid(self) -> bool:
        return self.signature_ok and self.hash_matches and not self.problems

    @property
    def messages(self) -> list[str]:
        return [str(MESSAGES[code]) for code in self.problems]

    def as_dict(self) -> dict:
        doc = self.document
        return {
            "valid": self.valid,
            "sha256": self.sha256,
            "signature": {
                "found": self.signature_found,
                "intact": self.signature_intact,
                "valid": self.signature_valid,
                "trusted": self.signature_trusted,
                "covers_whole_file": self.covers_whole_file,
                "signer": self.signer,
            },
            "hash_matches": self.hash_matches,
            "document": None
            if doc is None
            else {
                "public_id": str(doc.public_id),
                "kind": doc.kind,
                "subject": doc.subject,
                "mission": doc.mission.slug,
                "issued_at": doc.issued_at.isoformat(),
                "valid_until": doc.valid_until.isoformat() if doc.valid_until else None,
                "revoked": doc.revoked,
                "facts": doc.facts,
            },
            "problems": [{"code": c, "message": str(MESSAGES[c])} for c in self.problems],
        }


def _check_signature(data: bytes, result: PdfVerification, mission_slug: str | None) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: PLC0415
    from pyhanko.sign.validation import validate_pdf_signature  # noqa: PLC0415
    from pyhanko.sign.validation.status import SignatureCoverageLevel  # noqa: PLC0415
    from pyhanko_certvalidator import ValidationContext  # noqa: PLC0415

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any parse failure means "not a readable PDF"
        result.problems.append("unreadable")
        return
    if not signatures:
        result.problems.append("no_signature")
        return
    result.signature_found = True
    context = ValidationContext(trust_roots=signing.trust_roots(mission_slug), allow_fetching=False)
    try:
        status = signing.outside_event_loop(validate_pdf_signature, signatures[-1], context)
    except Exception:  # noqa: BLE001 - a mangled signature object: broken, not a 500
        logger.info("signature validation failed", exc_info=True)
        result.problems.append("signature_broken")
        return
    result.signature_intact = bool(status.intact)
    result.signature_valid = bool(status.valid)
    result.signature_trusted = bool(status.trusted)
    result.covers_whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    result.signer = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    if not (result.signature_intact and result.signature_valid):
        result.problems.append("signature_broken")
    elif not result.covers_whole_file:
        result.problems.append("not_whole_file")
    elif not result.signature_trusted:
        result.problems.append("untrusted")


def verify_pdf(data: bytes, *, document: IssuedDocument | None = None) -> PdfVerification:
    """Check ``data`` against the signature it carries and the register.

    With ``document`` (the verification page's), the PDF must be that document; without it,
    the register is searched by the file's hash.
    """
    result = PdfVerification(sha256=hashlib.sha256(data).hexdigest())
    found = IssuedDocument.objects.select_related("mission").filter(sha256=result.sha256).first()
    mission_slug = (document or found).mission.slug if (document or found) else None
    _check_signature(data, result, mission_slug)
    if document is not None:
        result.document = document
        if result.sha256 != document.sha256:
            result.problems.append("other_document" if found else "not_registered")
    elif found is not None:
        result.document = found
    else:
        result.problems.append("not_registered")
    if result.document is not None and result.hash_matches:
        status = result.document.status_on(timezone.localdate())
        if status in ("revoked", "expired"):
            result.problems.append(status)
    return result
