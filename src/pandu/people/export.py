"""A citizen's copy of everything Pandu holds about them: one ZIP with a JSON manifest.

``citizen_data_export(user=...)`` builds the ZIP, records the ``personal_data_exported`` audit
event (counts per section, nothing personal) and mails the citizen that an export was made.
``export_build`` only reads, for callers that must not write.

The ZIP holds:

- ``manifest.json``: format version, when it was made (UTC), the mission, and every other file
  with its SHA-256, size and what it holds;
- ``profile.json``: the account and the citizen profile (built here);
- one JSON file per section contributed by another app (appointments, applications, Pertiwi,
  the waiting room, surveys), and the files those sections carry (uploaded documents as the
  owner downloads them, signed letters and receipts, Pertiwi evidence);
- ``audit_events.json``: the audit events the citizen acted in or that are about one of their
  objects (built here from what the sections name).

**Why a registry.** ``people`` sits low in the layers (``core`` < ``people`` < ``catalog`` <
appointments, applications, ...), yet most of a citizen's data lives in the apps above it. Rather
than import them, it reads a small registry (``pandu.core.exports``, at the bottom so that
``audit``, below ``people``, can contribute too): each app that holds data about a citizen
registers a contributor in its ``AppConfig.ready()``::

    from pandu.people import export
    export.register("appointments", contribute, description=_("..."))

A contributor takes ``user`` and ``citizen`` (keyword arguments), only reads, and returns a
``Section``: its JSON records, the files it carries, and the ``(object_type, object_ref)`` pairs
of its objects so that the audit section can find the events about them. An app that is not
installed simply contributes nothing.

What the export deliberately leaves out: internal ids (only public references appear), other
people's personal data (staff appear as their role, e.g. "Officer", never by e-mail), secrets
(password hashes, token hashes) and data about other citizens even when the citizen acted on it
(such audit events keep only their name, time and kind of object).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pandu.audit.models import AuditEvent
from pandu.audit.services import audit_record, object_key
from pandu.core.errors import PermissionDenied
from pandu.core.exports import REGISTRY, ExportFile, Section, register, registered, scrub
from pandu.notify.models import ContactPreference, OutboundMessage
from pandu.notify.services import email_send
from pandu.people.models import (
    AccountDeletionRequest,
    CitizenProfile,
    PersonalAccessToken,
    StaffMembership,
    User,
)

FORMAT_VERSION = 1

# Contributors reach the registry through this module as well (``export.register``, ``Section``).
__all__ = ["ExportFile", "Section", "register", "registered", "scrub"]


def contents() -> list[tuple[str, str]]:
    """``(file, what it holds)`` of every JSON file, in the active language, for the page."""
    return [
        ("profile.json", _("Akun dan profil WNI Anda.")),
        *((f"{item.name}.json", str(item.description)) for item in REGISTRY.values()),
        ("audit_events.json", _audit_description()),
    ]


def _audit_description() -> str:
    return _("Catatan audit tentang Anda atau tindakan Anda; petugas ditulis menurut perannya.")


# --- helpers for contributors ----------------------------------------------------------------


def obj(instance: models.Model) -> tuple[str, str]:
    """The pair an audit event uses to name ``instance``."""
    return object_key(instance)


def actor_role(actor, *, user: User) -> str:
    """Who did something, as the citizen may be told: themselves, Pandu, or staff by kind."""
    if actor is None:
        return "system"
    if actor.pk == user.pk:
        return "you"
    return "staff" if actor.is_staff else "another_account"


def extension(content_type: str) -> str:
    return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        content_type, "bin"
    )


def service_label(service) -> dict[str, str] | None:
    if service is None:
        return None
    return {"code": service.code, "name": service.tr("name")}


# --- the citizen's own account ---------------------------------------------------------------


def _profile(user: User, citizen: CitizenProfile) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    objects = [obj(user), obj(citizen)]
    deletion_requests = []
    for request in AccountDeletionRequest.objects.filter(user=user).order_by("requested_at"):
        objects.append(obj(request))
        deletion_requests.append(
            {
                "public_id": request.public_id,
                "status": request.status,
                "status_label": request.get_status_display(),
                "reason": request.reason,
                "requested_at": request.requested_at,
            }
        )
    tokens = []
    for token in PersonalAccessToken.objects.filter(user=user).order_by("created_at"):
        objects.append(obj(token))
        # The prefix is shown when issued and identifies the token; the hash stays out.
        tokens.append(
            {
                "public_id": token.public_id,
                "name": token.name,
                "prefix": token.prefix,
                "created_at": token.created_at,
                "last_used_at": token.last_used_at,
                "revoked_at": token.revoked_at,
            }
        )
    preference = ContactPreference.objects.filter(user=user).first()
    contact = None
    if preference is not None:
        objects.append(obj(preference))
        contact = {
            "channel": preference.channel,
            "phone": preference.phone,
            "sms_consent_at": preference.sms_consent_at,
            "sms_consent_source": preference.sms_consent_source,
            "sms_opted_out_at": preference.sms_opted_out_at,
            "whatsapp_consent_at": preference.whatsapp_consent_at,
            "whatsapp_consent_source": preference.whatsapp_consent_source,
            "whatsapp_opted_out_at": preference.whatsapp_opted_out_at,
            # When they last wrote to us on WhatsApp (it decides free text or a template).
            "whatsapp_inbound_at": preference.whatsapp_inbound_at,
            "updated_at": preference.updated_at,
        }
    # The delivery record of what Pandu sent the citizen (what, how, when), not the texts.
    messages = [
        {
            "template": message.template,
            "subject": message.subject,
            "channel": message.channel,
            "phone": message.phone,
            "status": message.status,
            "created_at": message.created_at,
            "sent_at": message.sent_at,
            "delivered_at": message.delivered_at,
        }
        for message in OutboundMessage.objects.filter(recipient__iexact=user.email).order_by(
            "created_at", "pk"
        )
    ]
    data = {
        "account": {
            "public_id": user.public_id,
            "email": user.email,
            "email_verified_at": user.email_verified_at,
            "preferred_language": user.preferred_language,
            "registered_at": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
            # Consent to the privacy notice is given at sign-up: its time is the registration's.
            "privacy_consent_given_at": user.date_joined,
        },
        "citizen": {
            "public_id": citizen.public_id,
            "full_name": citizen.full_name,
            "date_of_birth": citizen.date_of_birth,
            "sex": citizen.sex,
            "sex_label": citizen.get_sex_display(),
            "nik": citizen.nik,
            "passport_number": citizen.passport_number,
            "phone": citizen.phone,
            "address": {
                "line": citizen.address_line,
                "city": citizen.city,
                "province": citizen.province,
                "province_label": citizen.get_province_display(),
                "postal_code": citizen.postal_code,
            },
            "mission": citizen.mission.slug,
            "created_at": citizen.created_at,
            "updated_at": citizen.updated_at,
        },
        "deletion_requests": deletion_requests,
        "api_tokens": tokens,
        "contact_preference": contact,
        "messages": messages,
    }
    return data, objects


# --- audit events ----------------------------------------------------------------------------


def _roles(actor_ids: set[int]) -> dict[tuple[int, int | None], list[str]]:
    roles: dict[tuple[int, int | None], list[str]] = defaultdict(list)
    for user_id, mission_id, role in StaffMembership.objects.filter(
        user_id__in=actor_ids
    ).values_list("user_id", "mission_id", "role__name"):
        roles[(user_id, mission_id)].append(role)
        roles[(user_id, None)].append(role)
    return roles


def _audit_events(user: User, objects: list[tuple[str, str]]) -> list[dict[str, Any]]:
    by_type: dict[str, set[str]] = defaultdict(set)
    for object_type, ref in objects:
        if object_type and ref:
            by_type[object_type].add(ref)
    about = Q()
    for object_type, refs in by_type.items():
        about |= Q(object_type=object_type, object_ref__in=sorted(refs))
    events = list(
        AuditEvent.objects.filter(Q(actor_id=user.pk) | about)
        .select_related("mission")
        .order_by("seq")
    )
    others = {e.actor_id for e in events if e.actor_id and e.actor_id != user.pk}
    staff_ids = set(User.objects.filter(pk__in=others, is_staff=True).values_list("pk", flat=True))
    roles = _roles(staff_ids)
    own_email = user.email.lower()
    out = []
    for event in events:
        mine = event.object_ref in by_type.get(event.object_type, ())
        if event.actor_id is None:
            actor = "system"
        elif event.actor_id == user.pk:
            actor = "you"
        elif event.actor_id in staff_ids:
            found = roles.get((event.actor_id, event.mission_id)) or roles.get(
                (event.actor_id, None)
            )
            actor = ", ".join(sorted(set(found))) if found else "staff"
        else:
            actor = "another_account"
        record: dict[str, Any] = {
            "seq": event.seq,
            "occurred_at": event.occurred_at,
            "event": event.event,
            "actor": actor,
            "object_type": event.object_type,
            "mission": event.mission.slug if event.mission else None,
        }
        if mine:
            record["object_ref"] = event.object_ref
            record["data"] = scrub(event.data, own_email)
        # An event the citizen made about someone else's object keeps only what they did.
        out.append(record)
    return out


# --- building the ZIP ------------------------------------------------------------------------


@dataclass
class Export:
    content: bytes
    counts: dict[str, int]
    files: int
    filename: str


def _json(data: Any) -> bytes:
    return (
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=False)
        + "\n"
    ).encode()


def _citizen_of(user) -> CitizenProfile:
    citizen = (
        CitizenProfile.objects.select_related("mission").filter(user_id=user.pk).first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if citizen is None or user.is_staff or not user.is_active:
        raise PermissionDenied(
            _("Hanya warga yang masuk dengan akunnya sendiri yang dapat mengunduh datanya.")
        )
    return citizen


def export_check(*, user) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may download a citizen's data export."""
    _citizen_of(user)


