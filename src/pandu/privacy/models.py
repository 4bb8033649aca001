"""Privacy: how long each kind of personal data is kept, and the decisions on deletion requests.

``RetentionRule`` is data, one row per mission and kind of data, edited by system administrators
in the Django admin: how long the rows are kept, what happens after (erase, anonymise, keep),
what starts the clock, and the legal basis in both languages. The rules are applied by
``privacy.retention`` (the daily job and a confirmed deletion request).

``DeletionDecision`` records a supervisor's answer to a citizen's ``AccountDeletionRequest``:
confirmed (with what was erased, anonymised and kept, and why) or refused (with the reason).
It holds counts and rule texts, never the erased data itself.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from pandu.core.i18n import BilingualMixin
from pandu.core.models import Mission
from pandu.privacy.defaults import CLOCKS


class Kind(models.TextChoices):
    ACCOUNT = "account", _("Akun dan profil WNI")
    APPOINTMENTS = "appointments", _("Janji temu")
    TICKETS = "tickets", _("Nomor antrean ruang tunggu")
    APPLICATIONS_ISSUED = "applications_issued", _("Permohonan yang dokumennya sudah terbit")
    APPLICATIONS_CLOSED = "applications_closed", _("Permohonan yang ditolak atau ditarik")
    DOCUMENTS = "documents", _("Dokumen yang diunggah")
    LETTERS = "letters", _("Surat yang diterbitkan (tanda terima, surat keterangan)")
    SURVEYS = "surveys", _("Jawaban survei")
    PERTIWI = "pertiwi", _("Permohonan Pertiwi (kelayakan dan kunjungan rumah)")
    MESSAGES = "messages", _("Pesan pemberitahuan (surel)")
    AUDIT = "audit", _("Catatan audit")
    CRISIS_DELIVERIES = "crisis_deliveries", _("Pengiriman pesan krisis")
    CRISIS_REPLIES = "crisis_replies", _("Jawaban pesan krisis")
    HELP_CASES = "help_cases", _("Permintaan bantuan dan catatannya")
    SENSITIVE_ACCESS = "sensitive_access", _("Catatan akses data sensitif")


class Action(models.TextChoices):
    ERASE = "erase", _("Dihapus")
    ANONYMISE = "anonymise", _("Dianonimkan")
    KEEP = "keep", _("Disimpan")


class Clock(models.TextChoices):
    LAST_ACTIVITY = "last_activity", _("aktivitas terakhir")
    APPOINTMENT_DATE = "appointment_date", _("tanggal janji temu")
    TICKET_DATE = "ticket_date", _("tanggal antrean")
    ISSUE_DATE = "issue_date", _("tanggal terbit")
    DECISION_DATE = "decision_date", _("tanggal keputusan")
    SUBMITTED_DATE = "submitted_date", _("tanggal pengisian")
    REQUEST_DATE = "request_date", _("tanggal permohonan")
    SENT_DATE = "sent_date", _("tanggal pengiriman")
    RECORDED = "recorded", _("tanggal dicatat")
    ANSWER_DATE = "answer_date", _("tanggal jawaban")
    RESOLVED_DATE = "resolved_date", _("tanggal selesai")


# What can happen to each kind once its period ends (besides keeping it), and what starts its
# clock. Rows that statistics need (IKM, performance reports) are anonymised, never erased;
# stored files are erased; audit events are only ever kept (they hold no personal content).
ALLOWED_ACTION: dict[str, str] = {
    Kind.ACCOUNT: Action.ANONYMISE,
    Kind.APPOINTMENTS: Action.ANONYMISE,
    Kind.TICKETS: Action.ANONYMISE,
    Kind.APPLICATIONS_ISSUED: Action.ANONYMISE,
    Kind.APPLICATIONS_CLOSED: Action.ANONYMISE,
    Kind.DOCUMENTS: Action.ERASE,
    Kind.LETTERS: Action.ERASE,
    Kind.SURVEYS: Action.ANONYMISE,
    Kind.PERTIWI: Action.ANONYMISE,
    Kind.MESSAGES: Action.ANONYMISE,
    Kind.AUDIT: Action.KEEP,
    Kind.CRISIS_DELIVERIES: Action.ERASE,
    Kind.CRISIS_REPLIES: Action.ANONYMISE,
    Kind.HELP_CASES: Action.ANONYMISE,
    Kind.SENSITIVE_ACCESS: Action.ERASE,
}
CLOCK: dict[str, str] = {kind: Clock(clock) for kind, clock in CLOCKS.items()}


class RetentionRule(BilingualMixin, models.Model):
    mission = models.ForeignKey(
        Mission,
        on_delete=models.CASCADE,
        related_name="retention_rules",
        verbose_name=_("perwakilan"),
    )
    kind = models.CharField(_("jenis data"), max_length=24, choices=Kind.choices)
    keep_days = models.PositiveIntegerField(
        _("disimpan (hari)"),
        null=True,
        blank=True,
        help_text=_("Kosong: disimpan tanpa batas waktu. 365 hari = 1 tahun."),
    )
    action = models.CharField(_("sesudah masa simpan"), max_length=10, choices=Action.choices)
    clock = models.CharField(
        _("masa simpan dihitung dari"), max_length=20, choices=Clock.choices, editable=False
    )
    kept_on_request = models.BooleanField(
        _("tetap disimpan bila WNI minta dihapus"),
        default=False,
        help_text=_(
            "Untuk data yang wajib disimpan menurut peraturan: permintaan penghapusan akun tidak "
            "memperpendek masa simpannya."
        ),
    )
    legal_basis_id = models.TextField(_("dasar hukum (Indonesia)"))
    legal_basis_en = models.TextField(_("dasar hukum (Inggris)"))
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("aturan masa simpan")
        verbose_name_plural = pgettext_lazy("plural", "aturan masa simpan")
        ordering = ["mission", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "kind"], name="retention_rule_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.mission.slug}: {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        self.clock = CLOCK.get(self.kind, Clock.RECORDED)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        allowed = {Action.KEEP, ALLOWED_ACTION.get(self.kind, Action.KEEP)}
        if self.action not in allowed:
            raise ValidationError(
                {
                    "action": _("Untuk jenis data ini hanya bisa: %(actions)s.")
                    % {"actions": ", ".join(str(Action(a).label) for a in sorted(allowed))}
                }
            )
        if self.action != Action.KEEP and not self.keep_days:
            raise ValidationError(
                {"keep_days": _("Isi masa simpan: sesudahnya data dihapus atau dianonimkan.")}
            )

    @property
    def applies(self) -> bool:
        """Whether anything happens when the period ends (a rule may say: keep)."""
        return self.action != Action.KEEP and bool(self.keep_days)

    @property
    def legal_basis(self) -> str:
        return self.tr("legal_basis")

    @property
    def period_label(self) -> str:
        if not self.keep_days:
            return str(_("tanpa batas waktu"))
        if self.keep_days % 365 == 0:
            years = self.keep_days // 365
            return ngettext("%(n)d tahun", "%(n)d tahun", years) % {"n": years}
        return ngettext("%(n)d hari", "%(n)d hari", self.keep_days) % {"n": self.keep_days}


class DeletionDecision(models.Model):
    """A supervisor's answer to an account deletion request (one per request)."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("Dikonfirmasi")
        REFUSED = "refused", _("Ditolak")

    request = models.OneToOneField(
        "people.AccountDeletionRequest", on_delete=models.CASCADE, related_name="decision"
    )
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("keputusan"), max_length=10, choices=Outcome.choices)
    reason = models.TextField(_("alasan"), blank=True, max_length=1000)
    # [{"kind", "outcome", "count", "until", "legal_basis_id", "legal_basis_en"}, ...]:
    # counts and rule texts only, never the data itself.
    items = models.JSONField(_("rincian"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan pada"))

    class Meta:
        verbose_name = _("keputusan penghapusan akun")
        verbose_name_plural = pgettext_lazy("plural", "keputusan penghapusan akun")
        default_permissions = ("view",)
        permissions = [("decide_deletion", _("Dapat memutuskan permintaan penghapusan akun"))]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.get_outcome_display()}"


class RetentionRun(models.Model):
    """One row per day the retention job started: the job runs every minute with the others,
    but its work is daily. The unique day lets exactly one round of the day do it."""

    day = models.DateField(unique=True)
    started_at = models.DateTimeField()

    class Meta:
        verbose_name = _("putaran masa simpan")
        verbose_name_plural = pgettext_lazy("plural", "putaran masa simpan")
        default_permissions = ()

    def __str__(self) -> str:
        return str(self.day)
