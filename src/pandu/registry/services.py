"""Lapor diri: every write to a citizen's stay registration.

- :func:`stay_register` opens the citizen's registration at the mission whose jurisdiction holds
  the address's province, confirmed at once;
- :func:`stay_update` changes it; an address in another mission's area is handed over only with
  the citizen's consent (:func:`stay_hand_over`: the old registration becomes *moved*, a new
  active one opens at the other mission), and without consent nothing changes;
- :func:`stay_renew` confirms it again for another year (the yearly reminder asks for this);
- :func:`stay_end` closes it (the citizen left the host country);
- :func:`stay_letter` returns the signed *surat keterangan lapor diri* (read only), which
  :func:`stay_letter_issue` issues through ``pandu.issuance`` (its QR code opens the public
  verification page) in a background task enqueued once a registration, change, hand-over or
  renewal committed, so registering never waits for a PDF to be drawn;
- :func:`stay_reminders_send_due` is the periodic job that mails the yearly reminder once.

Each write runs in one transaction with one audit event. The address is placed on the map with
the configured geocoder (``pandu.core.geocoding``); that point is used only to reach the citizen
(crisis messages, the nearest help): see ``docs/privacy.md``. Not here: who may see a
registration (``selectors``), and the pages.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from pandu.audit.services import audit_record
from pandu.core import clock
from pandu.core.crypto import decrypt, encrypt
from pandu.core.errors import NotFound, PanduError, PermissionDenied, ValidationFailed
from pandu.core.geocoding import geocoder, in_canada
from pandu.core.models import Mission
from pandu.issuance.models import IssuedDocument
from pandu.issuance.services import issue_after_commit, issue_document, issued_document_revoke
from pandu.issuance.signing import signing_available
from pandu.notify.services import email_send
from pandu.people import identity
from pandu.people.models import CitizenProfile
from pandu.people.services import mission_for_province
from pandu.people.validators import message
from pandu.registry import tasks
from pandu.registry.models import StayMember, StayRegistration
from pandu.registry.transitions import STAY, Event

logger = logging.getLogger(__name__)

#: A registration is confirmed again each year; the reminder goes out about a month before.
RENEW_AFTER = dt.timedelta(days=365)
REMIND_AFTER = dt.timedelta(days=335)
MAX_MEMBERS = 12
PROVINCES = {code for code, _label in CitizenProfile._meta.get_field("province").choices or ()}

#: The fields a form or the API may set (everything else is the service's).
FIELDS = (
    "address_line",
    "city",
    "province",
    "postal_code",
    "phone",
    "purpose",
    "arrived_on",
    "expected_until",
    "emergency_id_name",
    "emergency_id_phone",
    "emergency_id_relation",
    "emergency_local_name",
    "emergency_local_phone",
    "emergency_local_relation",
    "language",
    "registered_as",
    "carer_name",
    "carer_relation",
)
ADDRESS_FIELDS = ("address_line", "city", "province", "postal_code")


class HandoverNeeded(PanduError):
    """The new address is in another mission's area: the citizen must agree to the handover."""

    code = "handover_consent_needed"
    status = 409

    def __init__(self, mission: Mission):
        super().__init__(
            _(
                "Alamat baru Anda berada di wilayah kerja %(mission)s. Centang persetujuan agar "
                "data lapor diri Anda diserahkan ke perwakilan tersebut."
            )
            % {"mission": mission.name},
            field="handover_consent",
        )
        self.mission = mission


# --- checking ---------------------------------------------------------------------------------


