"""Applying the retention rules: the daily job and one citizen's confirmed deletion request.

Each kind of data (``models.Kind``) is made of one or more *parts*: a model, which of its rows
are still untreated, what starts their clock (``clock_at``), and the one thing that happens to
them when their period ends (``apply``). Every ``apply`` is a conditional write on rows that are
still untreated, so two rounds running at once treat each row once and count it once.

Anonymising keeps the row (the IKM, waiting-time and performance figures count it) and blanks
names, contacts, free text and identity numbers. Erasing deletes stored files and their rows.
Audit events are never touched: they record who did what to which reference, never the content
of personal data, and deleting one would break the hash chain.

What this module does not do: decide who may confirm a request (``views``), or mail anyone
(``services``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from pandu.applications.models import Application, Document, Letter, Review, Transition
from pandu.appointments.models import ACTIVE, Appointment, DrawEntry, WaitlistEntry
from pandu.audit.models import SensitiveAccess
from pandu.audit.services import audit_record
from pandu.broadcast.models import Delivery, HelpCase, HelpNote, Reply
from pandu.core.models import Mission
from pandu.feedback.models import FollowUp, SurveyInvitation, SurveyResponse
from pandu.notify.models import OutboundMessage
from pandu.outreach.models import EligibilityRequest, Evidence, PlanItem, VisitRequest
from pandu.people.models import CitizenProfile
from pandu.people.services import account_anonymise
from pandu.privacy.models import Action, Kind, RetentionRule, RetentionRun
from pandu.privacy.rules import rules_for
from pandu.queue.models import Ticket

log = logging.getLogger(__name__)

BATCH = 200

ISSUED_STATES = ("issued", "ready_for_collection", "mailed", "collected")
CLOSED_STATES = ("rejected", "withdrawn")
DECIDED_STATES = ISSUED_STATES + CLOSED_STATES
OPEN_VISIT_STATES = ("requested", "scheduled", "confirmed", "change")


def _delete_files_on_commit(names: Iterable[str]) -> None:
    names = [name for name in names if name]

    def delete() -> None:
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:  # already gone, or the storage refused: the row is gone either way
                log.warning("Could not delete stored file %s", name)

    transaction.on_commit(delete)


def _last_transition_at(states: Iterable[str]) -> Subquery:
    return Subquery(
        Transition.objects.filter(application=OuterRef("pk"), target__in=list(states))
        .order_by("-at")
        .values("at")[:1]
    )


# --- the parts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One model's share of a kind of data."""

    kind: str
    name: str
    # Untreated rows (annotated with ``clock_at``), narrowed to a mission or a citizen.
    rows: Callable[[], QuerySet]
    of_mission: Callable[[QuerySet, Mission], QuerySet]
    of_citizen: Callable[[QuerySet, CitizenProfile], QuerySet]
    # Treat these rows (those still untreated); return how many were treated.
    apply: Callable[[list[int], dt.datetime], int]
    # The citizen's rows that must not be touched yet (a booking to come, a case in progress).
    open_rows: Callable[[CitizenProfile, dt.datetime], QuerySet] | None = None


# Appointments: the identity number the booking was checked against goes; the row stays.


def _appointment_rows() -> QuerySet:
    return Appointment.objects.exclude(identity_key="").annotate(clock_at=F("slot__starts_at"))


def _appointment_apply(pks: list[int], now: dt.datetime) -> int:
    return Appointment.objects.filter(pk__in=pks).exclude(identity_key="").update(identity_key="")


def _appointment_open(citizen: CitizenProfile, now: dt.datetime) -> QuerySet:
    return Appointment.objects.filter(citizen=citizen, status__in=ACTIVE, slot__starts_at__gte=now)


# Tickets: the address given to be told when the turn is near.


def _ticket_rows() -> QuerySet:
    return Ticket.objects.exclude(notify_email="").annotate(clock_at=F("arrived_at"))


