"""Issued PDFs: signed with the mission's key, a QR code to the verification page, and every
check fails for a changed document."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from pandu.audit.models import AuditEvent
from pandu.core.errors import PanduError, ValidationFailed
from pandu.issuance import signing
from pandu.issuance.models import IssuedDocument
from pandu.issuance.services import issue_document, issued_document_revoke, verify_url
from pandu.issuance.verification import verify_pdf


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_issue_records_the_document_and_its_hash(receipt):
    document, pdf = receipt
    assert pdf.startswith(b"%PDF-")
    assert document.kind == "receipt" and document.language == "id"
    assert document.facts[0] == {"label": "Nomor kuitansi", "value": "TOR-2026-0001"}
    import hashlib

    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    assert "Pandu demo signing: toronto" in document.signer_subject
    event = AuditEvent.objects.get(event="document.issued")
    assert event.object_ref == str(document.public_id)
    assert event.data["sha256"] == document.sha256


def test_the_pdf_shows_the_facts_and_the_verification_address(receipt):
    document, pdf = receipt
    text = " ".join(pdf_text(pdf).split())
    assert "Kuitansi pembayaran" in text and "TOR-2026-0001" in text and "Siti Rahayu" in text
    url = verify_url(document.public_id, "id")
    assert url.endswith(f"/id/verify/{document.public_id}/")
    assert url.replace("/", "") in text.replace(" ", "").replace("/", "")
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta["/Keywords"] == f"pandu-document:{document.public_id}"


def test_the_qr_code_encodes_the_verification_address(receipt):
    zxingcpp = pytest.importorskip("zxingcpp")
    import segno
    from PIL import Image

    document, _pdf = receipt
    url = verify_url(document.public_id, "id")
    # The same call the document uses, rendered as an image here for the decoder.
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=6, border=4)
    [barcode] = zxingcpp.read_barcodes(Image.open(io.BytesIO(out.getvalue())))
    assert barcode.text == url


def test_an_untouched_pdf_verifies(receipt):
    document, pdf = receipt
    result = verify_pdf(pdf)
    assert result.valid, result.as_dict()
    assert result.signature_ok and result.hash_matches
    assert result.document == document
    assert verify_pdf(pdf, document=document).valid


def test_a_flipped_byte_breaks_signature_and_hash(receipt):
    document, pdf = receipt
    changed = bytearray(pdf)
    changed[len(changed) // 3] ^= 0x01
    result = verify_pdf(bytes(changed), document=document)
    assert not result.valid
    assert not result.signature_ok
    assert not result.hash_matches
    assert "signature_broken" in result.problems or "unreadable" in result.problems


def test_same_length_edit_breaks_the_signature_digest(receipt):
    document, pdf = receipt
    # Same length, so the signed byte ranges still line up: only the digest can tell.
    changed = pdf.replace(b"/Keywords (pandu", b"/Keywords (pandU", 1)
    assert len(changed) == len(pdf) and changed != pdf
    result = verify_pdf(changed, document=document)
    assert result.signature_found and not result.signature_intact
    assert result.problems[:1] == ["signature_broken"] and not result.valid


def test_a_rewritten_pdf_with_another_title_fails_both_checks(receipt):
    document, pdf = receipt
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    writer.add_metadata({"/Title": "Kuitansi palsu"})
    rewritten = io.BytesIO()
    writer.write(rewritten)
    result = verify_pdf(rewritten.getvalue(), document=document)
    assert not result.valid
    assert not result.signature_ok
    assert not result.hash_matches


def test_an_appended_update_is_caught(receipt):
    document, pdf = receipt
    result = verify_pdf(pdf + b"\n% appended\n", document=document)
    assert not result.valid
    assert "not_whole_file" in result.problems or "signature_broken" in result.problems


def test_a_pdf_signed_by_another_key_is_not_trusted(receipt, toronto, tmp_path, settings):
    _document, pdf = receipt
    settings.SIGNING_DEMO_DIR = tmp_path / "other-ca"  # another demo CA, another key
    other, other_pdf = issue_document(
        kind="receipt",
        template="issuance/receipt.html",
        context={},
        mission=toronto,
        subject="Lain",
        facts={"Nomor": "1"},
    )
    settings.SIGNING_DEMO_DIR = tmp_path / "third-ca"
    result = verify_pdf(other_pdf)
    assert result.signature_found and result.signature_intact
    assert not result.signature_trusted
    assert "untrusted" in result.problems and not result.valid


def test_another_documents_pdf_is_not_this_document(receipt, toronto):
    document, _pdf = receipt
    _other, other_pdf = issue_document(
        kind="received_letter",
        template="issuance/received_letter.html",
        context={"applicant": "Budi"},
        mission=toronto,
        subject="Permohonan paspor",
        facts={"Nomor referensi": "TOR-ABC"},
    )
    result = verify_pdf(other_pdf, document=document)
    assert not result.valid and "other_document" in result.problems


def test_junk_is_unreadable_not_an_error(db):
    result = verify_pdf(b"this is not a pdf")
    assert not result.valid and "unreadable" in result.problems


def test_a_revoked_document_no_longer_verifies(receipt, demo):
    from pandu.people.models import User

    document, pdf = receipt
    officer = User.objects.get(email="officer@toronto.pandu.test")
    issued_document_revoke(document=document, reason="Salah jumlah", by=officer)
    document.refresh_from_db()
    assert document.revoked and document.revoked_at
    result = verify_pdf(pdf)
    assert result.signature_ok and result.hash_matches and not result.valid
    assert result.problems == ["revoked"]
    assert AuditEvent.objects.filter(event="document.revoked").count() == 1
    with pytest.raises(PanduError):
        issued_document_revoke(document=document, reason="lagi", by=officer)


def test_an_expired_document_says_so(receipt):
    document, pdf = receipt
    IssuedDocument.objects.filter(pk=document.pk).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    assert verify_pdf(pdf).problems == ["expired"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "passport"}, "kind"),
        ({"subject": "  "}, "subject"),
        ({"facts": {}}, "facts"),
        ({"facts": [("", "x")]}, "facts"),
        ({"valid_until": dt.date(2000, 1, 1)}, "valid_until"),
    ],
)
def test_bad_requests_record_nothing(toronto, changes, field):
    args = {
        "kind": "certificate_letter",
        "template": "issuance/certificate_letter.html",
        "context": {"statement": "Budi adalah WNI."},
        "mission": toronto,
        "subject": "Surat keterangan",
        "facts": {"Nama": "Budi"},
    }
    with pytest.raises(ValidationFailed) as err:
        issue_document(**(args | changes))
    assert field in err.value.errors
    assert not IssuedDocument.objects.exists()


def test_all_three_kinds_render(toronto):
    for kind, template in [
        ("receipt", "issuance/receipt.html"),
        ("received_letter", "issuance/received_letter.html"),
        ("certificate_letter", "issuance/certificate_letter.html"),
    ]:
        document, pdf = issue_document(
            kind=kind,
            template=template,
            context={"statement": "Budi Santoso adalah WNI.", "applicant": "Budi"},
            mission=toronto,
            subject="Uji",
            facts=[("Nama", "Budi Santoso")],
            valid_until=timezone.localdate() + dt.timedelta(days=30),
        )
        assert verify_pdf(pdf).valid
        assert document.get_kind_display() in pdf_text(pdf)


def test_production_without_a_key_refuses_to_sign(settings):
    settings.DEBUG = False
    settings.DEMO = False
    with pytest.raises(ImproperlyConfigured, match="PANDU_SIGNING_KEY"):
        signing.key_files("toronto")


def test_a_configured_pkcs12_key_is_used(toronto, settings, tmp_path):
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    files = signing.ensure_demo_keys("toronto")  # any key and certificate will do
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(files.key.read_bytes(), password=None)
    cert = x509.load_pem_x509_certificate(files.cert.read_bytes())
    ca = x509.load_pem_x509_certificate(files.chain[0].read_bytes())
    p12 = tmp_path / "toronto.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"toronto", key, cert, [ca], BestAvailableEncryption(b"rahasia")
        )
    )
    settings.SIGNING_KEY = str(tmp_path / "{mission}.p12")
    settings.SIGNING_PASSPHRASE = "rahasia"
    settings.SIGNING_TRUST = str(files.chain[0])
    document, pdf = issue_document(
        kind="receipt",
        template="issuance/receipt.html",
        context={},
        mission=toronto,
        subject="Dari PKCS#12",
        facts={"Nomor": "P12"},
    )
    assert verify_pdf(pdf).valid


def test_a_replaced_key_file_signs_the_next_document(toronto, settings, tmp_path):
    """Loaded keys are kept per process, but an operator who replaces the key file (a renewed
    certificate) has the very next document signed with the new one, without a restart."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    def write_key(common_name: str) -> None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .sign(key, hashes.SHA256())
        )
        (tmp_path / "toronto-key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        (tmp_path / "toronto.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))

    settings.SIGNING_KEY = str(tmp_path / "{mission}-key.pem")
    settings.SIGNING_CERT = str(tmp_path / "{mission}.pem")
    signers = []
    for common_name in ("KJRI Toronto 2026", "KJRI Toronto 2027 (renewed)"):
        write_key(common_name)
        document, pdf = issue_document(
            kind="receipt",
            template="issuance/receipt.html",
            context={},
            mission=toronto,
            subject=common_name,
            facts={"Nomor": common_name},
        )
        settings.SIGNING_TRUST = str(tmp_path / "toronto.pem")
        assert verify_pdf(pdf).valid
        signers.append(document.signer_subject)
    assert "2026" in signers[0] and "2027 (renewed)" in signers[1]


