"""Application pages: who sees what (a permission matrix), and the citizen's and officer's
steps through the forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pandu.applications import services
from pandu.applications.models import Application, Document, Review
from pandu.applications.workflow import Event, State
from pandu.people.models import User

from .conftest import png_bytes, upload


def _client(client, email):
    client.logout()
    if email:
        client.force_login(User.objects.get(email=email))
    return client


PAGES = ["detail", "staff_detail", "document", "received_letter", "queue"]
# Who gets each page of Ayu's submitted application: 200, 404 (as if it did not exist), 403.
MATRIX = {
    "ayu@example.org": {
        "detail": 200,
        "staff_detail": 404,
        "document": 200,
        "received_letter": 200,
        "queue": 404,
    },
    "siti.rahayu@example.org": {
        "detail": 404,
        "staff_detail": 404,
        "document": 404,
        "received_letter": 404,
        "queue": 404,
    },
    "officer@toronto.pandu.test": {
        "detail": 404,
        "staff_detail": 200,
        "document": 302,  # to the case page: staff open files by a recorded POST
        "received_letter": 200,
        "queue": 200,
    },
    "supervisor@toronto.pandu.test": {
        "detail": 404,
        "staff_detail": 200,
        "document": 302,  # to the case page: staff open files by a recorded POST
        "received_letter": 200,
        "queue": 200,
    },
    "head@toronto.pandu.test": {
        "detail": 404,
        "staff_detail": 200,
        "document": 302,  # to the case page: staff open files by a recorded POST
        "received_letter": 200,
        "queue": 200,
    },
    "officer@ottawa.pandu.test": {
        "detail": 404,
        "staff_detail": 404,
        "document": 404,
        "received_letter": 404,
        "queue": 200,
    },
    "sysadmin@toronto.pandu.test": {
        "detail": 404,
        "staff_detail": 404,
        "document": 404,
        "received_letter": 404,
        "queue": 403,
    },
}


def _url(page, application):
    if page == "queue":
        return reverse("applications:queue")
    if page == "document":
        document = Document.objects.filter(application=application).first()
        return reverse(
            "applications:document",
            kwargs={"public_id": application.public_id, "document_id": document.public_id},
        )
    return reverse(f"applications:{page}", kwargs={"public_id": application.public_id})


@pytest.mark.parametrize("email", MATRIX)
def test_permission_matrix(client, submitted, email):
    _client(client, email)
    for page in PAGES:
        response = client.get(_url(page, submitted))
        expected = MATRIX[email][page]
        if page == "queue" and email == "ayu@example.org":
            expected = 403  # a citizen is signed in but holds no staff permission
        if page == "queue" and email == "siti.rahayu@example.org":
            expected = 403
        assert response.status_code == expected, (email, page)
        if page == "document" and expected == 200:
            assert response["Cache-Control"] == "no-store, private"
            assert response["X-Content-Type-Options"] == "nosniff"
    # An Ottawa officer's queue does not list Toronto's applications.
    if email == "officer@ottawa.pandu.test":
        assert submitted.reference not in client.get(_url("queue", submitted)).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, submitted):
    response = client.get(_url("detail", submitted))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_head_of_mission_sees_but_cannot_move_or_review(client, submitted, head):
    _client(client, "head@toronto.pandu.test")
    page = client.get(_url("staff_detail", submitted)).content.decode()
    assert "Terima dokumen" not in page and "Simpan penilaian" not in page
    requirement = Document.objects.filter(application=submitted).first().requirement
    client.post(
        reverse(
            "applications:review",
            kwargs={"public_id": submitted.public_id, "requirement_id": requirement.pk},
        ),
        {f"r{requirement.pk}-decision": "accepted"},
    )
    client.post(
        reverse("applications:transition", kwargs={"public_id": submitted.public_id}),
        {"event": "reject", "note": "x"},
    )
    assert not Review.objects.exists()
    assert Application.objects.get(pk=submitted.pk).state == State.SUBMITTED


def test_citizen_starts_fills_checks_and_submits_through_the_pages(client, citizen, renewal):
    _client(client, "ayu@example.org")
    start = reverse("applications:start", kwargs={"mission": "toronto", "code": renewal.code})
    assert "Mulai permohonan" in client.get(start).content.decode()
    response = client.post(start)
    application = Application.objects.get(citizen=citizen.citizen)
    assert response["Location"] == reverse(
        "applications:edit", kwargs={"public_id": application.public_id}
    )
    edit = reverse("applications:edit", kwargs={"public_id": application.public_id})
    page = client.get(edit).content.decode()
    assert "Data paspor" in page and "Dibawa ke loket" in page
    uploads = {
        f"req_{r.pk}": upload(f"{r.pk}.png", png_bytes())
        for r in renewal.requirements.filter(uploadable=True)
    }
    data = {
        "surname": "Lestari",
        "given_names": "Ayu",
        "birth_date_day": "17",
        "birth_date_month": "8",
        "birth_date_year": "1990",
        "birth_place": "Jakarta",
        "sex": "F",
        "old_passport_number": "a1234567",
        "old_passport_expiry_day": "31",
        "old_passport_expiry_month": "1",
        "old_passport_expiry_year": "2027",
        **uploads,
    }
    response = client.post(edit, data)
    check = reverse("applications:check", kwargs={"public_id": application.public_id})
    assert response.status_code == 302 and response["Location"] == check
    page = client.get(check).content.decode()
    assert "Belum lengkap" not in page and "A1234567" in page
    response = client.post(
        reverse("applications:transition", kwargs={"public_id": application.public_id}),
        {"event": "submit"},
    )
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    detail = client.get(response["Location"]).content.decode()
    assert "Diajukan" in detail and "Target selesai" in detail


def test_a_bad_answer_is_shown_next_to_its_field_and_nothing_changes(client, draft):
    _client(client, "ayu@example.org")
    edit = reverse("applications:edit", kwargs={"public_id": draft.public_id})
    response = client.post(
        edit, {"surname": "Lestari2", "old_passport_number": "123", "birth_place": "Solo"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "huruf Latin" in page or "huruf" in page
    assert "X1234567" in page
    draft.refresh_from_db()
    assert draft.birth_place == ""


def test_officer_returns_a_document_and_the_citizen_replaces_it(client, submitted, officer):
    requirement = Document.objects.filter(application=submitted).first().requirement
    _client(client, "officer@toronto.pandu.test")
    client.post(
        reverse(
            "applications:review",
            kwargs={"public_id": submitted.public_id, "requirement_id": requirement.pk},
        ),
        {f"r{requirement.pk}-decision": "returned", f"r{requirement.pk}-reason": "Buram"},
    )
    client.post(
        reverse("applications:transition", kwargs={"public_id": submitted.public_id}),
        {"event": "return"},
    )
    submitted.refresh_from_db()
    assert submitted.state == State.RETURNED

    _client(client, "ayu@example.org")
    detail = client.get(_url("detail", submitted)).content.decode()
    assert "Buram" in detail
    client.post(
        reverse(
            "applications:replace",
            kwargs={"public_id": submitted.public_id, "requirement_id": requirement.pk},
        ),
        {"file": upload("new.png", png_bytes((90, 60)))},
    )
    assert Document.objects.filter(application=submitted, requirement=requirement).count() == 2
    client.post(
        reverse("applications:transition", kwargs={"public_id": submitted.public_id}),
        {"event": "resubmit"},
    )
    submitted.refresh_from_db()
    assert submitted.state == State.RESUBMITTED


def test_payment_is_recorded_once_per_receipt_number_with_a_signed_receipt(
    client, submitted, officer
):
    _client(client, "officer@toronto.pandu.test")
    url = reverse("applications:payment", kwargs={"public_id": submitted.public_id})
    client.post(url, {"method": "cash", "amount": "65.00", "receipt_number": "KW-9"})
    response = client.post(
        url, {"method": "cash", "amount": "65.00", "receipt_number": "kw-9"}, follow=True
    )
    assert "sudah dipakai" in response.content.decode()
    assert submitted.payments.count() == 1
    payment = submitted.payments.get()
    assert payment.receipt_reference  # a signed receipt was issued and kept
    url = reverse(
        "applications:receipt",
        kwargs={"public_id": submitted.public_id, "payment_id": payment.public_id},
    )
    _client(client, "ayu@example.org")
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store, private"
    _client(client, "siti.rahayu@example.org")
    assert client.get(url).status_code == 404


def _accept_documents(application, officer):
    for document in services.selectors.current_documents(application).values():
        services.document_review(
            application=application,
            requirement=document.requirement,
            decision="accepted",
            reason="",
            by=officer,
        )
    services.application_transition(
        application=application, event=Event.ACCEPT_DOCUMENTS, by=officer
    )
    application.refresh_from_db()


def test_booking_the_biometrics_appointment_moves_the_application(
    submitted, officer, citizen, client, django_capture_on_commit_callbacks
):
    from pandu.core import events

    from .test_workflow import _appointment

    _accept_documents(submitted, officer)
    assert submitted.state == State.DOCUMENTS_ACCEPTED
    appointment = _appointment(submitted)
    # The booking's event, sent after its commit, moves the application: not a page read.
    _client(client, "ayu@example.org")
    client.get(reverse("applications:detail", kwargs={"public_id": submitted.public_id}))
    submitted.refresh_from_db()
    assert submitted.state == State.DOCUMENTS_ACCEPTED
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(events.appointment_booked, appointment=appointment, by=None, now=None)
    synced = Application.objects.get(pk=submitted.pk)
    assert synced.state == State.BIOMETRICS_SCHEDULED
    assert synced.appointment == appointment
    assert synced.transitions.last().actor == "system"


def test_a_booking_made_before_the_documents_are_accepted_is_the_biometrics_appointment(
    submitted, officer
):
    from .test_workflow import _appointment

    appointment = _appointment(submitted)
    _accept_documents(submitted, officer)
    assert submitted.state == State.BIOMETRICS_SCHEDULED
    assert submitted.appointment == appointment
    assert [t.event for t in submitted.transitions.order_by("pk")][-2:] == [
        Event.ACCEPT_DOCUMENTS,
        Event.SCHEDULE_BIOMETRICS,
    ]
