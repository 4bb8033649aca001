import re

import pytest
from django.core import mail

from pandu.audit.models import AuditEvent
from pandu.people.models import AccountDeletionRequest, CitizenProfile, User


def signup_post(profile_data, **overrides):
    profile_data = dict(profile_data)
    dob = profile_data.pop("date_of_birth")
    data = {
        "date_of_birth_day": dob.day,
        "date_of_birth_month": dob.month,
        "date_of_birth_year": dob.year,
        "email": "ayu@example.org",
        "password1": "Kuat-sekali-2026",
        "password2": "Kuat-sekali-2026",
        "preferred_language": "id",
        "consent": "on",
        **{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in profile_data.items()},
    }
    data.update(overrides)
    return data


def test_signup_verify_and_sign_in(client, demo, profile_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/id/account/signup/", signup_post(profile_data))
    assert response.status_code == 302 and response.url == "/id/account/signup/done/"
    # Not verified yet: sign-in is refused with a clear reason.
    response = client.post(
        "/id/account/login/", {"username": "ayu@example.org", "password": "Kuat-sekali-2026"}
    )
    assert response.status_code == 200
    assert "belum dikonfirmasi" in response.content.decode()
    assert "_auth_user_id" not in client.session

    link = re.search(
        r"http://127\.0\.0\.1:8000(/id/account/verify/\S+/)", mail.outbox[0].body
    ).group(1)
    response = client.get(link)
    assert response.status_code == 302 and response.url == "/id/account/login/"
    response = client.post(
        "/id/account/login/",
        {"username": "AYU@example.org", "password": "Kuat-sekali-2026"},
        follow=True,
    )
    assert response.request["PATH_INFO"] == "/id/account/profile/"
    assert "Ayu Lestari" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"nik": "1234"}, "nik", "16 angka"),
        ({"postal_code": "H3A 0E5"}, "postal_code", "provinsi yang dipilih"),
        ({"password2": "lain"}, "password2", "tidak sama"),
        ({"consent": ""}, "consent", ""),
        ({"email": "bukan-surel"}, "email", ""),
        (
            {"date_of_birth_day": "31", "date_of_birth_month": "2"},
            "date_of_birth",
            "17 Agustus 1990",
        ),
        ({"date_of_birth_year": ""}, "date_of_birth", "tanggal, bulan dan tahun"),
        ({"date_of_birth_day": "x"}, "date_of_birth", "17 Agustus 1990"),
        ({"date_of_birth_year": "2999"}, "date_of_birth", "masa depan"),
        ({"province": "XX"}, "province", ""),
    ],
)
def test_signup_bad_input_shows_the_error_next_to_the_field(
    client, demo, profile_data, overrides, field, text
):
    users = User.objects.count()
    response = client.post("/id/account/signup/", signup_post(profile_data, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html
    assert f'aria-describedby="id_{field}-error' in html
    assert text in html
    assert User.objects.count() == users


def test_signup_errors_are_translated(client, demo, profile_data):
    response = client.post("/en/account/signup/", signup_post(profile_data, postal_code="12345"))
    assert "Canadian postal codes are written like M5V 3L9" in response.content.decode()


def test_bad_verification_link(client, demo):
    response = client.get("/id/account/verify/not-a-token/")
    assert response.status_code == 400
    assert "tidak sah" in response.content.decode()


def test_resend_does_not_reveal_whether_an_account_exists(
    client, demo, citizen, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=citizen.pk).update(email_verified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/id/account/verify/resend/", {"email": "ayu@example.org"}, follow=True)
        unknown = client.post("/id/account/verify/resend/", {"email": "x@example.org"}, follow=True)
    assert known.content.decode().count("Jika alamat itu terdaftar") == 1
    assert unknown.content.decode().count("Jika alamat itu terdaftar") == 1
    assert [m.to for m in mail.outbox] == [["ayu@example.org"]]


def test_profile_edit(client, citizen, profile_data):
    client.force_login(citizen)
    form = signup_post(
        profile_data, phone="+1 647 555 0123", city="Scarborough", postal_code="M1B 1A1"
    )
    response = client.post("/id/account/profile/edit/", form)
    assert response.status_code == 302
    profile = CitizenProfile.objects.get(user=citizen)
    assert (profile.phone, profile.city, profile.postal_code) == (
        "+1 647 555 0123",
        "Scarborough",
        "M1B 1A1",
    )


def test_profile_edit_bad_input_changes_nothing(client, citizen, profile_data):
    client.force_login(citizen)
    events = AuditEvent.objects.count()
    response = client.post(
        "/id/account/profile/edit/", signup_post(profile_data, phone="+1 647 555 0123", sex="M")
    )
    assert response.status_code == 200
    assert 'id="id_nik-error"' in response.content.decode()  # NIK says female
    assert CitizenProfile.objects.get(user=citizen).phone == "+1 416 555 0199"
    assert AuditEvent.objects.count() == events


def test_account_pages_need_sign_in(client, demo):
    for url in ["/id/account/profile/", "/id/account/profile/edit/", "/id/account/delete/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/id/account/login/" in response.url


def test_deletion_request_needs_confirmation(client, citizen):
    client.force_login(citizen)
    response = client.post("/id/account/delete/", {"reason": "x"})
    assert response.status_code == 200 and 'id="id_confirm-error"' in response.content.decode()
    assert not AccountDeletionRequest.objects.exists()
    response = client.post(
        "/id/account/delete/", {"reason": "Pulang", "confirm": "on"}, follow=True
    )
    assert AccountDeletionRequest.objects.filter(user=citizen, reason="Pulang").exists()
    assert "sedang diproses" in response.content.decode()


def test_sign_out_needs_post(client, citizen):
    client.force_login(citizen)
    assert client.get("/id/account/logout/").status_code == 405
    client.post("/id/account/logout/")
    assert "_auth_user_id" not in client.session


def test_repeated_wrong_passwords_lock_the_sign_in(client, citizen, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/id/account/login/", {"username": "ayu@example.org", "password": "salah"})
    response = client.post(
        "/id/account/login/", {"username": "ayu@example.org", "password": "Pandu-demo-2026"}
    )
    assert response.status_code == 429 or response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_password_reset_mail(client, citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/account/password-reset/", {"email": "ayu@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/en/account/password-reset/" in mail.outbox[0].body