# Command and page ------------------------------------------------------------------------------


def test_verify_pdf_command(receipt, tmp_path, capsys):
    document, pdf = receipt
    good = tmp_path / "good.pdf"
    good.write_bytes(pdf)
    call_command("verify_pdf", str(good))
    out = json.loads(capsys.readouterr().out)
    assert out["valid"] and out["document"]["public_id"] == str(document.public_id)
    bad = tmp_path / "bad.pdf"
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x20
    bad.write_bytes(bytes(changed))
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_pdf", str(bad))
    assert exit_.value.code == 1
    assert json.loads(capsys.readouterr().out)["valid"] is False


def test_verify_pdf_command_unreadable_file_exits_2(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError) as err:
        call_command("verify_pdf", str(tmp_path / "missing.pdf"))
    assert err.value.returncode == 2


def test_verification_page_shows_facts_and_validity(client, receipt):
    document, _pdf = receipt
    response = client.get(f"/id/verify/{document.public_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "TOR-2026-0001" in html and "masih berlaku" in html
    assert response["Cache-Control"] == "no-store"


def test_verification_page_upload_says_valid_or_not(client, receipt):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document, pdf = receipt
    url = f"/id/verify/{document.public_id}/"
    response = client.post(url, {"file": SimpleUploadedFile("r.pdf", pdf, "application/pdf")})
    assert "PDF ini asli dan sah" in response.content.decode()
    changed = pdf.replace(b"/Keywords", b"/Keywordz", 1)
    response = client.post(url, {"file": SimpleUploadedFile("r.pdf", changed, "application/pdf")})
    body = response.content.decode()
    assert response.status_code == 200
    assert "PDF ini tidak sah" in body and "PDF ini asli dan sah" not in body


def test_verification_page_without_a_file_explains(client, receipt):
    document, _pdf = receipt
    response = client.post(f"/id/verify/{document.public_id}/", {})
    assert response.status_code == 422
    assert "Pilih berkas PDF" in response.content.decode()


def test_unknown_or_guessed_ids_are_404(client, receipt):
    assert client.get("/id/verify/00000000-0000-4000-8000-000000000000/").status_code == 404
    assert client.get("/id/verify/1/").status_code == 404
    assert re.fullmatch(r"[0-9a-f-]{36}", str(receipt[0].public_id))


def test_demo_keys_made_under_another_clock_still_sign_verifiable_pdfs(toronto, settings, tmp_path):
    """A demo loaded with the clock in the future (a test travelling in time) leaves keys that
    sign documents which verify once the clock is right again."""
    settings.SIGNING_DEMO_DIR = tmp_path / "made-in-the-future"
    with time_machine.travel(timezone.now() + dt.timedelta(days=400), tick=False):
        signing.ensure_demo_keys(toronto.slug)
    _document, pdf = issue_document(
        kind="receipt",
        template="issuance/receipt.html",
        context={"payer": "Siti Rahayu"},
        mission=toronto,
        subject="Paspor elektronik (penggantian)",
        facts={"Nomor kuitansi": "TOR-2026-0002", "Jumlah": "CAD 80.00", "Nama": "Siti Rahayu"},
    )
    result = verify_pdf(pdf)
    assert result.valid, result.as_dict()
