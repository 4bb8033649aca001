"""Survey invitations, responses and follow-ups: every write the feedback domain allows.

Flow: a service completes (an appointment served, a waiting-room ticket done, a Pertiwi visit
served, a document collected) and its module emits a domain event; once that write is committed,
this app's receiver (:mod:`pandu.feedback.receivers`) calls one ``survey_invite_after_*``
function. That makes one invitation per service record, with a random token whose hash is
stored, and mails the link in the citizen's language once the transaction commits. The citizen
(or the kiosk tablet) answers once; an answer with a 1 on any element, or flagged as a complaint,
opens a follow-up and mails the mission's supervisors. Supervisors assign the follow-up, record
its outcome and close it.

Each write records an audit event in the same transaction. Nothing here decides the index: that
is :mod:`pandu.feedback.ikm`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pandu.audit.services import audit_record
from pandu.core import clock
from pandu.core.errors import NotFound, PanduError, PermissionDenied, ValidationFailed
from pandu.core.models import Mission
from pandu.feedback.ikm import CODES, HIGHEST, LOWEST
from pandu.feedback.models import Channel, FollowUp, SurveyInvitation, SurveyResponse
from pandu.feedback.transitions import FOLLOW_UP
from pandu.feedback.transitions import Event as FollowUpEvent
from pandu.notify.services import email_send, holding
from pandu.people.selectors import staff_with_perm

#: How long a survey link stays valid.
SURVEY_VALID_DAYS = 30
#: The kiosk finds invitations made this many hours ago at most (the visit just served).
KIOSK_HOURS = 12
COMMENT_MAX = 2000
OUTCOME_MAX = 4000
FOLLOW_UP_PERM = "feedback.change_followup"
KIOSK_PERM = "feedback.use_survey_kiosk"


class SurveyClosed(PanduError):
    """The link was right but can no longer be used: expired, or already answered."""

    status = 410


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def survey_link(token: str, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("feedback:survey", kwargs={"token": token})


# Invitations ----------------------------------------------------------------------------------


def survey_invite(
    *,
    mission: Mission,
    channel: str,
    service=None,
    email: str = "",
    language: str = "",
    appointment=None,
    ticket=None,
    visit_request=None,
    application_ref=None,
    now: dt.datetime | None = None,
) -> tuple[SurveyInvitation, str] | None:
    """Invite the citizen of one completed service record to the survey.

    Give the record (``appointment``, ``ticket``, ``visit_request`` or ``application_ref``, the
    public id of an application). Returns the invitation and its token, or None when that record
    (or, for a ticket, its appointment) was already invited: one survey per service. With an
    ``email`` the link is mailed in ``language`` after the caller's transaction commits; without
    one the invitation still serves the kiosk.

    The receivers call it after the transaction that completed the service has committed, so a
    refused completion invites nobody.
    """
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    now = now or timezone.now()
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with transaction.atomic():
        existing = SurveyInvitation.objects.none()
        for name, value in (
            ("appointment", appointment),
            ("ticket", ticket),
            ("visit_request", visit_request),
            ("application_ref", application_ref),
        ):
            if value is not None:
                existing = existing | SurveyInvitation.objects.filter(**{name: value})
        if existing.exists():
            return None
        token = secrets.token_urlsafe(24)
        try:
            # A savepoint: a concurrent invitation of the same record must not undo the caller.
            with transaction.atomic():
                invitation = SurveyInvitation.objects.create(
                    token_hash=token_hash(token),
                    mission=mission,
                    service=service,
                    channel=channel,
                    language=language,
                    email=email or "",
                    appointment=appointment,
                    ticket=ticket,
                    visit_request=visit_request,
                    application_ref=application_ref,
                    created_at=now,
                    expires_at=now + dt.timedelta(days=SURVEY_VALID_DAYS),
                )
        except IntegrityError:
            return None
        audit_record(
            event="survey_invited",
            obj=invitation,
            mission=mission,
            data={"channel": channel, "mailed": bool(email)},
        )
        if email and not holding():  # held back: no link to build
            with timezone.override(mission.zone):
                email_send(
                    to=email,
                    template="survey_invitation",
                    language=language,
                    mission=mission,
                    context={
                        "mission": mission,
                        "service": service,
                        "link": survey_link(token, language),
                        "expires": timezone.localdate(invitation.expires_at, mission.zone),
                    },
                )
    return invitation, token


def _session_channel(session) -> str:
    return Channel.SATURDAY if session.kind == "saturday" else Channel.WEEKDAY


def survey_invite_after_appointment(appointment, *, now: dt.datetime | None = None):
    """An appointment was served at the counter (weekday or Saturday session)."""
    user = appointment.citizen.user
    return survey_invite(
        mission=appointment.mission,
        channel=_session_channel(appointment.slot.session),
        service=appointment.service,
        email=user.email,
        language=user.preferred_language,
        appointment=appointment,
        now=now,
    )


def survey_invite_after_ticket(ticket, *, now: dt.datetime | None = None):
    """A waiting-room ticket is done. A ticket from an appointment surveys that appointment (once,
    whichever of the two completes first); a walk-in is mailed only if they left an address."""
    appointment = ticket.appointment
    if appointment is not None:
        user = appointment.citizen.user
        channel = _session_channel(appointment.slot.session)
        email, language = user.email, user.preferred_language
    else:
        channel = Channel.SATURDAY if ticket.date.weekday() == 5 else Channel.WEEKDAY
        email, language = ticket.notify_email, ticket.language
    return survey_invite(
        mission=ticket.mission,
        channel=channel,
        service=ticket.service,
        email=email,
        language=language,
        appointment=appointment,
        ticket=ticket,
        now=now,
    )


def survey_invite_after_visit(visit_request, *, now: dt.datetime | None = None):
    """A Pertiwi home visit was served. The survey names the visit's first service."""
    user = visit_request.citizen.user
    return survey_invite(
        mission=visit_request.mission,
        channel=Channel.PERTIWI,
        service=visit_request.services.order_by("pk").first(),
        email=user.email,
        language=user.preferred_language,
        visit_request=visit_request,
        now=now,
    )


