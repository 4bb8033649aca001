"""The access log of sensitive reads: the service's rules, the supervisors' page, the citizen's
export."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from pandu.audit.masking import mask_nik, mask_passport
from pandu.audit.models import SensitiveAccess
from pandu.audit.services import sensitive_access_record
from pandu.core.errors import PermissionDenied, ValidationFailed
from pandu.people.export import export_build
from pandu.people.models import CitizenProfile, User

URL = reverse("audit:access_log")


def _user(email):
    return User.objects.get(email=email)


def _record(actor, citizen, *, kind="identity_number", reason="", mission=None):
    return sensitive_access_record(
        actor=actor,
        mission=mission or citizen.mission,
        data_kind=kind,
        obj=citizen,
        subject=citizen,
        reason=reason,
    )


@pytest.fixture
def budi(demo):
    return CitizenProfile.objects.get(user__email="budi.santoso@example.org")


def test_masks_keep_only_the_ends():
    assert (
        mask_nik("3174010101900001") == "3174\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u20220001"
    )
    assert mask_passport("X1234567") == "X12\u2022\u2022\u2022\u20227"
    assert mask_passport("") == "" and mask_nik(None) == ""
    assert mask_nik("12345") == "\u2022" * 5  # too short to show both ends: nothing shown


def test_an_officer_needs_no_reason_for_identity_numbers_others_do(demo, budi):
    entry = _record(_user("officer@toronto.pandu.test"), budi)
    assert entry.reason == "" and entry.actor_roles == "Officer"
    with pytest.raises(ValidationFailed) as refused:
        _record(_user("head@toronto.pandu.test"), budi)
    assert "reason" in refused.value.errors
    entry = _record(_user("head@toronto.pandu.test"), budi, reason="  Audit   internal ")
    assert entry.reason == "Audit internal"
    assert SensitiveAccess.objects.count() == 2


def test_an_officer_of_another_mission_is_not_handling_this_one_s_cases(demo, budi):
    # Officer at Ottawa only: at Toronto they hold no role, so a reason is asked.
    with pytest.raises(ValidationFailed):
        _record(_user("officer@ottawa.pandu.test"), budi)
    assert not SensitiveAccess.objects.exists()


def test_citizens_are_never_recorded_as_staff(demo, budi):
    with pytest.raises(PermissionDenied):
        _record(budi.user, budi, reason="curious")
    assert not SensitiveAccess.objects.exists()


def test_supervisor_sees_the_log_with_filters_and_pages(client, demo, budi):
    officer = _user("officer@toronto.pandu.test")
    head = _user("head@toronto.pandu.test")
    _record(officer, budi)
    _record(head, budi, kind="document_scan", reason="Pengaduan warga")
    client.force_login(_user("supervisor@toronto.pandu.test"))
    home = client.get("/id/")
    assert URL in home.text  # in the staff navigation
    page = client.get(URL)
    assert page.status_code == 200
    assert "officer@toronto.pandu.test" in page.text and "Pengaduan warga" in page.text
    assert str(budi.public_id) in page.text
    only_scans = client.get(URL, {"data_kind": "document_scan"})
    assert (
        "Pengaduan warga" in only_scans.text
        and "officer@toronto" not in only_scans.text.split("<tbody>")[1]
    )
    by_staff = client.get(URL, {"staff": str(officer.pk)})
    assert "Pengaduan warga" not in by_staff.text
    by_citizen = client.get(URL, {"citizen": "00000000-0000-0000-0000-000000000000"})
    assert "Tidak ada akses yang tercatat" in by_citizen.text
    today = timezone.localdate(timezone.now(), budi.mission.zone)
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert "Tidak ada akses" in client.get(URL, {"date_from": tomorrow}).text
    assert "Pengaduan warga" in client.get(URL, {"date_to": today.isoformat()}).text
    backwards = client.get(URL, {"date_from": tomorrow, "date_to": today.isoformat()})
    assert backwards.status_code == 200 and "tidak boleh sebelum" in backwards.text
    for _ in range(60):
        _record(officer, budi)
    first = client.get(URL)
    assert "Halaman 1 dari 2" in first.text
    assert client.get(URL, {"page": "2"}).status_code == 200
    assert client.get(URL, {"page": "zzz", "staff": "999999"}).status_code == 200


def test_another_mission_s_entries_are_not_shown(client, demo, budi):
    ottawa = demo["ottawa"]
    _record(_user("officer@ottawa.pandu.test"), budi, mission=ottawa, reason="Ottawa looked")
    _record(_user("officer@toronto.pandu.test"), budi)
    client.force_login(_user("supervisor@toronto.pandu.test"))
    page = client.get(URL)
    assert "Ottawa looked" not in page.text and "officer@ottawa" not in page.text
    assert "1 akses" in page.text


@pytest.mark.parametrize(
    "email", ["officer@toronto.pandu.test", "budi.santoso@example.org", "kiosk@toronto.pandu.test"]
)
def test_officers_and_citizens_get_403(client, demo, email):
    user = User.objects.filter(email=email).first()
    if user is None:
        pytest.skip(f"no demo account {email}")
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert URL not in client.get("/id/").text


def test_anonymous_visitors_are_sent_to_sign_in(client, demo):
    response = client.get(URL)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_citizen_s_export_lists_accesses_to_their_data_by_role(demo, budi):
    _record(_user("officer@toronto.pandu.test"), budi)
    _record(
        _user("head@toronto.pandu.test"),
        budi,
        kind="document_scan",
        reason="Asked by head@toronto.pandu.test",
    )
    other = CitizenProfile.objects.exclude(pk=budi.pk).filter(mission=budi.mission).first()
    _record(_user("officer@toronto.pandu.test"), other)
    built = export_build(user=budi.user)
    with zipfile.ZipFile(io.BytesIO(built.content)) as archive:
        rows = json.loads(archive.read("sensitive_access.json"))
        manifest = json.loads(archive.read("manifest.json"))
    assert [(r["staff"], r["data_kind"]) for r in rows] == [
        ("Officer", "identity_number"),
        ("Head of mission", "document_scan"),
    ]
    assert rows[1]["reason"] == "Asked by [redacted]"
    text = json.dumps(rows)
    assert "@toronto.pandu.test" not in text and str(other.public_id) not in text
    assert manifest["counts"]["sensitive_access"] == 2