def stay_check(
    fields: Mapping[str, Any], members: Sequence[Mapping[str, Any]], *, today: dt.date
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, list[str]]]:
    """Normalise a registration and its family members; return (clean, members, errors).

    Errors of a member are keyed ``members-<index>-<field>``. Nothing is written.
    """
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}

    def fail(field: str, text: str) -> None:
        errors.setdefault(field, []).append(text)

    def text(field: str, limit: int, *, required: bool) -> None:
        value = " ".join(str(fields.get(field) or "").split())
        if not value and required:
            fail(field, _("Bagian ini wajib diisi."))
        elif len(value) > limit:
            fail(field, _("Paling panjang %(limit)d huruf.") % {"limit": limit})
        else:
            clean[field] = value

    def phone(field: str, *, required: bool) -> None:
        raw = str(fields.get(field) or "").strip()
        if not raw:
            if required:
                fail(field, _("Bagian ini wajib diisi."))
            clean[field] = ""
            return
        try:
            clean[field] = identity.normalise_phone(raw)
        except identity.IdentityError as exc:
            fail(field, message(exc.code))

    text("address_line", 200, required=True)
    text("city", 100, required=True)
    province = fields.get("province")
    if province not in PROVINCES:
        fail("province", _("Pilih provinsi."))
    else:
        clean["province"] = province
    raw_postal = str(fields.get("postal_code") or "").strip()
    if not raw_postal:
        fail("postal_code", _("Bagian ini wajib diisi."))
    else:
        try:
            clean["postal_code"] = identity.normalise_postal_code(raw_postal)
        except identity.IdentityError as exc:
            fail("postal_code", message(exc.code))
        else:
            if "province" in clean and clean["province"] not in identity.postal_code_provinces(
                clean["postal_code"]
            ):
                fail("postal_code", message("postal_code_province"))
    phone("phone", required=False)
    if fields.get("purpose") not in StayRegistration.Purpose.values:
        fail("purpose", _("Pilih tujuan tinggal."))
    else:
        clean["purpose"] = fields["purpose"]
    arrived, until = fields.get("arrived_on"), fields.get("expected_until")
    for name, value in (("arrived_on", arrived), ("expected_until", until)):
        if value not in (None, "") and not isinstance(value, dt.date):
            fail(name, _("Isi tanggal yang benar."))
    arrived = arrived if isinstance(arrived, dt.date) else None
    until = until if isinstance(until, dt.date) else None
    if arrived and arrived > today:
        fail("arrived_on", _("Tanggal tiba tidak boleh di masa depan."))
    if until and until < today:
        fail("expected_until", _("Perkiraan tinggal sampai tidak boleh sudah lewat."))
    elif arrived and until and until < arrived:
        fail("expected_until", _("Perkiraan tinggal sampai harus sesudah tanggal tiba."))
    clean["arrived_on"], clean["expected_until"] = arrived, until
    text("emergency_id_name", 100, required=True)
    phone("emergency_id_phone", required=True)
    text("emergency_id_relation", 50, required=False)
    text("emergency_local_name", 100, required=False)
    phone("emergency_local_phone", required=bool(clean.get("emergency_local_name")))
    text("emergency_local_relation", 50, required=False)
    language = fields.get("language") or settings.LANGUAGE_CODE
    if language not in {code for code, _label in settings.LANGUAGES}:
        fail("language", _("Pilih bahasa Indonesia atau Inggris."))
    else:
        clean["language"] = language
    registered_as = fields.get("registered_as") or StayRegistration.RegisteredAs.SELF
    if registered_as not in StayRegistration.RegisteredAs.values:
        fail("registered_as", _("Pilih siapa yang mengisi."))
    else:
        clean["registered_as"] = registered_as
    if registered_as == StayRegistration.RegisteredAs.CARER:
        text("carer_name", 120, required=True)
        text("carer_relation", 80, required=True)
    else:
        clean["carer_name"] = clean["carer_relation"] = ""

    clean_members: list[dict[str, Any]] = []
    if len(members) > MAX_MEMBERS:
        fail("members", _("Paling banyak %(n)d anggota keluarga.") % {"n": MAX_MEMBERS})
        members = []
    for index, member in enumerate(members):
        prefix = f"members-{index}-"
        name = " ".join(str(member.get("full_name") or "").split())
        relation = member.get("relation")
        born = member.get("date_of_birth")
        if not name:
            fail(prefix + "full_name", _("Tulis nama lengkap anggota keluarga."))
        elif len(name) > 100:
            fail(prefix + "full_name", _("Paling panjang %(limit)d huruf.") % {"limit": 100})
        if relation not in StayMember.Relation.values:
            fail(prefix + "relation", _("Pilih hubungan keluarga."))
        if born not in (None, "") and (not isinstance(born, dt.date) or born > today):
            fail(prefix + "date_of_birth", _("Tanggal lahir tidak boleh di masa depan."))
        clean_members.append(
            {
                "full_name": name,
                "relation": relation,
                "date_of_birth": born or None,
                "is_citizen": bool(member.get("is_citizen", True)),
            }
        )
    return clean, clean_members, errors