def _ticket_apply(pks: list[int], now: dt.datetime) -> int:
    return Ticket.objects.filter(pk__in=pks).exclude(notify_email="").update(notify_email="")


# Applications: the passport data answered, and the free text of decisions and reviews.

APPLICATION_UNTREATED = (
    ~Q(surname="") | ~Q(given_names="") | ~Q(birth_place="") | Q(birth_date__isnull=False)
)
APPLICATION_BLANK = {
    "surname": "",
    "given_names": "",
    "birth_place": "",
    "old_passport_number": "",
    "birth_date": None,
    "old_passport_expiry": None,
}


def _application_rows(states: tuple[str, ...], clock_states: tuple[str, ...]):
    def rows() -> QuerySet:
        return (
            Application.objects.filter(state__in=states)
            .filter(APPLICATION_UNTREATED)
            .annotate(clock_at=Coalesce(_last_transition_at(clock_states), F("updated_at")))
        )

    return rows


def _application_apply(pks: list[int], now: dt.datetime) -> int:
    done = 0
    for pk in pks:
        # Row by row through save(): identity numbers may be stored encrypted, and their field
        # knows how to store an empty value.
        application = (
            Application.objects.select_for_update().filter(pk=pk).filter(APPLICATION_UNTREATED)
        ).first()
        if application is None:
            continue
        for name, value in APPLICATION_BLANK.items():
            setattr(application, name, value)
        application.save(update_fields=list(APPLICATION_BLANK))
        Transition.objects.filter(application_id=pk).exclude(note="").update(note="")
        Review.objects.filter(application_id=pk).exclude(reason="").update(reason="")
        done += 1
    return done


def _application_open(citizen: CitizenProfile, now: dt.datetime) -> QuerySet:
    return Application.objects.filter(citizen=citizen).exclude(state__in=(*DECIDED_STATES, "draft"))


# Uploaded documents and issued letters: the stored files and their rows.


def _document_rows() -> QuerySet:
    return Document.objects.filter(application__state__in=DECIDED_STATES).annotate(
        clock_at=Coalesce(
            Subquery(
                Transition.objects.filter(
                    application=OuterRef("application"), target__in=DECIDED_STATES
                )
                .order_by("-at")
                .values("at")[:1]
            ),
            F("application__updated_at"),
        )
    )


def _erase_files(model: type[models.Model]) -> Callable[[list[int], dt.datetime], int]:
    def apply(pks: list[int], now: dt.datetime) -> int:
        found = model.objects.filter(pk__in=pks)
        names = list(found.values_list("storage_name", flat=True))
        _total, by_model = found.delete()
        _delete_files_on_commit(names)
        return by_model.get(model._meta.label, 0)

    return apply


def _letter_rows() -> QuerySet:
    return Letter.objects.annotate(clock_at=F("issued_at"))


# Survey answers: the scores stay for the IKM; comment, address and follow-up notes go.

SURVEY_UNTREATED = ~Q(comment="") | ~Q(invitation__email="") | Q(follow_up__outcome__gt="")


def _survey_rows() -> QuerySet:
    return SurveyResponse.objects.filter(SURVEY_UNTREATED).annotate(clock_at=F("submitted_at"))


def _survey_apply(pks: list[int], now: dt.datetime) -> int:
    claimed = list(
        SurveyResponse.objects.filter(pk__in=pks)
        .filter(SURVEY_UNTREATED)
        .values_list("pk", flat=True)
        .distinct()
    )
    if not claimed:
        return 0
    done = SurveyResponse.objects.filter(pk__in=claimed).update(comment="")
    SurveyInvitation.objects.filter(response__pk__in=claimed).update(email="")
    FollowUp.objects.filter(response__pk__in=claimed).update(outcome="")
    return done


def _survey_citizen(rows: QuerySet, citizen: CitizenProfile) -> QuerySet:
    applications = Application.objects.filter(citizen=citizen).values("public_id")
    return rows.filter(
        Q(invitation__appointment__citizen=citizen)
        | Q(invitation__ticket__appointment__citizen=citizen)
        | Q(invitation__visit_request__citizen=citizen)
        | Q(invitation__application_ref__in=applications)
    )


