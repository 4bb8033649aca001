"""Checking uploaded documents before anything keeps them.

A file is recognised by its first bytes, never by its name or the browser's claim: PDF
(``%PDF-``), JPEG (``FF D8 FF``) or PNG (its 8-byte signature). Images are decoded and re-encoded
by Pillow, which drops every metadata block (EXIF with GPS positions, camera serials, comments) and
anything appended after the image. PDFs must parse with ``pypdf``, must not be encrypted, and
must not reach, from the document's root, an action a viewer would run or a file it would carry:
JavaScript, launch actions, embedded files or rich media. The recognition of three signatures is
written here because it is three byte comparisons; everything that parses a format is a library.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from pandu.core.errors import PanduError

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
FORBIDDEN_PDF_KEYS = {
    "/JS",
    "/JavaScript",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/RichMedia",
    "/XFA",
}
MAX_PIXELS = 60_000_000  # larger images are refused (decompression bombs)
MAX_PDF_OBJECTS = 200_000


class UploadRefused(PanduError):
    code = "upload_refused"
    status = 422


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def clean_upload(upload, *, max_bytes: int, field: str | None = None) -> CleanFile:
    """Read, recognise and clean an uploaded file, or refuse it with a reason a citizen can act on."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRefused(_too_big(max_bytes), field=field)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRefused(_too_big(max_bytes), field=field)
    if not data:
        raise UploadRefused(_("Berkas kosong."), field=field)
    kind = sniff(data[:16])
    if kind is None:
        raise UploadRefused(
            _("Hanya PDF, JPEG atau PNG yang diterima. Berkas ini bukan salah satunya."),
            field=field,
        )
    if kind == PDF:
        _check_pdf(data, field)
        return CleanFile(data, PDF)
    return CleanFile(_reencode(data, kind, field), kind)


def _too_big(max_bytes: int) -> str:
    return _("Berkas terlalu besar. Paling besar %(mb)s MB.") % {
        "mb": f"{max_bytes / 1_000_000:.0f}"
    }


def _reencode(data: bytes, kind: str, field: str | None) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise UploadRefused(_("Gambar terlalu besar."), field=field)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if kind == JPEG:
                image.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
            else:
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, "PNG", optimize=True)
            return out.getvalue()
    except UploadRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise UploadRefused(
            _("Gambar ini rusak atau tidak dapat dibaca. Pindai atau foto ulang dokumennya."),
            field=field,
        ) from None


def _check_pdf(data: bytes, field: str | None) -> None:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UploadRefused(
                _("PDF ini dikunci dengan kata sandi. Unggah salinan tanpa kata sandi."),
                field=field,
            )
        if len(reader.pages) == 0:
            raise UploadRefused(_("PDF ini tidak berisi halaman."), field=field)
        found = _forbidden_key(reader.trailer)
    except UploadRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        raise UploadRefused(
            _("PDF ini rusak atau tidak dapat dibaca. Simpan ulang sebagai PDF lalu unggah lagi."),
            field=field,
        ) from None
    if found:
        raise UploadRefused(
            _(
                "PDF ini berisi JavaScript, tindakan otomatis atau berkas sisipan, sehingga ditolak "
                "demi keamanan. Cetak ke PDF atau pindai dokumennya, lalu unggah lagi."
            ),
            field=field,
        )


def _forbidden_key(root) -> str | None:
    """Walk every object reachable from the trailer; return the first forbidden key found."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            ref = (item.idnum, item.generation)
            if ref in seen:
                continue
            seen.add(ref)
            item = item.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in FORBIDDEN_PDF_KEYS:
                    return key
                if key == "/S" and value in ("/JavaScript", "/Launch"):
                    return str(value)
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None