def _mission_of(province: str) -> Mission:
    mission = mission_for_province(province)
    if mission is None:
        raise ValidationFailed(
            {"province": [_("Provinsi ini belum dilayani oleh perwakilan yang memakai Pandu.")]}
        )
    return mission


def _place(clean: Mapping[str, Any]) -> tuple[float | None, float | None, str]:
    point = geocoder().locate(
        postal_code=clean["postal_code"],
        address_line=clean["address_line"],
        city=clean["city"],
        province=clean["province"],
    )
    if point is None or not in_canada(point.lat, point.lon):
        return None, None, ""
    return point.lat, point.lon, point.source


def _checked(citizen: CitizenProfile, fields, members, now: dt.datetime):
    clean, clean_members, errors = stay_check(
        fields, members, today=clock.today(citizen.mission, now)
    )
    if errors:
        raise ValidationFailed(errors)
    return clean, clean_members


def _may_act(registration: StayRegistration, by) -> None:
    """The citizen's own account only: staff read registrations, they do not change them."""
    if getattr(by, "pk", None) is None or registration.citizen.user_id != by.pk:
        raise PermissionDenied(_("Hanya pemilik akun yang dapat mengubah lapor diri ini."))


def _members_create(registration: StayRegistration, members: Sequence[Mapping[str, Any]]) -> None:
    StayMember.objects.bulk_create(
        [StayMember(registration=registration, **member) for member in members]
    )


# --- writes -----------------------------------------------------------------------------------


def stay_register(
    *,
    citizen: CitizenProfile,
    by,
    fields: Mapping[str, Any],
    members: Sequence[Mapping[str, Any]] = (),
    now: dt.datetime | None = None,
) -> StayRegistration:
    """Register the citizen's stay, confirmed now; refused while they have an active one.

    ``by`` is the signed-in user: the citizen's own account (a carer using it says so with
    ``registered_as``). Raises :class:`ValidationFailed` for bad input and :class:`PanduError`
    (``already_registered``) for a second active registration; nothing is written then.
    """
    now = now or clock.now()
    if getattr(by, "pk", None) != citizen.user_id:
        raise PermissionDenied(_("Hanya pemilik akun yang dapat melapor diri."))
    clean, clean_members = _checked(citizen, fields, members, now)
    mission = _mission_of(clean["province"])
    lat, lon, source = _place(clean)
    with transaction.atomic():
        if StayRegistration.objects.filter(
            citizen=citizen, status=StayRegistration.Status.ACTIVE
        ).exists():
            raise PanduError(
                _("Anda sudah melapor diri. Ubah data lapor diri Anda yang ada."),
                code="already_registered",
            )
        registration = StayRegistration.objects.create(
            mission=mission,
            citizen=citizen,
            registered_by=by,
            lat=lat,
            lon=lon,
            location_source=source,
            confirmed_at=now,
            **clean,
        )
        _members_create(registration, clean_members)
        audit_record(
            event="stay_registered",
            actor=by,
            obj=registration,
            data={
                "purpose": registration.purpose,
                "province": registration.province,
                "members": len(clean_members),
                "registered_as": registration.registered_as,
                "placed": lat is not None,
            },
        )
        _mail(registration, "stay_registered")
        _letter_enqueue(registration)
    return registration