# Invitations never answered keep an e-mail address only until they are old.


def _invitation_rows() -> QuerySet:
    return (
        SurveyInvitation.objects.filter(response__isnull=True)
        .exclude(email="")
        .annotate(clock_at=F("created_at"))
    )


def _invitation_apply(pks: list[int], now: dt.datetime) -> int:
    return SurveyInvitation.objects.filter(pk__in=pks).exclude(email="").update(email="")


def _invitation_citizen(rows: QuerySet, citizen: CitizenProfile) -> QuerySet:
    applications = Application.objects.filter(citizen=citizen).values("public_id")
    return rows.filter(
        Q(appointment__citizen=citizen)
        | Q(ticket__appointment__citizen=citizen)
        | Q(visit_request__citizen=citizen)
        | Q(application_ref__in=applications)
    )


# Pertiwi: home-visit addresses, contacts and notes; eligibility details and evidence files.

VISIT_UNTREATED = ~Q(contact_name="") | ~Q(address_line="") | ~Q(contact_phone="")
VISIT_BLANK = {
    "address_line": "",
    "city": "",
    "postal_code": "",
    "lat": None,
    "lon": None,
    "contact_name": "",
    "contact_phone": "",
    "access_needs": [],
    "access_notes_encrypted": b"",
}


def _visit_rows() -> QuerySet:
    return (
        VisitRequest.objects.exclude(status__in=OPEN_VISIT_STATES)
        .filter(VISIT_UNTREATED)
        .annotate(clock_at=F("created_at"))
    )


def _visit_apply(pks: list[int], now: dt.datetime) -> int:
    done = VisitRequest.objects.filter(pk__in=pks).filter(VISIT_UNTREATED).update(**VISIT_BLANK)
    if done:
        PlanItem.objects.filter(request_id__in=pks).exclude(outcome_notes="").update(
            outcome_notes=""
        )
    return done


def _visit_open(citizen: CitizenProfile, now: dt.datetime) -> QuerySet:
    return VisitRequest.objects.filter(citizen=citizen, status__in=OPEN_VISIT_STATES)


ELIGIBILITY_UNTREATED = (
    ~Q(details_encrypted=b"") | ~Q(acting_name="") | ~Q(acting_relation="") | ~Q(decision_reason="")
)


def _eligibility_rows() -> QuerySet:
    return (
        EligibilityRequest.objects.exclude(status="submitted")
        .filter(ELIGIBILITY_UNTREATED)
        .annotate(clock_at=F("created_at"))
    )


def _eligibility_apply(pks: list[int], now: dt.datetime) -> int:
    done = (
        EligibilityRequest.objects.filter(pk__in=pks)
        .filter(ELIGIBILITY_UNTREATED)
        .update(details_encrypted=b"", acting_name="", acting_relation="", decision_reason="")
    )
    evidence = Evidence.objects.filter(request_id__in=pks, purged_at__isnull=True)
    names = list(evidence.values_list("storage_name", flat=True))
    if evidence.update(purged_at=now):
        _delete_files_on_commit(names)
    return done


def _eligibility_open(citizen: CitizenProfile, now: dt.datetime) -> QuerySet:
    return EligibilityRequest.objects.filter(citizen=citizen, status="submitted")


# Notification messages: the delivery record stays, what was said goes.


def _message_rows() -> QuerySet:
    return OutboundMessage.objects.filter(
        status__in=[OutboundMessage.Status.SENT, OutboundMessage.Status.FAILED],
        purged_at__isnull=True,
    ).annotate(clock_at=F("created_at"))


def _message_apply(pks: list[int], now: dt.datetime) -> int:
    return OutboundMessage.objects.filter(pk__in=pks, purged_at__isnull=True).update(
        body="", html="", text="", attachments=[], template_params=[], purged_at=now
    )


# Crisis messages: who was sent one, what they answered, and the help staff gave.

