"""Staff opening an application's scans or the old passport number: masked until opened by a
POST, each opening one entry in the access log, a reason where the role must give one."""

from __future__ import annotations

from django.urls import reverse

from pandu.applications.models import Document
from pandu.audit.models import AuditEvent, SensitiveAccess


def _document_url(application, document, name="applications:staff_document"):
    return reverse(
        name, kwargs={"public_id": application.public_id, "document_id": document.public_id}
    )


def test_the_case_page_masks_the_old_passport_number_and_links_no_file(client, submitted, officer):
    client.force_login(officer)
    page = client.get(
        reverse("applications:staff_detail", kwargs={"public_id": submitted.public_id})
    )
    assert page.status_code == 200
    assert "A1234567" not in page.text and "A12\u2022\u2022\u2022\u20227" in page.text
    document = Document.objects.filter(application=submitted).first()
    # No GET link or inline image reaches the file: only the recorded POST does.
    assert _document_url(submitted, document, "applications:document") not in page.text
    assert _document_url(submitted, document) in page.text
    assert not SensitiveAccess.objects.exists()


def test_an_officer_opens_a_scan_once_one_entry(client, submitted, officer, ayu):
    client.force_login(officer)
    document = Document.objects.filter(application=submitted).first()
    response = client.post(_document_url(submitted, document), {"view": "1"})
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Cache-Control"] == "no-store, private"
    (entry,) = SensitiveAccess.objects.all()
    assert entry.data_kind == "document_scan"
    assert (entry.object_type, entry.object_ref) == (
        "applications.document",
        str(document.public_id),
    )
    assert entry.actor == officer and entry.actor_label == officer.email
    assert entry.actor_roles == "Officer"
    assert entry.subject_ref == str(ayu.public_id)
    assert entry.mission == submitted.mission and entry.reason == ""


def test_a_staff_get_of_the_file_leads_to_the_case_page_and_records_nothing(
    client, submitted, officer
):
    client.force_login(officer)
    document = Document.objects.filter(application=submitted).first()
    response = client.get(_document_url(submitted, document, "applications:document"), follow=True)
    assert response.redirect_chain[-1][0].endswith(
        reverse("applications:staff_detail", kwargs={"public_id": submitted.public_id})
    )
    assert "setiap pembukaan dicatat" in response.text
    assert not SensitiveAccess.objects.exists()
    assert not AuditEvent.objects.filter(event="application_document_opened").exists()


def test_the_owner_downloads_their_own_file_unrecorded(client, submitted, citizen):
    client.force_login(citizen)
    document = Document.objects.filter(application=submitted).first()
    response = client.get(_document_url(submitted, document, "applications:document"))
    assert response.status_code == 200
    assert not SensitiveAccess.objects.exists()


def test_the_head_of_mission_must_say_why(client, submitted, head):
    client.force_login(head)
    document = Document.objects.filter(application=submitted).first()
    page = client.get(
        reverse("applications:staff_detail", kwargs={"public_id": submitted.public_id})
    )
    assert "Alasan membuka" in page.text
    refused = client.post(_document_url(submitted, document), {"reason": "   "}, follow=True)
    assert refused.status_code == 200
    assert "Tuliskan alasan Anda membuka data ini" in refused.text
    assert not refused.content.startswith(b"\x89PNG")
    assert not SensitiveAccess.objects.exists()
    assert not AuditEvent.objects.filter(event="application_document_opened").exists()

    opened = client.post(_document_url(submitted, document), {"reason": "Pengaduan no. 12"})
    assert opened.status_code == 200 and opened.content.startswith(b"\x89PNG")
    (entry,) = SensitiveAccess.objects.all()
    assert entry.reason == "Pengaduan no. 12" and entry.actor == head


def test_revealing_the_old_passport_number_is_recorded(client, submitted, officer, ayu):
    client.force_login(officer)
    url = reverse("applications:reveal_identity", kwargs={"public_id": submitted.public_id})
    assert client.get(url).status_code == 405  # a GET never reveals (nor writes)
    shown = client.post(url)
    assert shown.status_code == 200 and "A1234567" in shown.text
    (entry,) = SensitiveAccess.objects.all()
    assert entry.data_kind == "identity_number"
    assert (entry.object_type, entry.object_ref) == (
        "applications.application",
        str(submitted.public_id),
    )
    assert entry.subject_ref == str(ayu.public_id)


def test_revealing_without_the_required_reason_shows_nothing(client, submitted, head):
    client.force_login(head)
    url = reverse("applications:reveal_identity", kwargs={"public_id": submitted.public_id})
    refused = client.post(url, follow=True)
    assert "Tuliskan alasan Anda membuka data ini" in refused.text
    assert "A1234567" not in refused.text
    assert not SensitiveAccess.objects.exists()
    too_long = client.post(url, {"reason": "x" * 501}, follow=True)
    assert "paling banyak 500 karakter" in too_long.text and "A1234567" not in too_long.text
    assert not SensitiveAccess.objects.exists()


def test_another_mission_s_officer_opens_nothing(client, submitted, ottawa_officer):
    client.force_login(ottawa_officer)
    document = Document.objects.filter(application=submitted).first()
    assert client.post(_document_url(submitted, document)).status_code == 404
    url = reverse("applications:reveal_identity", kwargs={"public_id": submitted.public_id})
    assert client.post(url).status_code == 404
    assert not SensitiveAccess.objects.exists()