def stay_update(
    *,
    registration: StayRegistration,
    by,
    fields: Mapping[str, Any],
    members: Sequence[Mapping[str, Any]] = (),
    handover_consent: bool = False,
    now: dt.datetime | None = None,
) -> StayRegistration:
    """Change an active registration (address, purpose, contacts, family members).

    When the new address lies in another mission's jurisdiction, the registration is handed
    over there if ``handover_consent`` is given (see :func:`stay_hand_over`, which returns the
    new registration); without it :class:`HandoverNeeded` is raised and nothing changes.
    """
    now = now or clock.now()
    _may_act(registration, by)
    clean, clean_members = _checked(registration.citizen, fields, members, now)
    mission = _mission_of(clean["province"])
    if mission.pk != registration.mission_id:
        if not handover_consent:
            raise HandoverNeeded(mission)
        return stay_hand_over(
            registration=registration,
            by=by,
            fields=clean,
            members=clean_members,
            to=mission,
            now=now,
        )
    moved = any(clean[f] != getattr(registration, f) for f in ADDRESS_FIELDS)
    place = _place(clean) if moved else None
    with transaction.atomic():
        locked = _lock_active(registration, Event.UPDATE)
        changed = sorted(f for f in FIELDS if clean[f] != getattr(locked, f))
        for field in FIELDS:
            setattr(locked, field, clean[field])
        if place is not None:
            locked.lat, locked.lon, locked.location_source = place
        old_members = [
            (m.full_name, m.relation, m.date_of_birth, m.is_citizen) for m in locked.members.all()
        ]
        new_members = [
            (m["full_name"], m["relation"], m["date_of_birth"], m["is_citizen"])
            for m in clean_members
        ]
        if old_members != new_members:
            locked.members.all().delete()
            _members_create(locked, clean_members)
            changed.append("members")
        if changed:
            locked.registered_by = by
            _letter_withdraw(locked, by, reason=_("Data lapor diri diubah."))
            locked.save()
            # Field names only: the values are personal data and stay out of the log.
            audit_record(event="stay_updated", actor=by, obj=locked, data={"fields": changed})
            _letter_enqueue(locked)
    return locked


def stay_hand_over(
    *,
    registration: StayRegistration,
    by,
    fields: Mapping[str, Any],
    members: Sequence[Mapping[str, Any]],
    to: Mission,
    now: dt.datetime | None = None,
) -> StayRegistration:
    """With the citizen's consent, move their registration to mission ``to``: the old one
    becomes *moved*, a new active one (with the new address) opens there. ``fields`` and
    ``members`` are already checked (``stay_update`` calls this)."""
    now = now or clock.now()
    _may_act(registration, by)
    if to.pk == registration.mission_id:
        raise PanduError(
            _("Alamat ini masih di wilayah perwakilan yang sama."), code="same_mission"
        )
    if fields.get("province") not in (to.jurisdiction or []):
        raise PanduError(
            _("Alamat baru tidak berada di wilayah kerja perwakilan tujuan."),
            code="not_in_jurisdiction",
        )
    lat, lon, source = _place(fields)
    with transaction.atomic():
        old = _lock_active(registration, Event.HAND_OVER)
        # The old point is no longer needed to reach the citizen: it is not kept (docs/privacy.md).
        StayRegistration.objects.filter(pk=old.pk).update(
            status=STAY.move(old.status, Event.HAND_OVER),
            ended_at=now,
            updated_at=now,
            lat=None,
            lon=None,
            location_source="",
        )
        _letter_withdraw(old, by, reason=_("Lapor diri diserahkan ke perwakilan lain."))
        StayRegistration.objects.filter(pk=old.pk).update(
            letter_reference=None, letter_storage_name=""
        )
        new = StayRegistration.objects.create(
            mission=to,
            citizen=old.citizen,
            registered_by=by,
            previous=old,
            lat=lat,
            lon=lon,
            location_source=source,
            confirmed_at=now,
            **{f: fields[f] for f in FIELDS},
        )
        _members_create(new, list(members))
        audit_record(
            event="stay_handed_over",
            actor=by,
            obj=new,
            data={
                "from_mission": old.mission.slug,
                "to_mission": to.slug,
                "from": str(old.public_id),
                "consent": True,
            },
        )
        _mail(new, "stay_registered")
        _letter_enqueue(new)
    old.refresh_from_db()
    return new


def stay_renew(
    *, registration: StayRegistration, by, now: dt.datetime | None = None
) -> StayRegistration:
    """Confirm an active registration for another year; clears the reminder so it can come
    again next year. A fresh letter (valid a year from now) is drawn once this commits."""
    now = now or clock.now()
    _may_act(registration, by)
    with transaction.atomic():
        locked = _lock_active(registration, Event.RENEW)
        locked.renewed_at = now
        locked.reminder_sent_at = None
        locked.letter_reference = None
        locked.letter_storage_name = ""
        locked.save(
            update_fields=[
                "renewed_at",
                "reminder_sent_at",
                "letter_reference",
                "letter_storage_name",
                "updated_at",
            ]
        )
        audit_record(event="stay_renewed", actor=by, obj=locked)
        _letter_enqueue(locked)
    return locked