# A delivery with a help case waits until that case is resolved and its notes blanked under the
# help-case rule: erasing the delivery erases its replies and help case with it.
HELP_PENDING = Q(help_case__status__in=("open", "claimed")) | Q(help_case__notes__text__gt="")


def _delivery_rows() -> QuerySet:
    return (
        Delivery.objects.exclude(HELP_PENDING)
        .exclude(status__in=("queued", "sending"))
        .annotate(
            clock_at=Coalesce(F("sent_at"), F("broadcast__queued_at"), F("broadcast__created_at"))
        )
    )


def _delivery_apply(pks: list[int], now: dt.datetime) -> int:
    found = (
        Delivery.objects.filter(pk__in=pks)
        .exclude(HELP_PENDING)
        .exclude(status__in=("queued", "sending"))
    )
    _total, by_model = Delivery.objects.filter(
        pk__in=list(found.values_list("pk", flat=True))
    ).delete()
    return by_model.get(Delivery._meta.label, 0)


def _delivery_open(citizen: CitizenProfile, now: dt.datetime) -> QuerySet:
    return Delivery.objects.filter(citizen=citizen, help_case__status__in=("open", "claimed"))


REPLY_UNTREATED = ~Q(note="") | ~Q(phone="")


def _reply_rows() -> QuerySet:
    return Reply.objects.filter(REPLY_UNTREATED).annotate(clock_at=F("created_at"))


def _reply_apply(pks: list[int], now: dt.datetime) -> int:
    return Reply.objects.filter(pk__in=pks).filter(REPLY_UNTREATED).update(note="", phone="")


def _help_rows() -> QuerySet:
    return (
        HelpCase.objects.filter(status="resolved", notes__text__gt="")
        .distinct()
        .annotate(clock_at=F("resolved_at"))
    )


def _help_apply(pks: list[int], now: dt.datetime) -> int:
    treated = set(
        HelpNote.objects.filter(case_id__in=pks, case__status="resolved")
        .exclude(text="")
        .values_list("case_id", flat=True)
    )
    HelpNote.objects.filter(case_id__in=treated).exclude(text="").update(text="")
    return len(treated)


def _help_open(citizen: CitizenProfile, now: dt.datetime) -> QuerySet:
    return HelpCase.objects.filter(delivery__citizen=citizen).exclude(status="resolved")


# The access log: who opened a citizen's sensitive data (it holds references, no content).


def _access_rows() -> QuerySet:
    return SensitiveAccess.objects.annotate(clock_at=F("occurred_at"))


def _access_apply(pks: list[int], now: dt.datetime) -> int:
    deleted, _by_model = SensitiveAccess.objects.filter(pk__in=pks).delete()
    return deleted


# Accounts of citizens who have not been seen for the rule's period.