def survey_invite_after_collection(
    *, application_ref, mission, service, citizen, now: dt.datetime | None = None
):
    """An issued document was collected (``application_ref``: the application's public id)."""
    return survey_invite(
        mission=mission,
        channel=Channel.COLLECTED,
        service=service,
        email=citizen.user.email,
        language=citizen.user.preferred_language,
        application_ref=application_ref,
        now=now,
    )


def invitation_for_token(token: str, *, now: dt.datetime | None = None) -> SurveyInvitation:
    """The invitation a link's token opens. Unknown token: NotFound; answered or expired:
    SurveyClosed (the page says which, and records nothing)."""
    now = now or timezone.now()
    invitation = (
        SurveyInvitation.objects.select_related("mission", "service")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if invitation is None:
        raise NotFound(_("Tautan survei ini tidak dikenal. Periksa kembali tautan di surel Anda."))
    _check_open(invitation, now)
    return invitation


def _check_open(invitation: SurveyInvitation, now: dt.datetime) -> None:
    if invitation.used_at is not None:
        raise SurveyClosed(
            _("Survei ini sudah diisi. Terima kasih atas penilaian Anda."), code="used"
        )
    if invitation.expires_at <= now:
        raise SurveyClosed(
            _("Tautan survei ini sudah kedaluwarsa (berlaku %(days)d hari).")
            % {"days": SURVEY_VALID_DAYS},
            code="expired",
        )


def invitation_for_kiosk(*, mission: Mission, code: str, user, now: dt.datetime | None = None):
    """The open invitation of a visit just served at ``mission``, found by the appointment's
    reference or today's ticket number (e.g. ``A-012``), for the kiosk tablet."""
    now = now or timezone.now()
    if not user.has_perm(KIOSK_PERM, mission):
        raise PermissionDenied(_("Anda tidak dapat membuka survei di kios perwakilan ini."))
    code = " ".join((code or "").split()).upper()
    recent = SurveyInvitation.objects.filter(
        mission=mission,
        used_at__isnull=True,
        expires_at__gt=now,
        created_at__gte=now - dt.timedelta(hours=KIOSK_HOURS),
    )
    found = recent.filter(appointment__reference=code).first() if code else None
    if found is None and "-" in code:
        prefix, _sep, number = code.partition("-")
        if number.isdigit():
            found = recent.filter(
                ticket__prefix=prefix,
                ticket__sequence=int(number),
                ticket__date=clock.today(mission, now),
            ).first()
    if found is None:
        raise NotFound(
            _(
                "Tidak ada survei terbuka untuk %(code)s. Survei muncul setelah layanan "
                "ditandai selesai, dan hanya pada hari itu."
            )
            % {"code": code or "-"},
            field="code",
        )
    return found


# Responses ------------------------------------------------------------------------------------


def _clean_answers(
    answers: dict[str, Any], comment: str, is_complaint: bool
) -> tuple[dict[str, int], str]:
    errors: dict[str, list[str]] = {}
    scores: dict[str, int] = {}
    for code in CODES:
        value: Any = answers.get(code)  # anything the form sent; int() sorts it out below
        try:
            score = int(value)
        except (TypeError, ValueError):
            score = None
        if score is None or not LOWEST <= score <= HIGHEST or str(value).strip() != str(score):
            errors[code] = [_("Pilih salah satu jawaban.")]
        else:
            scores[code] = score
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = [_("Komentar paling panjang %(max)d karakter.") % {"max": COMMENT_MAX}]
    elif is_complaint and not comment:
        errors["comment"] = [_("Tuliskan pengaduan Anda di kolom komentar.")]
    if errors:
        raise ValidationFailed(errors)
    return scores, comment


def response_unsaved(
    invitation: SurveyInvitation,
    *,
    mission: Mission,
    scores: dict[str, int],
    comment: str,
    is_complaint: bool,
    via_kiosk: bool,
    at: dt.datetime,
) -> SurveyResponse:
    """The response to ``invitation`` answered ``at`` (cleaned by ``_clean_answers``), not saved:
    ``survey_submit`` saves one, the history (``feedback.history``) many at once."""
    local = clock.today(mission, at)
    return SurveyResponse(
        invitation=invitation,
        mission=mission,
        service_id=invitation.service_id,
        channel=invitation.channel,
        language=invitation.language,
        comment=comment,
        is_complaint=bool(is_complaint),
        via_kiosk=via_kiosk,
        submitted_at=at,
        submitted_on=local,
        period=f"{local:%Y-%m}",
        **scores,
    )


def answered_data(response: SurveyResponse) -> dict[str, Any]:
    """The ``survey_answered`` audit event's data."""
    return {
        "channel": response.channel,
        "complaint": response.is_complaint,
        "low": response.low_elements,
        "kiosk": response.via_kiosk,
    }


def survey_submit(
    *,
    invitation: SurveyInvitation,
    answers: dict[str, Any],
    comment: str = "",
    is_complaint: bool = False,
    via_kiosk: bool = False,
    by=None,
    now: dt.datetime | None = None,
) -> SurveyResponse:
    """Record the answers to ``invitation`` (``answers``: ``u1`` ... ``u9`` -> 1-4).

    Stops with ValidationFailed (a message per field) when an element is unanswered or out of
    range, or a complaint has no text; with SurveyClosed when the invitation was answered (also
    by a concurrent request: the invitation row is locked and the database allows one response)
    or has expired. An unhappy answer opens a follow-up (:func:`follow_up_open`).
    """
    now = now or timezone.now()
    scores, comment = _clean_answers(answers, comment, is_complaint)
    with transaction.atomic():
        # Claim the invitation in one conditional write: of two concurrent answers one claims it,
        # the other finds it used (and a second response row is refused by the database too).
        claimed = SurveyInvitation.objects.filter(
            pk=invitation.pk, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if not claimed:
            current = SurveyInvitation.objects.get(pk=invitation.pk)
            _check_open(current, now)
            raise SurveyClosed(  # answered between the two reads: the same answer as "used"
                _("Survei ini sudah diisi. Terima kasih atas penilaian Anda."), code="used"
            )
        mission = invitation.mission
        response = response_unsaved(
            invitation,
            mission=mission,
            scores=scores,
            comment=comment,
            is_complaint=is_complaint,
            via_kiosk=via_kiosk,
            at=now,
        )
        response.save(force_insert=True)
        invitation.used_at = now
        audit_record(
            event="survey_answered",
            actor=by,
            obj=response,
            mission=mission,
            data=answered_data(response),
        )
        if is_unhappy(response):
            follow_up_open(response=response, now=now)
    return response


def is_unhappy(response: SurveyResponse) -> bool:
    """A 1 on any element, or a comment the citizen flagged as a complaint."""
    return response.is_complaint or bool(response.low_elements)


# Follow-ups -----------------------------------------------------------------------------------


def supervisors_of(mission: Mission):
    """Active staff of ``mission`` whose role there lets them handle follow-ups."""
    return staff_with_perm(mission, FOLLOW_UP_PERM)


def follow_up_link(follow_up: FollowUp, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(
            "feedback:follow_up", kwargs={"public_id": follow_up.public_id}
        )


def follow_up_open(*, response: SurveyResponse, now: dt.datetime | None = None) -> FollowUp:
    """Open the follow-up of an unhappy response and mail the mission's supervisors."""
    now = now or timezone.now()
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            response=response, mission=response.mission, opened_at=now, updated_at=now
        )
        audit_record(
            event="follow_up_opened",
            obj=follow_up,
            mission=response.mission,
            data={"low": response.low_elements, "complaint": response.is_complaint},
        )
        # Held back (the demo's history): nobody to look up and no links to build.
        for supervisor in [] if holding() else supervisors_of(response.mission):
            language = getattr(supervisor, "preferred_language", "") or settings.LANGUAGE_CODE
            email_send(
                to=supervisor.email,
                template="follow_up_opened",
                language=language,
                mission=response.mission,
                context={
                    "mission": response.mission,
                    "response": response,
                    "low": [code.upper() for code in response.low_elements],
                    "link": follow_up_link(follow_up, language),
                },
            )
    return follow_up


def _locked_follow_up(follow_up: FollowUp, by, event: str) -> FollowUp:
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("mission")
        .get(pk=follow_up.pk)
    )
    if not by.has_perm(FOLLOW_UP_PERM, follow_up.mission):
        raise PermissionDenied(_("Anda tidak dapat menangani tindak lanjut perwakilan ini."))
    if follow_up.status not in FOLLOW_UP.sources(event):
        raise PanduError(_("Tindak lanjut ini sudah ditutup."), code="closed")
    return follow_up


@transaction.atomic
def follow_up_assign(
    *, follow_up: FollowUp, assignee, by, now: dt.datetime | None = None
) -> FollowUp:
    """Give the follow-up to one of the mission's supervisors; it is then in progress."""
    now = now or timezone.now()
    follow_up = _locked_follow_up(follow_up, by, FollowUpEvent.ASSIGN)
    if assignee is None or not supervisors_of(follow_up.mission).filter(pk=assignee.pk).exists():
        raise ValidationFailed(
            {"assignee": [_("Pilih penyelia perwakilan ini.")]},
        )
    follow_up.assigned_to = assignee
    follow_up.status = FOLLOW_UP.move(follow_up.status, FollowUpEvent.ASSIGN)
    follow_up.updated_at = now
    follow_up.save(update_fields=["assigned_to", "status", "updated_at"])
    audit_record(
        event="follow_up_assigned",
        actor=by,
        obj=follow_up,
        mission=follow_up.mission,
        data={"assignee": assignee.email},
    )
    return follow_up


@transaction.atomic
def follow_up_record(
    *, follow_up: FollowUp, outcome: str, close: bool = False, by, now: dt.datetime | None = None
) -> FollowUp:
    """Record what was done (replacing the earlier text); with ``close`` the follow-up ends,
    which needs an outcome. An open follow-up becomes in progress."""
    now = now or timezone.now()
    event = FollowUpEvent.CLOSE if close else FollowUpEvent.RECORD
    follow_up = _locked_follow_up(follow_up, by, event)
    outcome = (outcome or "").strip()
    if len(outcome) > OUTCOME_MAX:
        raise ValidationFailed(
            {"outcome": [_("Paling panjang %(max)d karakter.") % {"max": OUTCOME_MAX}]}
        )
    if close and not outcome:
        raise ValidationFailed({"outcome": [_("Tuliskan hasil tindak lanjut sebelum menutup.")]})
    follow_up.outcome = outcome
    follow_up.updated_at = now
    fields = ["outcome", "updated_at", "status"]
    follow_up.status = FOLLOW_UP.move(follow_up.status, event)
    if close:
        follow_up.closed_at, follow_up.closed_by = now, by
        fields += ["closed_at", "closed_by"]
    follow_up.save(update_fields=fields)
    audit_record(
        event="follow_up_closed" if close else "follow_up_recorded",
        actor=by,
        obj=follow_up,
        mission=follow_up.mission,
        data={"status": follow_up.status},
    )
    return follow_up
