"""Every write on people: sign-up, e-mail verification, profile, deletion requests, staff, tokens.

Each function runs in one transaction and records one audit event. Rules that involve more than
one field (NIK against birth date and sex, postal code against province, province against the
mission's jurisdiction) live in ``citizen_profile_check`` so forms and the API give the same
answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pandu.audit.services import audit_record
from pandu.core.errors import NotFound, PanduError, ValidationFailed
from pandu.core.models import Mission
from pandu.core.prepared import Param, PreparedQuery
from pandu.notify.services import email_send, messages_forget
from pandu.people import identity
from pandu.people.models import (
    AccountDeletionRequest,
    CitizenProfile,
    PersonalAccessToken,
    StaffMembership,
    User,
)
from pandu.people.validators import message

PROFILE_FIELDS = (
    "full_name",
    "date_of_birth",
    "sex",
    "nik",
    "passport_number",
    "phone",
    "address_line",
    "city",
    "province",
    "postal_code",
)
VERIFY_SALT = "pandu.people.verify-email"


def mission_for_province(province: str) -> Mission | None:
    """The active mission whose jurisdiction includes ``province``."""
    for mission in Mission.objects.filter(is_active=True).order_by("pk"):
        if province in (mission.jurisdiction or []):
            return mission
    return None


def citizen_profile_check(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Normalise a citizen's profile and check every rule; return (clean data, errors by field).

    ``data`` holds the profile fields with Python values (dates as ``date``). Unknown keys are
    ignored. Nothing is written.
    """
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}

    def fail(field: str, text: str) -> None:
        errors.setdefault(field, []).append(text)

    def norm(field: str, func, required: bool = True) -> None:
        raw = data.get(field)
        if raw in (None, ""):
            if required:
                fail(field, _("Bagian ini wajib diisi."))
            else:
                clean[field] = ""
            return
        try:
            clean[field] = func(str(raw))
        except identity.IdentityError as exc:
            fail(field, message(exc.code))

    norm("full_name", identity.normalise_name)
    norm("phone", identity.normalise_phone)
    norm("passport_number", identity.normalise_passport_number, required=False)
    norm("postal_code", identity.normalise_postal_code)
    norm("nik", identity.normalise_nik, required=False)
    for field, limit in (("address_line", 200), ("city", 100)):
        value = " ".join(str(data.get(field) or "").split())
        if not value:
            fail(field, _("Bagian ini wajib diisi."))
        elif len(value) > limit:
            fail(field, _("Paling panjang %(limit)d huruf.") % {"limit": limit})
        else:
            clean[field] = value

    sex = data.get("sex")
    if sex not in CitizenProfile.Sex.values:
        fail("sex", _("Pilih jenis kelamin."))
    else:
        clean["sex"] = sex

    dob = data.get("date_of_birth")
    today = timezone.localdate()
    if not isinstance(dob, dt.date):
        fail("date_of_birth", _("Isi tanggal lahir yang benar."))
    elif dob > today:
        fail("date_of_birth", _("Tanggal lahir tidak boleh di masa depan."))
    elif dob.year < today.year - 130:
        fail("date_of_birth", _("Periksa kembali tahun lahir."))
    else:
        clean["date_of_birth"] = dob

    province = data.get("province")
    if province not in {
        code for code, _label in CitizenProfile._meta.get_field("province").choices or ()
    }:
        fail("province", _("Pilih provinsi."))
    else:
        clean["province"] = province
        postal = clean.get("postal_code")
        if postal and province not in identity.postal_code_provinces(postal):
            fail("postal_code", message("postal_code_province"))

    if clean.get("nik"):
        try:
            facts = identity.parse_nik(clean["nik"])
        except identity.IdentityError as exc:
            fail("nik", message(exc.code))
        else:
            for code in identity.nik_consistency(
                facts, date_of_birth=clean.get("date_of_birth"), sex=clean.get("sex")
            ):
                fail("nik", message(code))
    return clean, errors


def _mission_or_error(province: str | None, errors: dict[str, list[str]]) -> Mission | None:
    if not province or "province" in errors:
        return None
    mission = mission_for_province(province)
    if mission is None:
        errors.setdefault("province", []).append(
            _("Provinsi ini belum dilayani oleh perwakilan yang memakai Pandu.")
        )
    return mission


