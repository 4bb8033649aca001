"""The supervisors' pages: compose with a template, preview the count, confirm, watch progress;
who may see and do what."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pandu.audit.models import AuditEvent
from pandu.broadcast.models import Broadcast, Delivery

from .factories import make_citizens
from .helpers import draft

pytestmark = pytest.mark.django_db

TEXTS = {
    "subject_id": "Peringatan banjir",
    "body_id": "Banjir di Toronto.",
    "subject_en": "Flood warning",
    "body_en": "Flooding in Toronto.",
}


def area(**changes):
    data = {
        "area": "radius",
        "lat": "43.6532",
        "lon": "-79.3832",
        "radius_km": "10",
        "groups": ["all"],
    }
    return {**data, **changes}


def test_the_supervisor_finds_crisis_messages_in_the_navigation(client, supervisor, officer):
    client.force_login(supervisor)
    page = client.get("/id/pesan-krisis/")
    assert page.status_code == 200 and 'href="/id/pesan-krisis/"' in page.content.decode()
    client.force_login(officer)
    home = client.get("/id/").content.decode()
    assert 'href="/id/pesan-krisis/"' not in home and 'href="/id/pesan-krisis/bantuan/"' in home


def test_a_template_prefills_both_languages(client, supervisor):
    client.force_login(supervisor)
    html = client.get("/id/pesan-krisis/baru/?crisis=wildfire").content.decode()
    assert "Peringatan kebakaran hutan" in html and "Wildfire warning" in html
    assert 'hx-get="/id/pesan-krisis/hitung/"' in html


def test_the_preview_counts_the_citizens_in_the_area_and_writes_nothing(
    client, supervisor, toronto
):
    make_citizens(toronto, 3, lat=43.66, lon=-79.39)
    make_citizens(toronto, 2, lat=43.66, lon=-79.39, purpose="study")
    make_citizens(toronto, 4, lat=45.0, lon=-75.0)  # far away
    client.force_login(supervisor)
    events = AuditEvent.objects.count()
    everyone = client.get("/id/pesan-krisis/hitung/", area(radius_km="5"))
    assert "5 WNI akan menerima" in everyone.content.decode()
    students = client.get("/id/pesan-krisis/hitung/", area(radius_km="5", groups=["students"]))
    assert "2 WNI akan menerima" in students.content.decode()
    assert AuditEvent.objects.count() == events and not Broadcast.objects.exists()


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"radius_km": "0"}, "Radius harus lebih dari 0"),
        ({"lat": "", "lon": ""}, "Pilih kota atau isi lintang"),
        ({"lat": "123"}, "Lintang harus antara"),
        ({"groups": []}, "Pilih sedikitnya satu kelompok"),
        ({"area": "provinces", "provinces": ["QC"]}, "QC"),
        ({"area": "provinces"}, "Pilih sedikitnya satu provinsi"),
        ({"radius_km": "banyak"}, "Radius (km)"),
    ],
)
def test_bad_areas_get_a_clear_message_and_nothing_is_written(client, supervisor, bad, message):
    client.force_login(supervisor)
    preview = client.get("/id/pesan-krisis/hitung/", area(**bad))
    assert preview.status_code == 200
    page = client.post("/id/pesan-krisis/baru/", {**area(**bad), **TEXTS, "crisis": "flood"})
    assert page.status_code == 200 and 'id="form-errors"' in page.content.decode()
    assert message in preview.content.decode()
    assert not Broadcast.objects.exists()


def test_missing_texts_are_refused(client, supervisor):
    client.force_login(supervisor)
    page = client.post("/id/pesan-krisis/baru/", {**area(), **TEXTS, "body_en": " "})
    assert 'id="form-errors"' in page.content.decode() and not Broadcast.objects.exists()


def test_compose_confirm_and_see_the_progress(
    client, supervisor, toronto, providers, django_capture_on_commit_callbacks
):
    make_citizens(toronto, 3, sms=True, lat=43.66, lon=-79.39)
    client.force_login(supervisor)
    made = client.post(
        "/id/pesan-krisis/baru/", {**area(radius_km="5"), **TEXTS, "crisis": "flood"}
    )
    broadcast = Broadcast.objects.get()
    assert made.status_code == 302 and made.url == f"/id/pesan-krisis/{broadcast.public_id}/"
    confirm = client.get(made.url).content.decode()
    assert "kepada 3 WNI" in confirm and "Kirim sekarang" in confirm
    assert not Delivery.objects.exists()  # nothing before the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        client.post(made.url)
    broadcast.refresh_from_db()
    assert broadcast.status == "done" and len(providers.of("twilio")) == 3
    progress = client.get(f"/id/pesan-krisis/{broadcast.public_id}/progres/").content.decode()
    assert 'data-testid="count-sent">3<' in progress
    assert "hx-trigger" not in progress  # done: the page stops asking


def test_the_poll_asks_again_while_sending(client, supervisor, toronto):
    make_citizens(toronto, 2, lat=43.66, lon=-79.39)
    broadcast = draft(toronto, supervisor, km=5)
    Broadcast.objects.filter(pk=broadcast.pk).update(status="sending")
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/id/pesan-krisis/{broadcast.public_id}/progres/").content.decode()
    assert 'hx-trigger="every 2s"' in html
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]
    assert writes == []  # the poll only reads


def test_who_may_do_what(client, supervisor, officer, other_supervisor, citizen, toronto):
    broadcast = draft(toronto, supervisor)
    detail = f"/id/pesan-krisis/{broadcast.public_id}/"
    client.force_login(officer)
    assert client.get("/id/pesan-krisis/baru/").status_code == 403
    assert client.get(detail).status_code == 403
    assert client.post(detail).status_code == 403
    assert client.get("/id/pesan-krisis/bantuan/").status_code == 200
    client.force_login(citizen)
    assert client.get("/id/pesan-krisis/").status_code == 403
    assert client.get("/id/pesan-krisis/bantuan/").status_code == 403
    client.force_login(other_supervisor)  # Ottawa's supervisor: Toronto's message is not theirs
    assert client.get(detail).status_code == 404
    assert client.post(detail).status_code == 404
    assert client.get(f"/id/pesan-krisis/{broadcast.pk}/").status_code == 404
    client.logout()
    assert client.get("/id/pesan-krisis/baru/").status_code == 302
    broadcast.refresh_from_db()
    assert broadcast.status == "draft"
