"""Files people upload: good ones are kept encrypted as versions; bad ones are refused with a
reason and leave nothing behind."""

from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from pandu.applications import services
from pandu.applications.models import Document, RequirementUpload, UploadKind
from pandu.core.errors import ValidationFailed

from .conftest import jpeg_bytes, pdf_bytes, png_bytes, upload


def _requirement(application, title="Paspor lama"):
    return application.service.requirements.get(title_id=title)


def _stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _pdf_with_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hi');"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * 20_000_000)
    return out.getvalue()


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)

BAD_FILES = {
    "renamed executable": ("paspor.pdf", b"MZ\x90\x00" + b"\0" * 200, "application/pdf"),
    "PDF with JavaScript": ("paspor.pdf", _pdf_with_javascript(), "application/pdf"),
    "truncated JPEG": ("paspor.jpg", jpeg_bytes((300, 300))[:400], "image/jpeg"),
    "SVG": ("paspor.png", SVG, "image/png"),
    "zip bomb renamed .pdf": ("paspor.pdf", _zip_bomb(), "application/pdf"),
    "empty file": ("paspor.pdf", b"", "application/pdf"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_is_refused_with_a_reason_and_nothing_is_kept(
    name, draft, citizen, private_media
):
    filename, content, content_type = BAD_FILES[name]
    requirement = _requirement(draft)
    with pytest.raises(ValidationFailed) as refused:
        services.application_save(
            application=draft,
            by=citizen,
            answers={"birth_place": "Bandung"},
            uploads={requirement: upload(filename, content, content_type)},
        )
    message = " ".join(refused.value.errors[f"req_{requirement.pk}"])
    assert message
    assert not Document.objects.exists()
    assert _stored_files(private_media) == []
    draft.refresh_from_db()
    assert draft.birth_place == ""  # the answers given with it were not saved either


def test_a_file_over_the_requirements_limit_is_refused(draft, citizen, private_media):
    requirement = _requirement(draft)
    RequirementUpload.objects.update_or_create(
        requirement=requirement, defaults={"kind": UploadKind.IDENTITY, "max_megabytes": 1}
    )
    big = png_bytes((100, 100)) + b"\0" * 1_100_000
    with pytest.raises(ValidationFailed) as refused:
        services.application_save(
            application=draft, by=citizen, uploads={requirement: upload("big.png", big)}
        )
    assert "1 MB" in refused.value.errors[f"req_{requirement.pk}"][0]
    assert _stored_files(private_media) == []


def test_a_good_file_is_kept_encrypted_and_a_replacement_keeps_the_old_version(
    draft, citizen, private_media
):
    requirement = _requirement(draft)
    first = services.document_upload(
        application=draft, requirement=requirement, upload=upload("a.pdf", pdf_bytes()), by=citizen
    )
    second = services.document_upload(
        application=draft, requirement=requirement, upload=upload("b.jpg", jpeg_bytes()), by=citizen
    )
    assert (first.version, second.version) == (1, 2)
    assert services.selectors.current_documents(draft)[requirement.pk] == second
    stored = _stored_files(private_media)
    assert len(stored) == 2
    for path in stored:
        assert not path.read_bytes().startswith((b"%PDF", b"\xff\xd8"))  # encrypted at rest
        assert "a.pdf" not in path.name and "b.jpg" not in path.name
    assert services.document_read(document=first, by=citizen).startswith(b"%PDF")


def test_images_are_re_encoded_without_their_metadata(draft, citizen):
    from PIL import Image

    image = Image.new("RGB", (80, 60), (1, 2, 3))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    document = services.document_upload(
        application=draft,
        requirement=_requirement(draft),
        upload=upload("p.jpg", out.getvalue(), "image/jpeg"),
        by=citizen,
    )
    assert b"SecretCamera" not in services.document_read(document=document, by=citizen)


def test_a_submitted_application_takes_no_new_files(submitted, citizen):
    from pandu.core.errors import PanduError

    with pytest.raises(PanduError) as refused:
        services.document_upload(
            application=submitted,
            requirement=_requirement(submitted),
            upload=upload(),
            by=citizen,
        )
    assert refused.value.code == "not_editable"
