"""Applications in the API: the citizen's own (create, read, answer, upload, submit, status) and
the staff's (list, move).

Applications are addressed by their UUID. Anyone but the applicant and the staff of the
application's mission gets 404, as if it did not exist. Every move goes through
``application_transition``, so the API can do exactly what the pages can.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Literal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import BaseModel, ConfigDict, Field

from pandu.api.auth import AUTH
from pandu.api.schemas import Error, ValidationError
from pandu.applications import letters, selectors, services
from pandu.applications.models import Application, Document, Letter
from pandu.applications.workflow import Event, State
from pandu.audit.masking import mask_passport
from pandu.catalog.models import Requirement, Service
from pandu.core import clock
from pandu.core.errors import NotFound, PanduError, PermissionDenied
from pandu.issuance.services import verify_url
from pandu.issuance.signing import signing_available
from pandu.people.backends import missions_for

router = Router(tags=["applications"], auth=AUTH)

WRITE = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: ValidationError}


class DocumentOut(Schema):
    id: uuid.UUID
    requirement: int
    version: int
    content_type: str
    size: int
    uploaded_at: dt.datetime
    review: Literal["accepted", "returned"] | None = None
    review_reason: str = ""
    photo_problems: list[str] = []


class RequirementOut(Schema):
    id: int
    title: str
    uploadable: bool
    required_upload: bool
    max_bytes: int


class TransitionOut(Schema):
    event: str
    source: str
    target: str
    actor: Literal["citizen", "officer", "supervisor", "system"]
    note: str
    at: dt.datetime


class LetterOut(Schema):
    kind: Literal["received_letter", "certificate_letter"]
    issued_at: dt.datetime | None = Field(
        None, description="When it was issued; null for a received letter still being prepared."
    )
    verify_url: str | None = Field(None, description="The public verification page.")
    download: str = Field(description="API path of the signed PDF.")


class ApplicationOut(Schema):
    id: uuid.UUID
    reference: str
    mission: str
    service: str
    state: Literal[tuple(State.values)]  # type: ignore[valid-type]
    fee_id: int | None
    fee_due: Decimal
    amount_paid: Decimal
    currency: str
    surname: str
    given_names: str
    single_name: bool
    birth_date: dt.date | None
    birth_place: str
    sex: Literal["M", "F", "X", ""]
    old_passport_number: str
    old_passport_expiry: dt.date | None
    replacement_reason: Literal["lost", "damaged", ""]
    submitted_at: dt.datetime | None
    due_date: dt.date | None
    overdue: bool
    appointment: str | None = Field(None, description="Reference of the biometrics appointment.")
    requirements: list[RequirementOut]
    documents: list[DocumentOut]
    problems: dict[str, list[str]] = Field(
        description="What is still missing before submitting (empty when complete)."
    )
    letters: list[LetterOut] = Field(
        [], description="Signed letters: the received letter once submitted, the certificate."
    )


class StatusOut(Schema):
    state: Literal[tuple(State.values)]  # type: ignore[valid-type]
    due_date: dt.date | None
    overdue: bool
    history: list[TransitionOut]


class StaffRowOut(Schema):
    id: uuid.UUID
    reference: str
    mission: str
    service: str
    state: Literal[tuple(State.values)]  # type: ignore[valid-type]
    citizen: str
    submitted_at: dt.datetime | None
    due_date: dt.date | None
    overdue: bool


class CreateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    service: str = Field(min_length=1, max_length=60, description="The service's code.")


class AnswersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fee_id: int | None = None
    surname: str | None = Field(None, max_length=80)
    given_names: str | None = Field(None, max_length=80)
    single_name: bool | None = None
    birth_date: dt.date | None = None
    birth_place: str | None = Field(None, max_length=80)
    sex: Literal["M", "F", "X", ""] | None = None
    old_passport_number: str | None = Field(None, max_length=12)
    old_passport_expiry: dt.date | None = None
    replacement_reason: Literal["lost", "damaged", ""] | None = None


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    event: Literal[tuple(Event.values)]  # type: ignore[valid-type]
    note: str = Field("", max_length=2000)


class QueueQuery(Schema):
    state: Literal[tuple(State.values)] | None = None  # type: ignore[valid-type]
    service: str | None = Field(None, max_length=60)
    overdue: bool = False


def _citizen(request):
    citizen = getattr(request.user, "citizen", None)
    if citizen is None:
        raise NotFound(_("Akun ini tidak memiliki profil WNI."))
    return citizen


def _visible(request, application_id: uuid.UUID) -> Application:
    application = (
        Application.objects.select_related(
            "service", "mission", "citizen__user", "fee", "appointment"
        )
        .filter(public_id=application_id)
        .first()
    )
    if application is None:
        raise NotFound(_("Permohonan tidak ditemukan."))
    kinds = services.actor_kinds(application, request.user)
    staff = request.user.has_perm(services.VIEW_PERMISSION, application)
    if "citizen" not in kinds and not (staff and application.state != State.DRAFT):
        raise NotFound(_("Permohonan tidak ditemukan."))
    return application


def _out(application: Application) -> dict:
    reviews = selectors.current_reviews(application)
    current = selectors.current_documents(application)
    documents = []
    for document in current.values():
        review = reviews.get(document.requirement_id)
        documents.append(
            {
                "id": document.public_id,
                "requirement": document.requirement_id,
                "version": document.version,
                "content_type": document.content_type,
                "size": document.size,
                "uploaded_at": document.uploaded_at,
                "review": review.decision if review else None,
                "review_reason": review.reason if review else "",
                "photo_problems": list(document.photo_findings or []),
            }
        )
    requirements = [
        {
            "id": r.pk,
            "title": r.title,
            "uploadable": r.uploadable and r.kind == Requirement.Kind.DOCUMENT,
            "required_upload": services.upload_required(application, r),
            "max_bytes": services.upload_max_bytes(r),
        }
        for r in application.service.requirements.select_related("upload_rule")
    ]
    return {
        "id": application.public_id,
        "reference": application.reference,
        "mission": application.mission.slug,
        "service": application.service.code,
        "state": application.state,
        "fee_id": application.fee_id,
        "fee_due": services.fee_due(application),
        "amount_paid": services.amount_paid(application),
        "currency": application.mission.currency,
        **{
            f: getattr(application, f)
            for f in (
                "surname",
                "given_names",
                "single_name",
                "birth_date",
                "birth_place",
                "sex",
                "old_passport_number",
                "old_passport_expiry",
                "replacement_reason",
                "submitted_at",
                "due_date",
            )
        },
        "overdue": services.overdue(application, clock.today(application.mission)),
        "appointment": application.appointment.reference if application.appointment else None,
        "requirements": requirements,
        "documents": documents,
        "problems": services.application_problems(application)
        if application.state in ("draft", "returned")
        else {},
        "letters": _letters(application),
    }


def _letters(application: Application) -> list[dict]:
    return [
        {
            "kind": kind,
            "issued_at": letter.issued_at if letter else None,
            "verify_url": verify_url(letter.reference) if letter else None,
            "download": f"/api/v1/applications/{application.public_id}/letters/{kind}",
        }
        for kind, letter in letters.offered(application).items()
    ]


@router.post(
    "/applications",
    response={201: ApplicationOut, **WRITE},
    summary="Start an application (or get my draft for the service)",
)
def create(request, payload: CreateIn):
    citizen = _citizen(request)
    service = Service.objects.filter(
        mission=citizen.mission, code=payload.service, is_active=True
    ).first()
    if service is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    application = services.application_start(citizen=citizen, service=service, by=request.user)
    return Status(201, _out(application))


@router.get(
    "/applications",
    response={200: list[ApplicationOut], 401: Error, 404: Error},
    summary="My applications",
)
def mine(request):
    citizen = _citizen(request)
    found = (
        Application.objects.filter(citizen=citizen)
        .select_related("service", "mission", "fee", "appointment")
        .prefetch_related("letters")
    )
    return [_out(a) for a in found[:100]]


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, 401: Error, 404: Error, 422: ValidationError},
    summary="One application",
)
def read(request, application_id: uuid.UUID):
    application = _visible(request, application_id)
    out = _out(application)
    if "citizen" not in services.actor_kinds(application, request.user):
        # Staff see identity numbers in full only through the case page's recorded reveal
        # (docs/privacy.md "Access log"); a GET records nothing, so it shows them masked.
        out["old_passport_number"] = mask_passport(application.old_passport_number)
    return out


@router.patch(
    "/applications/{application_id}",
    response={200: ApplicationOut, **WRITE},
    summary="Change my answers (draft or returned)",
)
def update(request, application_id: uuid.UUID, payload: AnswersIn):
    application = _visible(request, application_id)
    answers = payload.model_dump(exclude_unset=True)
    if "fee_id" in answers:
        answers["fee"] = answers.pop("fee_id")
    application = services.application_update(
        application=application, by=request.user, answers=answers
    )
    return _out(application)


@router.post(
    "/applications/{application_id}/documents",
    response={201: DocumentOut, **WRITE},
    summary="Upload a requirement's document (a new version if one exists)",
    description="Multipart form: `requirement` (id) and `file` (PDF, JPEG or PNG).",
)
def upload(
    request,
    application_id: uuid.UUID,
    requirement: Form[int],
    file: File[UploadedFile],
):
    application = _visible(request, application_id)
    found = Requirement.objects.filter(pk=requirement, service=application.service).first()
    if found is None:
        raise NotFound(_("Persyaratan tidak ditemukan."))
    document: Document = services.document_upload(
        application=application, requirement=found, upload=file, by=request.user
    )
    return Status(
        201,
        {
            "id": document.public_id,
            "requirement": document.requirement_id,
            "version": document.version,
            "content_type": document.content_type,
            "size": document.size,
            "uploaded_at": document.uploaded_at,
            "photo_problems": list(document.photo_findings or []),
        },
    )


@router.post(
    "/applications/{application_id}/submit",
    response={200: ApplicationOut, **WRITE},
    summary="Submit (or resubmit a returned application)",
    description="409 `needs_complete` when something is missing (see `problems`).",
)
def submit(request, application_id: uuid.UUID):
    application = _visible(request, application_id)
    event = Event.RESUBMIT if application.state == State.RETURNED else Event.SUBMIT
    application = services.application_transition(
        application=application, event=event, by=request.user
    )
    return _out(application)


def _status(application: Application) -> dict:
    return {
        "state": application.state,
        "due_date": application.due_date,
        "overdue": services.overdue(application, clock.today(application.mission)),
        "history": list(application.transitions.order_by("at", "pk")),
    }


@router.get(
    "/applications/{application_id}/status",
    response={200: StatusOut, 401: Error, 404: Error, 422: ValidationError},
    summary="State, due date and history",
)
def status(request, application_id: uuid.UUID):
    application = _visible(request, application_id)
    return _status(application)


@router.post(
    "/applications/{application_id}/transitions",
    response={200: StatusOut, **WRITE},
    summary="Make a workflow move",
    description=(
        "The move must be in the workflow table from the current state, for the caller's kind "
        "(citizen, officer, supervisor). 403 when the caller may not make it; 409 "
        "`transition_refused` or `needs_<condition>` when the state or a condition says no."
    ),
)
def transition(request, application_id: uuid.UUID, payload: TransitionIn):
    application = _visible(request, application_id)
    application = services.application_transition(
        application=application, event=payload.event, by=request.user, note=payload.note
    )
    return _status(application)


@router.get(
    "/staff/applications",
    response={200: list[StaffRowOut], 401: Error, 403: Error, 422: ValidationError},
    summary="The work queue of my missions (staff)",
)
def staff_list(request, filters: Query[QueueQuery]):
    missions = missions_for(request.user, services.VIEW_PERMISSION)
    if not missions:
        raise PermissionDenied(_("Hanya untuk staf perwakilan."))
    found = selectors.staff_queue(
        missions=missions,
        service=filters.service or "",
        state=filters.state or "",
        overdue_on=timezone.localdate() if filters.overdue else None,
    )
    rows = []
    for application in found[:500]:
        today = clock.today(application.mission)
        rows.append(
            {
                "id": application.public_id,
                "reference": application.reference,
                "mission": application.mission.slug,
                "service": application.service.code,
                "state": application.state,
                "citizen": application.citizen.full_name,
                "submitted_at": application.submitted_at,
                "due_date": application.due_date,
                "overdue": services.overdue(application, today),
            }
        )
    return rows


@router.get(
    "/applications/{application_id}/letters/{kind}",
    response={400: Error, 401: Error, 404: Error, 422: ValidationError},
    summary="A signed letter of the application (PDF)",
    description="`received_letter` once submitted (issued in the background after submission: "
    "400 `letter_pending` until it is, `signing_unavailable` while the key is missing), "
    "`certificate_letter` once issued for a service that makes one.",
    openapi_extra={
        "responses": {
            200: {
                "description": "The signed PDF.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def letter(
    request,
    application_id: uuid.UUID,
    kind: Literal["received_letter", "certificate_letter"],
):
    application = _visible(request, application_id)
    if kind == Letter.Kind.RECEIVED:
        # 404 before submission; 400 while it is being prepared (this GET only reads).
        found = letters.received_letter(application=application, by=request.user)
        if found is None:
            raise PanduError(
                letters.received_letter_pending_reason(application),
                code="letter_pending"
                if signing_available(application.mission.slug)
                else "signing_unavailable",
            )
    else:
        found = application.letters.filter(kind=kind).first()
        if found is None:
            raise NotFound(_("Surat tidak ditemukan."))
    response = HttpResponse(
        letters.letter_read(letter=found, by=request.user), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{kind}-{application.reference}.pdf"'
    response["Cache-Control"] = "no-store, private"
    return response
