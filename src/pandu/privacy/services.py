"""A supervisor's answer to a citizen's account deletion request: confirm or refuse.

Confirming treats the citizen's data by the mission's retention rules (``retention``): what a
rule says must be kept (an issued passport's record) is kept until its period ends; the rest is
erased or anonymised; the account is closed (``people.services.account_deletion_complete``). The
citizen is mailed, in their language, what was kept and why. Refusing needs a reason, which is
mailed too. Either is one audit event with counts, never personal data.

Who may decide is checked by the caller (the staff page asks for ``privacy.decide_deletion`` at
the citizen's mission).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.audit.services import audit_record
from pandu.core.errors import PanduError, ValidationFailed
from pandu.notify.services import email_send
from pandu.people.models import AccountDeletionRequest, CitizenProfile
from pandu.people.services import account_deletion_complete
from pandu.privacy.models import Action, DeletionDecision, Kind
from pandu.privacy.retention import Line, citizen_data_retire, deletion_preview

REASON_LIMIT = 1000


def _locked_open(request: AccountDeletionRequest) -> AccountDeletionRequest:
    request = (
        AccountDeletionRequest.objects.select_for_update(of=("self",))
        .select_related("user__citizen__mission")
        .get(pk=request.pk)
    )
    if request.status != AccountDeletionRequest.Status.REQUESTED:
        raise PanduError(_("Permintaan ini sudah diproses."), code="already_processed")
    return request


def _citizen(request: AccountDeletionRequest) -> CitizenProfile:
    citizen = getattr(request.user, "citizen", None) if request.user else None
    if citizen is None:
        raise PanduError(_("Akun ini tidak memiliki profil WNI."), code="no_citizen")
    return citizen


def _counts(lines: list[Line]) -> dict[str, dict[str, int | None]]:
    counts: dict[str, dict[str, int | None]] = {}
    for line in lines:
        counts.setdefault(line.outcome, {})[line.kind] = line.count
    return counts


@transaction.atomic
def deletion_confirm(
    *, request: AccountDeletionRequest, by, now: dt.datetime | None = None
) -> DeletionDecision:
    """Erase, anonymise and keep the citizen's data as the rules say, close the account, record
    what was kept and why, and mail the citizen.

    Refused (nothing changed) while the citizen has a booking still to come, a case in progress
    or an open Pertiwi request: those are finished or cancelled first.
    """
    now = now or timezone.now()
    request = _locked_open(request)
    citizen = _citizen(request)
    mission = citizen.mission
    if any(line.outcome == "open" for line in deletion_preview(citizen=citizen, now=now)):
        raise PanduError(
            _(
                "WNI ini masih punya janji temu yang akan datang, permohonan yang sedang diproses "
                "atau permohonan Pertiwi yang terbuka. Selesaikan atau batalkan dahulu."
            ),
            code="open_matters",
        )
    user = request.user
    assert user is not None  # _citizen refused a request without one
    email, language, name = user.email, user.preferred_language, citizen.full_name
    profile_pk = citizen.pk
    lines = citizen_data_retire(citizen=citizen, now=now)
    account_deletion_complete(request=request, by=by)
    # The account line says what really happened to the profile.
    profile_left = CitizenProfile.objects.filter(pk=profile_pk).exists()
    for line in lines:
        if line.kind == Kind.ACCOUNT:
            line.outcome = Action.ANONYMISE if profile_left else Action.ERASE
    decision = DeletionDecision.objects.create(
        request=request,
        mission=mission,
        outcome=DeletionDecision.Outcome.CONFIRMED,
        items=[line.as_record() for line in lines],
        decided_by=by,
        decided_at=now,
    )
    audit_record(
        event="account_deletion_confirmed",
        actor=by,
        obj=request,
        mission=mission,
        data={"counts": _counts(lines)},
    )
    email_send(
        to=email,
        template="deletion_completed",
        language=language,
        context={
            "name": name,
            "mission": mission,
            "kept": [line for line in lines if line.outcome == Action.KEEP],
            "language": language,
        },
        mission=mission,
    )
    return decision


@transaction.atomic
def deletion_refuse(
    *, request: AccountDeletionRequest, by, reason: str, now: dt.datetime | None = None
) -> DeletionDecision:
    """Refuse the request with a reason the citizen is told; nothing of theirs changes."""
    now = now or timezone.now()
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed({"reason": [_("Tulis alasan penolakan untuk WNI.")]})
    if len(reason) > REASON_LIMIT:
        raise ValidationFailed(
            {"reason": [_("Paling panjang %(limit)d huruf.") % {"limit": REASON_LIMIT}]}
        )
    request = _locked_open(request)
    citizen = _citizen(request)
    user = request.user
    assert user is not None  # _citizen refused a request without one
    request.status = AccountDeletionRequest.Status.REFUSED
    request.save(update_fields=["status"])
    decision = DeletionDecision.objects.create(
        request=request,
        mission=citizen.mission,
        outcome=DeletionDecision.Outcome.REFUSED,
        reason=reason,
        decided_by=by,
        decided_at=now,
    )
    audit_record(event="account_deletion_refused", actor=by, obj=request, mission=citizen.mission)
    email_send(
        to=user.email,
        template="deletion_refused",
        language=user.preferred_language,
        context={"name": citizen.full_name, "mission": citizen.mission, "reason": reason},
        mission=citizen.mission,
    )
    return decision