def stay_end(
    *, registration: StayRegistration, by, now: dt.datetime | None = None
) -> StayRegistration:
    """Close an active registration (the citizen left the area for good); its letter is
    revoked so the verification page no longer shows it as valid."""
    now = now or clock.now()
    _may_act(registration, by)
    with transaction.atomic():
        locked = _lock_active(registration, Event.END)
        _letter_withdraw(locked, by, reason=_("Lapor diri diakhiri."))
        locked.status = STAY.move(locked.status, Event.END)
        locked.ended_at = now
        locked.lat = locked.lon = None  # no longer needed to reach them (docs/privacy.md)
        locked.location_source = ""
        locked.save()
        audit_record(event="stay_ended", actor=by, obj=locked)
    return locked


def _lock_active(registration: StayRegistration, event: str) -> StayRegistration:
    """The registration's row, locked, if ``event`` may move it from its current status."""
    locked = (
        StayRegistration.objects.select_for_update(of=("self",))
        .select_related("mission", "citizen__user")
        .filter(pk=registration.pk, status__in=STAY.sources(event))
        .first()
    )
    if locked is None:
        raise PanduError(_("Lapor diri ini sudah tidak aktif."), code="not_active")
    return locked


# --- the letter -------------------------------------------------------------------------------


def renewal_due(registration: StayRegistration) -> dt.datetime | None:
    confirmed = registration.renewed_at or registration.confirmed_at
    return confirmed + RENEW_AFTER if confirmed else None


def _renewal_overdue(registration: StayRegistration) -> bool:
    due = renewal_due(registration)
    return due is not None and due <= clock.now()


def stay_letter(*, registration: StayRegistration, by) -> bytes | None:
    """The signed *surat keterangan lapor diri* of an active registration, or None while it is
    being prepared (this only reads: :func:`stay_letter_issue` issues it). For the citizen's own
    account; anyone else gets ``NotFound``; ``renewal_due`` once the yearly renewal is due."""
    if getattr(by, "pk", None) != registration.citizen.user_id:
        raise NotFound(_("Surat tidak ditemukan."))
    if registration.status != StayRegistration.Status.ACTIVE:
        raise NotFound(_("Surat tidak ditemukan."))
    if _renewal_overdue(registration):
        raise PanduError(
            _("Lapor diri Anda perlu diperbarui dulu sebelum suratnya dapat diunduh."),
            code="renewal_due",
        )
    if registration.letter_storage_name:
        return _letter_read(registration)
    return None


def _letter_enqueue(registration: StayRegistration) -> None:
    """Issue the registration's letter in the background once the caller's transaction
    commits."""
    pk = registration.pk
    issue_after_commit(lambda: tasks.stay_letter_issue.enqueue(registration_id=pk))


def stay_letters_issue_missing(now: dt.datetime | None = None, *, batch: int = 3) -> int:
    """Catch-up: issue the letters of a few active registrations that have none (the
    demo's, loaded with issuing deferred, or a task that failed for want of a key). Returns how
    many were issued; a few per round, so a round stays short."""
    now = now or clock.now()
    waiting = (
        StayRegistration.objects.filter(
            status=StayRegistration.Status.ACTIVE, letter_storage_name=""
        )
        .annotate(confirmed=Coalesce("renewed_at", "confirmed_at"))
        .filter(confirmed__gt=now - RENEW_AFTER)  # overdue: renewed first, then issued
        .order_by("-pk")  # the newest first
        .values_list("pk", flat=True)
    )
    return sum(stay_letter_issue(registration_id=pk) for pk in list(waiting[:batch]))


