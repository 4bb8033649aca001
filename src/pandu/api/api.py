"""The REST API under ``/api/v1/``; schema at ``/api/v1/openapi.json``.

Every error is JSON ``{"code": ..., "message": ...}``; each endpoint documents every status it
can answer with.
"""

from __future__ import annotations

import logging

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from pandu.api import schemas
from pandu.api.applications import router as applications_router
from pandu.api.appointments import router as appointments_router
from pandu.api.auth import AUTH
from pandu.catalog.selectors import service_get, service_list
from pandu.core.crypto import DecryptionFailed, KeysMissing
from pandu.core.errors import NotFound, PanduError, ValidationFailed
from pandu.core.models import Mission
from pandu.people.services import PROFILE_FIELDS, citizen_profile_update

logger = logging.getLogger(__name__)


def _nul_paths(value, path: str = "") -> list[str]:
    """Where a NUL character hides in parsed JSON (keys and strings, at any depth)."""
    if isinstance(value, str):
        return [path or "request"] if "\x00" in value else []
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            found += [where] if "\x00" in str(key) else _nul_paths(item, where)
        return found
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _nul_paths(item, f"{path}.{i}")]
    return []


def _refuse_nul(data) -> None:
    paths = _nul_paths(data)
    if paths:
        message = _("Teks tidak boleh memuat karakter NUL (\\u0000).")
        raise ValidationFailed({path: [message] for path in paths})


class PanduParser(Parser):
    """JSON bodies and query strings, refusing a NUL character anywhere in them.

    No text Pandu keeps may hold one, and PostgreSQL refuses it in a text column: caught here,
    once, it is a 422 naming the field, never a server error in whichever endpoint stores it.
    """

    def parse_body(self, request):
        data = super().parse_body(request)
        _refuse_nul(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        _refuse_nul(result)
        return result


api = NinjaAPI(
    title="Pandu API",
    parser=PanduParser(),
    version="1",
    description="Pelayanan Kekonsuleran Terpadu: the consular service catalogue and citizens' own data.",
    urls_namespace="api",
)

PUBLIC_ERRORS = {404: schemas.Error}
AUTH_ERRORS = {401: schemas.Error, 403: schemas.Error, 404: schemas.Error}


def _error(request, status: int, code: str, message: str, **extra):
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(PanduError)
def on_pandu_error(request, exc: PanduError):
    extra = {"errors": exc.errors} if isinstance(exc, ValidationFailed) else {}
    return _error(request, exc.status, exc.code, exc.message, **extra)


@api.exception_handler(DecryptionFailed)
@api.exception_handler(KeysMissing)
def on_key_error(request, exc):
    # The keys are wrong or missing: the operator's to fix (logged with the setting to change),
    # not the caller's; the same request works again once the keys are right.
    logger.error("Encrypted data unavailable: %s", exc, exc_info=exc)
    return _error(
        request,
        503,
        "unavailable",
        _(
            "Layanan sedang tidak tersedia untuk sementara. Data Anda aman; silakan coba lagi nanti."
        ),
    )


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(p) for p in item.get("loc", []) if p not in ("body", "payload", "query", "path")]
        errors.setdefault(".".join(loc) or "request", []).append(str(item.get("msg", "")))
    return _error(request, 422, "invalid", _("Permintaan tidak valid."), errors=errors)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(
        request, 401, "unauthenticated", _("Masuk terlebih dahulu atau kirim token yang sah.")
    )


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", _("Tidak ditemukan."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, ValidationFailed):  # the parser refused the body's content
        return on_pandu_error(request, exc.__cause__)
    known = {
        400: ("malformed", _("Isi permintaan tidak dapat dibaca; kirim objek JSON yang sah.")),
        403: ("forbidden", _("Akses ditolak.")),
    }
    code, message = known.get(exc.status_code, ("error", str(exc)))
    return _error(request, exc.status_code, code, message)


catalog = Router(tags=["catalogue"])


def _fees(service, currency):
    return [
        {
            "id": f.pk,
            "case_id": f.case_id,
            "case_en": f.case_en,
            "amount": f.amount,
            "currency": currency,
        }
        for f in service.fees.all()
    ]


def _service_summary(service, currency):
    return {
        **{f: getattr(service, f) for f in schemas.ServiceSummaryOut.model_fields if f != "fees"},
        "fees": _fees(service, currency),
    }


@catalog.get("/missions", response={200: list[schemas.MissionOut]}, summary="List missions")
def missions(request):
    return list(Mission.objects.filter(is_active=True).order_by("pk"))


@catalog.get(
    "/missions/{slug}/services",
    response={200: list[schemas.ServiceSummaryOut], **PUBLIC_ERRORS},
    summary="List a mission's services",
)
def services(request, slug: str):
    mission = get_object_or_404(Mission, slug=slug, is_active=True)
    return [_service_summary(s, mission.currency) for s in service_list(mission=mission)]


@catalog.get(
    "/missions/{slug}/services/{code}",
    response={200: schemas.ServiceOut, **PUBLIC_ERRORS},
    summary="One service with its requirements and fees",
)
def service(request, slug: str, code: str):
    mission = get_object_or_404(Mission, slug=slug, is_active=True)
    found = service_get(mission=mission, code=code)
    if found is None:
        raise Http404
    return {
        **_service_summary(found, mission.currency),
        "description_id": found.description_id,
        "description_en": found.description_en,
        "requirements": list(found.requirements.all()),
    }


me = Router(tags=["citizen"], auth=AUTH)


def _profile(user):
    citizen = getattr(user, "citizen", None)
    if citizen is None:
        raise NotFound(_("Akun ini tidak memiliki profil WNI."))
    return {
        "id": str(citizen.public_id),
        "email": user.email,
        "email_verified": user.email_verified,
        "mission": citizen.mission.slug,
        "preferred_language": user.preferred_language,
        **{f: getattr(citizen, f) for f in PROFILE_FIELDS},
    }


@me.get("/me/profile", response={200: schemas.ProfileOut, **AUTH_ERRORS}, summary="My profile")
def profile(request):
    return _profile(request.user)


@me.patch(
    "/me/profile",
    response={
        200: schemas.ProfileOut,
        400: schemas.Error,
        422: schemas.ValidationError,
        **AUTH_ERRORS,
    },
    summary="Change my profile",
)
def profile_update(request, payload: schemas.ProfileUpdate):
    changes = payload.model_dump(exclude_unset=True)
    language = changes.pop("preferred_language", None)
    changes = {
        k: ("" if v is None and k in {"nik", "passport_number"} else v) for k, v in changes.items()
    }
    citizen_profile_update(user=request.user, changes=changes, language=language)
    request.user.refresh_from_db()
    return _profile(request.user)


api.add_router("", catalog)
api.add_router("", me)
api.add_router("", appointments_router)
api.add_router("", applications_router)