def _verification_link(user: User, language: str) -> str:
    token = signing.dumps({"u": str(user.public_id), "e": user.email}, salt=VERIFY_SALT)
    with translation.override(language):
        path = reverse("people:verify_email", kwargs={"token": token})
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def citizen_register(
    *,
    email: str,
    password: str,
    profile: dict[str, Any],
    language: str = "id",
    verified_by: User | str | None = None,
) -> User:
    """Create a citizen's account and profile and send the verification mail.

    Stops with ``ValidationFailed`` (field errors) when any field breaks a rule or the e-mail is
    taken; nothing is written then. ``verified_by`` (a staff user, or ``"demo"`` for demo data)
    marks the address as checked by someone trusted; no verification mail is sent then.
    """
    email = User.objects.normalize_email((email or "").strip()).lower()
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Isi alamat surel yang benar.")]
    if "email" not in errors and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [
            _("Alamat surel ini sudah terdaftar. Silakan masuk atau atur ulang kata sandi.")
        ]
    clean, profile_errors = citizen_profile_check(profile)
    errors.update(profile_errors)
    try:
        validate_password(password, User(email=email))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    mission = _mission_or_error(clean.get("province"), errors)
    if language not in {"id", "en"}:
        language = "id"
    if errors:
        raise ValidationFailed(errors)
    assert mission is not None  # else _mission_or_error or the profile check recorded an error
    try:
        with transaction.atomic():
            user = User.objects.create_user(email, password, preferred_language=language)
    except IntegrityError as exc:  # a parallel sign-up with the same address won the race
        raise ValidationFailed({"email": [_("Alamat surel ini sudah terdaftar.")]}) from exc
    citizen = CitizenProfile.objects.create(user=user, mission=mission, **clean)
    data = {"language": language, "province": clean["province"]}
    if verified_by is not None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        data["verified_by"] = getattr(verified_by, "email", str(verified_by))
    audit_record(event="citizen_registered", actor=user, obj=citizen, mission=mission, data=data)
    if verified_by is None:
        _send_verification(user, citizen)
    return user


def _send_verification(user: User, citizen: CitizenProfile) -> None:
    email_send(
        to=user.email,
        template="verify_email",
        language=user.preferred_language,
        context={
            "name": citizen.full_name,
            "mission": citizen.mission,  # shown in the mail's language
            "link": _verification_link(user, user.preferred_language),
            "days": settings.EMAIL_VERIFICATION_MAX_AGE // 86400,
        },
        mission=citizen.mission,
    )


@transaction.atomic
def email_verification_resend(*, user: User) -> None:
    if user.email_verified:
        return
    citizen = getattr(user, "citizen", None)
    if citizen is None:
        raise PanduError(_("Akun ini tidak memerlukan verifikasi."), code="not_a_citizen")
    audit_record(event="email_verification_resent", actor=user, obj=citizen)
    _send_verification(user, citizen)


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Mark the address in ``token`` as verified. Raises ``PanduError`` for a bad or old link."""
    try:
        payload = signing.loads(
            token, salt=VERIFY_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE
        )
    except signing.SignatureExpired as exc:
        raise PanduError(
            _("Tautan verifikasi sudah kedaluwarsa. Masuk untuk meminta tautan baru."),
            code="link_expired",
        ) from exc
    except signing.BadSignature as exc:
        raise PanduError(_("Tautan verifikasi tidak sah."), code="link_invalid") from exc
    user = (
        User.objects.select_for_update()
        .filter(public_id=payload.get("u"), email=payload.get("e"))
        .first()
    )
    if user is None:
        raise PanduError(_("Tautan verifikasi tidak sah."), code="link_invalid")
    if not user.email_verified:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        audit_record(event="email_verified", actor=user, obj=getattr(user, "citizen", None) or user)
    return user


@transaction.atomic
def citizen_profile_update(
    *, user: User, changes: dict[str, Any], language: str | None = None
) -> CitizenProfile:
    """Apply ``changes`` (any profile fields) to the user's profile, all or nothing."""
    citizen = CitizenProfile.objects.select_for_update().filter(user=user).first()
    if citizen is None:
        raise NotFound(_("Profil WNI tidak ditemukan."))
    current = {field: getattr(citizen, field) for field in PROFILE_FIELDS}
    merged = {**current, **{k: v for k, v in changes.items() if k in PROFILE_FIELDS}}
    clean, errors = citizen_profile_check(merged)
    mission = _mission_or_error(clean.get("province"), errors)
    if language is not None and language not in {"id", "en"}:
        errors["preferred_language"] = [_("Pilih bahasa Indonesia atau Inggris.")]
    if errors:
        raise ValidationFailed(errors)
    changed = sorted(f for f in PROFILE_FIELDS if clean[f] != current[f])
    for field in changed:
        setattr(citizen, field, clean[field])
    if mission is not None and mission.pk != citizen.mission_id:
        citizen.mission = mission
        changed.append("mission")
    if changed:
        citizen.save()
    if language is not None and language != user.preferred_language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        changed.append("preferred_language")
    if changed:
        # Field names only: the values are personal data and stay out of the log.
        audit_record(
            event="citizen_profile_updated", actor=user, obj=citizen, data={"fields": changed}
        )
    return citizen