def filename_for(moment: dt.datetime) -> str:
    return f"pandu-data-{moment:%Y%m%d}.zip"


def export_build(*, user: User, now: dt.datetime | None = None) -> Export:
    """Read everything about ``user`` and pack it; writes nothing.

    Raises ``PermissionDenied`` for anyone but an active citizen (staff, anonymous, inactive).
    Texts meant for people (labels, descriptions) are in the citizen's language.
    """
    citizen = _citizen_of(user)
    now = now or timezone.now()
    generated_at = now.astimezone(dt.UTC)
    with translation.override(user.preferred_language or "id"):
        entries: list[tuple[str, bytes, str, str]] = []  # path, content, section, description
        counts: dict[str, int] = {}
        profile, objects = _profile(user, citizen)
        entries.append(
            ("profile.json", _json(profile), "profile", str(_("Akun dan profil WNI Anda.")))
        )
        counts["profile"] = 1
        for item in REGISTRY.values():
            section = item.contributor(user=user, citizen=citizen)
            counts[item.name] = len(section.records)
            objects.extend(section.objects)
            entries.append(
                (f"{item.name}.json", _json(section.records), item.name, str(item.description))
            )
            for extra in section.files:
                entries.append((extra.path, extra.content, item.name, extra.description))
        events = _audit_events(user, objects)
        counts["audit_events"] = len(events)
        entries.append(
            (
                "audit_events.json",
                _json(events),
                "audit_events",
                _audit_description(),
            )
        )
        paths = [path for path, *_rest in entries]
        if len(paths) != len(set(paths)):  # a contributor's bug, never the citizen's problem
            raise ValueError("export sections wrote the same path twice")
        manifest = {
            "format": "pandu-citizen-data",
            "format_version": FORMAT_VERSION,
            "generated_at": generated_at.isoformat().replace("+00:00", "Z"),
            "language": user.preferred_language,
            "mission": {"slug": citizen.mission.slug, "name": citizen.mission.tr("name")},
            "citizen": str(citizen.public_id),
            "counts": counts,
            "files": [
                {
                    "path": path,
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "size": len(content),
                    "section": section,
                    "description": description,
                }
                for path, content, section, description in entries
            ],
        }
    buffer = io.BytesIO()
    stamp = generated_at.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, content in [("manifest.json", _json(manifest))] + [
            (path, content) for path, content, *_rest in entries
        ]:
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return Export(
        content=buffer.getvalue(),
        counts=counts,
        files=len(entries) + 1,
        filename=filename_for(timezone.localtime(now, citizen.mission.zone)),
    )