def _account_rows() -> QuerySet:
    last_appointment = Subquery(
        Appointment.objects.filter(citizen=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    last_application = Subquery(
        Application.objects.filter(citizen=OuterRef("pk"))
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )
    return (
        CitizenProfile.objects.exclude(full_name="")
        .filter(user__is_staff=False, user__is_active=True)
        .annotate(
            clock_at=Greatest(
                F("updated_at"),
                F("user__date_joined"),
                Coalesce(F("user__last_login"), F("user__date_joined")),
                Coalesce(last_appointment, F("updated_at")),
                Coalesce(last_application, F("updated_at")),
            )
        )
    )


def _account_apply(pks: list[int], now: dt.datetime) -> int:
    done = 0
    for pk in pks:
        citizen = (
            CitizenProfile.objects.select_for_update()
            .filter(pk=pk, user__is_active=True)
            .exclude(full_name="")
            .select_related("user")
            .first()
        )
        if citizen is None:
            continue
        account_anonymise(user=citizen.user)
        done += 1
    return done


def _by_mission(rows: QuerySet, mission: Mission) -> QuerySet:
    return rows.filter(mission=mission)


def _by_application_mission(rows: QuerySet, mission: Mission) -> QuerySet:
    return rows.filter(application__mission=mission)


def _by_citizen(rows: QuerySet, citizen: CitizenProfile) -> QuerySet:
    return rows.filter(citizen=citizen)


def _by_application_citizen(rows: QuerySet, citizen: CitizenProfile) -> QuerySet:
    return rows.filter(application__citizen=citizen)


def _nobody(rows: QuerySet, citizen: CitizenProfile) -> QuerySet:
    return rows.none()


PARTS: tuple[Part, ...] = (
    Part(
        Kind.ACCOUNT, "account", _account_rows, _by_mission, _nobody, _account_apply
    ),  # a deletion request closes the account itself
    Part(
        Kind.APPOINTMENTS,
        "appointments",
        _appointment_rows,
        _by_mission,
        _by_citizen,
        _appointment_apply,
        _appointment_open,
    ),
    Part(
        Kind.TICKETS,
        "tickets",
        _ticket_rows,
        _by_mission,
        lambda rows, citizen: rows.filter(appointment__citizen=citizen),
        _ticket_apply,
    ),
    Part(
        Kind.APPLICATIONS_ISSUED,
        "applications_issued",
        _application_rows(ISSUED_STATES, ("issued",)),
        _by_mission,
        _by_citizen,
        _application_apply,
        _application_open,
    ),
    Part(
        Kind.APPLICATIONS_CLOSED,
        "applications_closed",
        _application_rows(CLOSED_STATES, CLOSED_STATES),
        _by_mission,
        _by_citizen,
        _application_apply,
    ),
    Part(
        Kind.DOCUMENTS,
        "documents",
        _document_rows,
        _by_application_mission,
        _by_application_citizen,
        _erase_files(Document),
    ),
    Part(
        Kind.LETTERS,
        "letters",
        _letter_rows,
        _by_application_mission,
        _by_application_citizen,
        _erase_files(Letter),
    ),
    Part(
        Kind.SURVEYS,
        "survey_answers",
        _survey_rows,
        _by_mission,
        _survey_citizen,
        _survey_apply,
    ),
    Part(
        Kind.SURVEYS,
        "survey_invitations",
        _invitation_rows,
        _by_mission,
        _invitation_citizen,
        _invitation_apply,
    ),
    Part(
        Kind.PERTIWI,
        "visit_requests",
        _visit_rows,
        _by_mission,
        _by_citizen,
        _visit_apply,
        _visit_open,
    ),
    Part(
        Kind.PERTIWI,
        "eligibility_requests",
        _eligibility_rows,
        _by_mission,
        _by_citizen,
        _eligibility_apply,
        _eligibility_open,
    ),
    Part(
        Kind.MESSAGES,
        "messages",
        _message_rows,
        _by_mission,
        _nobody,  # a deletion request erases the citizen's messages with the account
        _message_apply,
    ),
    Part(
        Kind.CRISIS_REPLIES,
        "crisis_replies",
        _reply_rows,
        lambda rows, mission: rows.filter(delivery__broadcast__mission=mission),
        lambda rows, citizen: rows.filter(delivery__citizen=citizen),
        _reply_apply,
    ),
    Part(
        Kind.HELP_CASES,
        "help_cases",
        _help_rows,
        _by_mission,
        lambda rows, citizen: rows.filter(delivery__citizen=citizen),
        _help_apply,
        _help_open,
    ),
    # After replies and help cases, so a delivery whose help case was just treated may go too.
    Part(
        Kind.CRISIS_DELIVERIES,
        "crisis_deliveries",
        _delivery_rows,
        lambda rows, mission: rows.filter(broadcast__mission=mission),
        _by_citizen,
        _delivery_apply,
        _delivery_open,
    ),
    Part(
        Kind.SENSITIVE_ACCESS,
        "sensitive_access",
        _access_rows,
        _by_mission,
        lambda rows, citizen: rows.filter(subject_ref=str(citizen.public_id)),
        _access_apply,
    ),
)


def _apply_in_batches(part: Part, rows: QuerySet, now: dt.datetime) -> int:
    """Treat ``rows`` batch by batch, each in its own transaction, in id order."""
    done = 0
    last = 0
    while True:
        pks = list(rows.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not pks:
            return done
        with transaction.atomic():
            done += part.apply(pks, now)
        last = pks[-1]


# --- the daily job --------------------------------------------------------------------------


def retention_apply_due(now: dt.datetime | None = None) -> int:
    """The daily job (``run_due`` calls it every round): the first round of each UTC day applies
    the rules (``retention_apply``); the others return 0 at once."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            RetentionRun.objects.create(day=now.date(), started_at=now)
    except IntegrityError:  # another round of today has it
        return 0
    return retention_apply(now)


def retention_apply(now: dt.datetime | None = None) -> int:
    """Apply every mission's rules to what passed its period. Returns how many rows were treated.

    One ``retention_applied`` audit event per mission and kind that treated anything, with the
    counts per part (no personal data). Safe to run twice at once: every write is conditional on
    the row being still untreated.
    """
    now = now or timezone.now()
    total = 0
    for mission in Mission.objects.order_by("pk"):
        rules = rules_for(mission)
        counts: dict[str, dict[str, int]] = {}
        for part in PARTS:
            rule = rules[part.kind]
            if not rule.applies:
                continue
            cutoff = now - dt.timedelta(days=rule.keep_days)
            rows = part.of_mission(part.rows(), mission).filter(clock_at__lt=cutoff)
            done = _apply_in_batches(part, rows, now)
            if done:
                counts.setdefault(part.kind, {})[part.name] = done
                total += done
        for kind, by_part in counts.items():
            rule = rules[kind]
            with transaction.atomic():
                audit_record(
                    event="retention_applied",
                    mission=mission,
                    data={
                        "kind": kind,
                        "action": rule.action,
                        "keep_days": rule.keep_days,
                        "counts": by_part,
                    },
                )
    return total


# --- one citizen: what a deletion request would do, and doing it ----------------------------


@dataclass
class Line:
    """One line of a deletion preview or outcome: what happens to some of the citizen's rows."""

    kind: str
    outcome: str  # erase, anonymise, keep, or open (blocks the confirmation)
    count: int | None
    rule: RetentionRule | None = None
    until: dt.date | None = None
    pks: list[int] = field(default_factory=list, repr=False)
    part: Part | None = field(default=None, repr=False)

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def legal_basis(self) -> str:
        return self.rule.tr("legal_basis") if self.rule is not None else ""

    def as_record(self) -> dict:
        return {
            "kind": self.kind,
            "outcome": self.outcome,
            "count": self.count,
            "until": self.until.isoformat() if self.until else None,
            "period": self.rule.period_label if self.rule is not None else "",
            "legal_basis_id": self.rule.legal_basis_id if self.rule is not None else "",
            "legal_basis_en": self.rule.legal_basis_en if self.rule is not None else "",
        }


def _merge(lines: list[Line]) -> list[Line]:
    """One line per kind and outcome (parts of a kind add up), the latest ``until`` kept."""
    merged: dict[tuple[str, str], Line] = {}
    for line in lines:
        key = (line.kind, line.outcome)
        if key not in merged:
            merged[key] = Line(line.kind, line.outcome, line.count, line.rule, line.until)
            continue
        into = merged[key]
        if line.count is not None:
            into.count = (into.count or 0) + line.count
        if line.until and (into.until is None or line.until > into.until):
            into.until = line.until
    order = [kind for kind, _label in Kind.choices]
    return sorted(merged.values(), key=lambda line: order.index(line.kind))


def _plan(citizen: CitizenProfile, now: dt.datetime) -> list[Line]:
    """What confirming would do to each part of the citizen's data (unmerged, with row ids)."""
    rules = rules_for(citizen.mission)
    zone = citizen.mission.zone
    lines: list[Line] = []
    for part in PARTS:
        rule = rules[part.kind]
        rows = part.of_citizen(part.rows(), citizen)
        if part.open_rows is not None:
            open_pks = set(part.open_rows(citizen, now).values_list("pk", flat=True))
            if open_pks:
                lines.append(Line(part.kind, "open", len(open_pks), rule))
            rows = rows.exclude(pk__in=open_pks)
        found = list(rows.values_list("pk", "clock_at"))
        if not found:
            continue
        if rule.applies and not rule.kept_on_request:
            lines.append(
                Line(
                    part.kind, rule.action, len(found), rule, pks=[pk for pk, _ in found], part=part
                )
            )
            continue
        if not rule.applies:
            lines.append(Line(part.kind, Action.KEEP, len(found), rule))
            continue
        period = dt.timedelta(days=rule.keep_days)
        due = [pk for pk, clock_at in found if clock_at + period <= now]
        kept = [clock_at for _pk, clock_at in found if clock_at + period > now]
        if due:
            lines.append(Line(part.kind, rule.action, len(due), rule, pks=due, part=part))
        if kept:
            until = timezone.localdate(max(kept) + period, zone)
            lines.append(Line(part.kind, Action.KEEP, len(kept), rule, until=until))
    # What goes with the account itself.
    drafts = Application.objects.filter(
        citizen=citizen, state="draft", payments__isnull=True
    ).count()
    if drafts:
        lines.append(Line(Kind.APPLICATIONS_CLOSED, Action.ERASE, drafts, None))
    entries = (
        DrawEntry.objects.filter(citizen=citizen).count()
        + WaitlistEntry.objects.filter(citizen=citizen).count()
    )
    if entries:
        lines.append(Line(Kind.APPOINTMENTS, Action.ERASE, entries, None))
    messages = OutboundMessage.objects.filter(recipient__iexact=citizen.user.email).count()
    if messages:
        lines.append(Line(Kind.MESSAGES, Action.ERASE, messages, rules[Kind.MESSAGES]))
    keeps_profile = (
        Appointment.objects.filter(citizen=citizen).exists()
        or Application.objects.filter(citizen=citizen).exclude(state="draft").exists()
        or VisitRequest.objects.filter(citizen=citizen, survey_invitation__isnull=False).exists()
    )
    lines.append(
        Line(
            Kind.ACCOUNT,
            Action.ANONYMISE if keeps_profile else Action.ERASE,
            1,
            rules[Kind.ACCOUNT],
        )
    )
    lines.append(Line(Kind.AUDIT, Action.KEEP, None, rules[Kind.AUDIT]))
    return lines


def deletion_preview(*, citizen: CitizenProfile, now: dt.datetime | None = None) -> list[Line]:
    """What confirming a deletion request of ``citizen`` would erase, anonymise and keep, and
    why (one line per kind and outcome). Lines whose outcome is ``open`` block the confirmation:
    a booking still to come or a case in progress."""
    return _merge(_plan(citizen, now or timezone.now()))


def citizen_data_retire(*, citizen: CitizenProfile, now: dt.datetime | None = None) -> list[Line]:
    """Erase and anonymise the citizen's data as their rules say for a deletion request, in the
    caller's transaction. The account itself is left to the caller (``account_anonymise``), as is
    the audit event. Returns the lines of what was done and kept."""
    now = now or timezone.now()
    lines = _plan(citizen, now)
    for line in lines:
        if line.part is not None and line.pks:
            line.count = line.part.apply(line.pks, now)
    # A draft with a payment recorded (there should be none) stays as a financial record.
    drafts = Application.objects.filter(citizen=citizen, state="draft", payments__isnull=True)
    names = list(
        Document.objects.filter(application__in=drafts).values_list("storage_name", flat=True)
    )
    drafts.delete()
    _delete_files_on_commit(names)
    DrawEntry.objects.filter(citizen=citizen).delete()
    WaitlistEntry.objects.filter(citizen=citizen).delete()
    return _merge(lines)