def stay_letter_issue(*, registration_id: int) -> bool:
    """Issue the letter of an active registration that has none (in the registration's
    language, valid until the yearly renewal is due); Pandu itself is the actor. False when
    nothing was issued: no such active registration, a letter already there, the renewal
    overdue, or the mission's key missing (logged; the page says so)."""

    with transaction.atomic():
        locked = (
            StayRegistration.objects.select_for_update(of=("self",))
            .select_related("mission", "citizen__user")
            .filter(pk=registration_id, status=StayRegistration.Status.ACTIVE)
            .first()
        )
        if locked is None or locked.letter_storage_name or _renewal_overdue(locked):
            return False
        due = renewal_due(locked)
        with translation.override(locked.language):
            purpose = StayRegistration.Purpose(locked.purpose).label
            facts = [
                (_("Nama"), locked.citizen.full_name),
                (_("Alamat"), f"{locked.address_line}, {locked.city} {locked.province}"),
                (_("Tujuan tinggal"), str(purpose)),
                (_("Dilaporkan pada"), _local_date(locked.confirmed_at, locked.mission)),
                (_("Anggota keluarga"), str(locked.members.count())),
            ]
            if locked.renewed_at:
                facts.append((_("Diperbarui pada"), _local_date(locked.renewed_at, locked.mission)))
            try:
                document, pdf = issue_document(
                    kind="stay_letter",
                    template="registry/letter.html",
                    context={
                        "registration": locked,
                        "purpose": purpose,
                        "members": locked.members.all(),
                    },
                    mission=locked.mission,
                    subject=f"{_('Lapor diri')}: {locked.citizen.full_name}",
                    facts=facts,
                    valid_until=clock.today(locked.mission, due) if due else None,
                    by=None,
                )
            except PanduError as exc:  # e.g. the mission's signing key is not installed
                logger.error("lapor diri letter %s not issued: %s", locked.public_id, exc)
                return False
        name = default_storage.save(
            f"letters/{secrets.token_hex(16)}.bin", ContentFile(encrypt(pdf))
        )
        StayRegistration.objects.filter(pk=locked.pk).update(
            letter_reference=document.public_id, letter_storage_name=name
        )
        audit_record(
            event="stay_letter_issued",
            actor=None,
            obj=locked,
            data={"document": str(document.public_id)},
        )
    return True


def stay_letter_pending_reason(registration: StayRegistration) -> str:
    """Why an active registration has no letter yet, for the page that says so."""

    if not signing_available(registration.mission.slug):
        return _(
            "Dokumen tidak dapat ditandatangani sekarang karena kunci penandatanganan "
            "perwakilan belum terpasang. Hubungi administrator sistem."
        )
    return _("Surat sedang disiapkan. Muat ulang halaman ini sebentar lagi.")


def _letter_read(registration: StayRegistration) -> bytes:
    with default_storage.open(registration.letter_storage_name, "rb") as handle:
        return decrypt(handle.read())


def _letter_withdraw(registration: StayRegistration, by, *, reason: str) -> None:
    """Revoke the registration's letter (its facts no longer hold) and forget it, so the next
    request draws a new one."""
    if registration.letter_reference is None:
        return

    document = IssuedDocument.objects.filter(
        public_id=registration.letter_reference, revoked=False
    ).first()
    if document is not None:
        issued_document_revoke(document=document, reason=reason, by=by)
    registration.letter_reference = None
    registration.letter_storage_name = ""


def _local_date(moment: dt.datetime | None, mission: Mission) -> str:
    return formats.date_format(timezone.localtime(moment, mission.zone), "j F Y")


# --- mail and the yearly reminder ---------------------------------------------------------------


def _mail(registration: StayRegistration, template: str) -> None:
    user = registration.citizen.user
    with translation.override(registration.language):
        link = settings.SITE_URL + reverse("registry:mine")
    email_send(
        to=user.email,
        template=template,
        context={
            "registration": registration,
            "name": registration.citizen.full_name,
            "mission": registration.mission,
            "link": link,
            "renewal_due": renewal_due(registration),
        },
        language=registration.language,
        mission=registration.mission,
    )


def stay_reminders_send_due(now: dt.datetime | None = None) -> int:
    """Mail each citizen whose active registration was confirmed or renewed ``REMIND_AFTER``
    ago (about 11 months), once: ``reminder_sent_at`` is set by a conditional update, so two
    rounds at once send one reminder; renewing clears it. Returns how many were sent."""
    now = now or clock.now()
    due = (
        StayRegistration.objects.filter(
            status=StayRegistration.Status.ACTIVE, reminder_sent_at__isnull=True
        )
        .annotate(last_confirmed=Coalesce("renewed_at", "confirmed_at"))
        .filter(last_confirmed__lte=now - REMIND_AFTER)
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = StayRegistration.objects.filter(
                Q(pk=pk),
                status=StayRegistration.Status.ACTIVE,
                reminder_sent_at__isnull=True,
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            registration = StayRegistration.objects.select_related("mission", "citizen__user").get(
                pk=pk
            )
            audit_record(event="stay_reminder_sent", obj=registration)
            _mail(registration, "stay_renewal_reminder")
            sent += 1
    return sent