def citizen_data_export(*, user: User, now: dt.datetime | None = None) -> bytes:
    """The citizen's ZIP (see the module's docstring); the export is recorded and mailed.

    Raises ``PermissionDenied`` for staff, anonymous or inactive users. The audit event carries
    the number of records per section and of files, nothing personal; the mail (in the citizen's
    language) leaves after the commit and says only that an export was made and when.
    """
    return citizen_data_export_made(user=user, now=now).content


@transaction.atomic
def citizen_data_export_made(*, user: User, now: dt.datetime | None = None) -> Export:
    """As ``citizen_data_export``, returning the ``Export`` (content, counts, file name)."""
    now = now or timezone.now()
    export = export_build(user=user, now=now)
    citizen = CitizenProfile.objects.select_related("mission").get(user_id=user.pk)
    audit_record(
        event="personal_data_exported",
        actor=user,
        obj=citizen,
        mission=citizen.mission,
        data={"counts": export.counts, "files": export.files, "bytes": len(export.content)},
    )
    email_send(
        to=user.email,
        template="data_exported",
        language=user.preferred_language,
        context={
            "name": citizen.full_name,
            "mission": citizen.mission,
            # Naive on purpose: the mission's wall-clock time, whatever zone renders the mail.
            "when": timezone.localtime(now, citizen.mission.zone).replace(tzinfo=None),
        },
        mission=citizen.mission,
    )
    return export
