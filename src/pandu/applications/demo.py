"""Demo applications at KJRI Toronto, in several states, made through the services as people would.

- Siti Rahayu: a passport renewal submitted three weeks ago (overdue in the officers' queue);
- Budi Santoso: a renewal returned for a blurred scan of his residence permit;
- Soekarno (one name only): a renewal with documents accepted, paid, waiting for biometrics;
- Siti Rahayu: a legalisation sent for issuance after payment;
- Budi Santoso: a birth report still in draft.

Idempotent like the rest of the demo: an application is created only when the citizen has none
for that service. The scans are generated pictures, not real documents.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from pandu.applications import services
from pandu.applications.models import Application
from pandu.applications.workflow import Event
from pandu.catalog.models import Service
from pandu.people.models import User

OFFICER = "officer@toronto.pandu.test"


def _scan(label: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (850, 550), (245, 243, 236))
    ImageDraw.Draw(image).text((40, 40), f"DEMO - {label}", fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile("scan.png", out.getvalue(), "image/png")


def _apply(email: str, code: str, answers: dict, *, submitted_at=None) -> Application | None:
    user = User.objects.get(email=email)
    citizen = user.citizen
    service = Service.objects.filter(mission=citizen.mission, code=code).first()
    if service is None or Application.objects.filter(citizen=citizen, service=service).exists():
        return None
    application = services.application_start(citizen=citizen, service=service, by=user)
    uploads = {
        r: _scan(r.title_en)
        for r in service.requirements.filter(uploadable=True, kind="document", optional=False)
    }
    fees = list(service.fees.all())
    if len(fees) > 1:
        answers = {"fee": fees[0].pk, **answers}
    services.application_save(application=application, by=user, answers=answers, uploads=uploads)
    if submitted_at is not False:
        application = services.application_transition(
            application=application, event=Event.SUBMIT, by=user, now=submitted_at
        )
    return application


def _review_all(application: Application, officer, *, returned: str = "") -> None:
    for document in services.selectors.current_documents(application).values():
        give_back = returned and document.requirement.title_id == returned
        services.document_review(
            application=application,
            requirement=document.requirement,
            decision="returned" if give_back else "accepted",
            reason="Pindaian buram; foto ulang dengan cahaya cukup." if give_back else "",
            by=officer,
        )


def load_applications_demo(*, today: dt.date | None = None) -> dict[str, int]:
    created = {"applications": 0}
    if not User.objects.filter(email=OFFICER).exists():
        return created
    officer = User.objects.get(email=OFFICER)
    now = timezone.now()
    renewal = {
        "birth_place": "Jakarta",
        "old_passport_expiry": (today or now.date()) + dt.timedelta(days=120),
    }

    if _apply(
        "siti.rahayu@example.org",
        "paspor-ganti",
        {**renewal, "old_passport_number": "B7654321"},
        submitted_at=now - dt.timedelta(days=21),
    ):
        created["applications"] += 1

    budi = _apply(
        "budi.santoso@example.org",
        "paspor-ganti",
        {**renewal, "birth_place": "Surabaya", "old_passport_number": "C2345678"},
    )
    if budi:
        _review_all(budi, officer, returned="Bukti izin tinggal di Kanada")
        services.application_transition(application=budi, event=Event.RETURN, by=officer)
        created["applications"] += 1

    soekarno = _apply(
        "soekarno@example.org",
        "paspor-ganti",
        {**renewal, "birth_place": "Surabaya", "old_passport_number": "A0012345"},
    )
    if soekarno:
        _review_all(soekarno, officer)
        services.application_transition(
            application=soekarno, event=Event.ACCEPT_DOCUMENTS, by=officer
        )
        services.payment_record(
            application=soekarno,
            method="debit",
            amount=services.fee_due(soekarno),
            receipt_number="TOR-DEMO-0001",
            by=officer,
        )
        created["applications"] += 1

    legal = _apply("siti.rahayu@example.org", "legalisasi", {})
    if legal:
        _review_all(legal, officer)
        services.application_transition(application=legal, event=Event.ACCEPT_DOCUMENTS, by=officer)
        if services.fee_due(legal) > Decimal("0"):
            services.payment_record(
                application=legal,
                method="cash",
                amount=services.fee_due(legal),
                receipt_number="TOR-DEMO-0002",
                by=officer,
            )
        services.application_transition(
            application=legal, event=Event.SEND_FOR_ISSUANCE, by=officer
        )
        created["applications"] += 1

    if _apply("budi.santoso@example.org", "lapor-kelahiran", {}, submitted_at=False):
        created["applications"] += 1
    return created