@transaction.atomic
def account_deletion_request(*, user: User, reason: str = "") -> AccountDeletionRequest:
    reason = (reason or "").strip()
    if len(reason) > 1000:
        raise ValidationFailed({"reason": [_("Paling panjang %(limit)d huruf.") % {"limit": 1000}]})
    existing = AccountDeletionRequest.objects.filter(
        user=user, status=AccountDeletionRequest.Status.REQUESTED
    ).first()
    if existing is not None:
        return existing
    request = AccountDeletionRequest.objects.create(user=user, email=user.email, reason=reason)
    citizen = getattr(user, "citizen", None)
    audit_record(
        event="account_deletion_requested",
        actor=user,
        obj=request,
        mission=citizen.mission if citizen else None,
    )
    if citizen is not None:
        email_send(
            to=user.email,
            template="deletion_requested",
            language=user.preferred_language,
            context={"name": citizen.full_name, "mission": citizen.mission},
            mission=citizen.mission,
        )
    return request


# Blanked when a profile cannot be deleted because records the mission must keep (an issued
# passport's application, past appointments) still point at it. Sex and province stay: the
# performance figures count by them. The birth date keeps only its year (age groups).
ANONYMISED_PROFILE = {
    "full_name": "",
    "nik": "",
    "passport_number": "",
    "phone": "",
    "address_line": "",
    "city": "",
    "postal_code": "",
}


def citizen_profile_anonymise(*, citizen: CitizenProfile) -> None:
    """Blank the profile's names, contacts and identity numbers in place (no audit event: the
    caller records why)."""
    for field, value in ANONYMISED_PROFILE.items():
        setattr(citizen, field, value)
    citizen.date_of_birth = citizen.date_of_birth.replace(month=1, day=1)
    citizen.save(update_fields=[*ANONYMISED_PROFILE, "date_of_birth"])


@transaction.atomic
def account_anonymise(*, user: User) -> Mission | None:
    """Close an account for good: the profile is deleted (or, when records the mission keeps
    still point at it, anonymised), the user kept only as an inactive, anonymous row so that
    audit events still point somewhere, its messages and tokens gone. Returns the citizen's
    mission. No audit event: the caller records why."""
    mission = None
    citizen = CitizenProfile.objects.filter(user=user).first()
    if citizen is not None:
        mission = citizen.mission
        try:
            with transaction.atomic():
                citizen.delete()
        except (ProtectedError, RestrictedError):
            citizen_profile_anonymise(citizen=citizen)
    messages_forget(email=user.email)
    user.email = f"deleted-{user.public_id}@invalid"
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "is_active", "password"])
    user.tokens.update(revoked_at=timezone.now())
    return mission


@transaction.atomic
def account_deletion_complete(
    *, request: AccountDeletionRequest, by: User
) -> AccountDeletionRequest:
    """Close the account of an open deletion request (see ``account_anonymise``).

    Only the account: the citizen's other records are treated by their retention rules first
    (``pandu.privacy.services.deletion_confirm`` does both).
    """
    request = AccountDeletionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != AccountDeletionRequest.Status.REQUESTED:
        raise PanduError(_("Permintaan ini sudah diproses."), code="already_processed")
    mission = None
    if request.user is not None:
        mission = account_anonymise(user=request.user)
    request.status = AccountDeletionRequest.Status.COMPLETED
    request.email = ""
    request.reason = ""
    request.save(update_fields=["status", "email", "reason"])
    audit_record(event="account_deleted", actor=by, obj=request, mission=mission)
    return request


@transaction.atomic
def staff_membership_add(
    *, user: User, mission: Mission, role: Group, by: User | None = None
) -> StaffMembership:
    membership, created = StaffMembership.objects.get_or_create(
        user=user, mission=mission, role=role
    )
    if created:
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        audit_record(
            event="staff_membership_added",
            actor=by,
            obj=membership,
            mission=mission,
            data={"user": user.email, "role": role.name},
        )
    return membership


@dataclass(frozen=True)
class IssuedToken:
    token: str
    record: PersonalAccessToken


TOKEN_PREFIX = "pandu_"  # noqa: S105 (a public prefix, not a secret)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: User, name: str = "", by: User | None = None) -> IssuedToken:
    """Create a personal access token. The plain token is returned once and never stored."""
    if not user.is_active:
        raise PanduError(_("Akun ini tidak aktif."), code="inactive_user")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = PersonalAccessToken.objects.create(
        user=user, name=name[:100], prefix=token[:12], token_hash=token_hash(token)
    )
    audit_record(
        event="api_token_issued",
        actor=by,
        obj=record,
        data={"user": user.email, "prefix": record.prefix},
    )
    return IssuedToken(token=token, record=record)


# Every API request looks its token up: compiled once per thread (pandu.core.prepared). The
# citizen profile comes along (a left join): most callers are citizens' apps.
_TOKEN_LOOKUP = PreparedQuery(
    lambda token_hash: PersonalAccessToken.objects.select_related("user__citizen").filter(
        token_hash=token_hash, revoked_at__isnull=True, user__is_active=True
    )[:1],
    token_hash=Param("~token~", PersonalAccessToken._meta.get_field("token_hash")),
)


def token_authenticate(token: str) -> User | None:
    """The active user owning ``token``, or None. Records when the token was last used."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    found = _TOKEN_LOOKUP.run(token_hash=token_hash(token))
    if not found:
        return None
    record = found[0]
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > dt.timedelta(minutes=5):
        PersonalAccessToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user
