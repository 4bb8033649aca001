"""The officer checks an old passport's MRZ, typed in, against its check digits and the
application; only the verdicts are logged."""

import datetime as dt

import pytest
from django.urls import reverse

from pandu.applications.models import Application
from pandu.audit.models import AuditEvent

# The ICAO 9303 part 4 specimen (TD3).
LINE1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
LINE2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


@pytest.fixture
def case(submitted):
    Application.objects.filter(pk=submitted.pk).update(
        old_passport_number="L898902C3",
        birth_date=dt.date(1974, 8, 12),
        old_passport_expiry=dt.date(2012, 4, 15),
    )
    return Application.objects.get(pk=submitted.pk)


def url(application):
    return reverse("applications:old_passport_mrz", kwargs={"public_id": application.public_id})


def test_a_valid_mrz_that_matches_the_application(client, case, officer):
    client.force_login(officer)
    page = client.post(url(case), {"line1": LINE1, "line2": LINE2.lower()})
    assert page.status_code == 200
    assert "MRZ sah dan sesuai dengan permohonan." in page.text
    event = AuditEvent.objects.get(event="old_passport_mrz_checked")
    assert event.data == {"check_digits_valid": True, "agrees": True}
    assert "L898902C3" not in str(event.data)


def test_a_typo_breaks_a_check_digit_and_another_passport_does_not_match(client, case, officer):
    client.force_login(officer)
    typo = LINE2.replace("L898902C3", "L898902C4")
    page = client.post(url(case), {"line1": LINE1, "line2": typo})
    assert "MRZ tidak sah atau tidak sesuai" in page.text and "salah" in page.text
    Application.objects.filter(pk=case.pk).update(old_passport_number="B1234567")
    page = client.post(url(case), {"line1": LINE1, "line2": LINE2})
    assert "Nomor paspor lama sama dengan isian pemohon: <strong>tidak</strong>" in page.text


def test_bad_input_is_explained_and_others_cannot_check(client, case, officer, citizen):
    client.force_login(officer)
    page = client.post(url(case), {"line1": LINE1[:30], "line2": LINE2})
    assert page.status_code == 400 and 'id="form-errors"' in page.text
    assert not AuditEvent.objects.filter(event="old_passport_mrz_checked").exists()
    client.force_login(citizen)
    assert client.post(url(case), {"line1": LINE1, "line2": LINE2}).status_code == 404
