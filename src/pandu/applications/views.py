"""Application pages: the citizen's form, check page and status; the officers' queue and case page.

Thin: each view reads, calls one service, and shows its message. An application that is not the
visitor's (or of a mission where they are staff) is a 404, as if it did not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.applications import letters, passport, selectors, services, workflow
from pandu.applications.forms import (
    ApplicationForm,
    OldPassportMRZForm,
    PaymentForm,
    QueueFilterForm,
    ReplaceForm,
    ReviewForm,
    TransitionForm,
)
from pandu.applications.models import Application, Document, Letter
from pandu.applications.workflow import CITIZEN, OFFICER, SUPERVISOR, Event, State
from pandu.audit.masking import mask_passport
from pandu.audit.models import SensitiveAccess
from pandu.audit.services import sensitive_access_reason_required, sensitive_access_record
from pandu.catalog.models import Requirement, Service
from pandu.catalog.selectors import service_get
from pandu.core import clock
from pandu.core.errors import NotFound, PanduError, ValidationFailed
from pandu.core.forms import apply_errors
from pandu.core.middleware import use_mission
from pandu.core.models import Mission
from pandu.people.backends import missions_for
from pandu.registry.selectors import prefill_for

SECTIONS_ORDER = ("fee", "passport", "documents")


def _citizen(request):
    citizen = getattr(request.user, "citizen", None)
    if citizen is None:
        raise Http404
    return citizen


def _own(request, public_id) -> Application:
    citizen = _citizen(request)
    application = get_object_or_404(
        Application.objects.select_related("service", "mission", "fee", "appointment__slot"),
        public_id=public_id,
        citizen=citizen,
    )
    use_mission(request, application.mission)
    return application


def _staff_visible(request, public_id) -> Application:
    missions = missions_for(request.user, services.VIEW_PERMISSION)
    application = get_object_or_404(
        Application.objects.select_related(
            "service", "mission", "citizen__user", "fee", "appointment__slot"
        ).exclude(state=State.DRAFT),
        public_id=public_id,
        mission__in=missions,
    )
    use_mission(request, application.mission)
    return application


def _visible(request, public_id) -> Application:
    """The application for its owner, else for the mission's staff; 404 for anyone else."""
    citizen = getattr(request.user, "citizen", None)
    application = (
        Application.objects.filter(public_id=public_id, citizen=citizen).first()
        if citizen
        else None
    )
    return application if application is not None else _staff_visible(request, public_id)


def _letters_context(application: Application) -> dict:
    offered = letters.offered(application)
    return {
        "received_letter": Letter.Kind.RECEIVED in offered,
        "certificate_letter": offered.get(Letter.Kind.CERTIFICATE),
        "issues_certificate_letter": services.issues_certificate_letter(application.service),
    }


def _bring_to_counter(service: Service) -> list[Requirement]:
    return [
        r
        for r in service.requirements.all()
        if r.kind == Requirement.Kind.DOCUMENT and (not r.uploadable or r.form)
    ]


def _documents_context(application: Application) -> list[dict]:
    """One row per uploadable requirement: its current file, older versions and review."""
    current = selectors.current_documents(application)
    reviews = selectors.current_reviews(application)
    versions: dict[int, list[Document]] = {}
    for document in Document.objects.filter(application=application).order_by("-version"):
        versions.setdefault(document.requirement_id, []).append(document)
    rows = []
    for requirement in application.service.requirements.all():
        if not requirement.uploadable or requirement.kind != Requirement.Kind.DOCUMENT:
            continue
        rows.append(
            {
                "requirement": requirement,
                "document": current.get(requirement.pk),
                "older": versions.get(requirement.pk, [])[1:],
                "review": reviews.get(requirement.pk),
                "required": services.upload_required(application, requirement),
            }
        )
    return rows


def _history(application: Application):
    return application.transitions.select_related("by").order_by("at", "pk")


# --- citizen ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def start(request, mission: str, code: str):
    """Start an application for a service: what it takes, then a draft to fill in."""
    citizen = _citizen(request)
    m = get_object_or_404(Mission, slug=mission, is_active=True)
    use_mission(request, m)
    service = service_get(mission=m, code=code)
    if service is None:
        raise Http404
    if m.pk != citizen.mission_id:
        return render(
            request,
            "applications/start.html",
            {"service": service, "mission": m, "other_mission": citizen.mission},
        )
    if request.method == "POST":
        try:
            application = services.application_start(
                citizen=citizen, service=service, by=request.user
            )
        except PanduError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("applications:edit", public_id=application.public_id)
    draft = Application.objects.filter(citizen=citizen, service=service, state=State.DRAFT).first()
    return render(
        request,
        "applications/start.html",
        {
            "service": service,
            "mission": m,
            "draft": draft,
            "uploads": [
                r
                for r in service.requirements.all()
                if r.uploadable and r.kind == Requirement.Kind.DOCUMENT
            ],
            "bring": _bring_to_counter(service),
            "fees": list(service.fees.all()),
        },
    )


@login_required
def mine(request):
    citizen = _citizen(request)
    applications = Application.objects.filter(citizen=citizen).select_related("service")
    return render(request, "applications/mine.html", {"applications": applications})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, public_id):
    application = _own(request, public_id)
    if application.state not in workflow.EDITABLE:
        return redirect("applications:detail", public_id=application.public_id)
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES, application=application)
        if form.is_valid():
            try:
                services.application_save(
                    application=application,
                    by=request.user,
                    answers=form.answers(),
                    uploads=form.uploads(),
                )
            except ValidationFailed as exc:
                apply_errors(form, exc)
            except PanduError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Isian dan dokumen Anda sudah disimpan."))
                return redirect("applications:check", public_id=application.public_id)
    else:
        form = ApplicationForm(application=application, initial=_prefill(application))
    return render(
        request,
        "applications/edit.html",
        {
            "application": application,
            "form": form,
            "prefill": prefill_for(application.citizen),
            "passport_fields": [form[name] for name in form.passport_fields],
            "uploads": _upload_rows(form, application),
            "bring": _bring_to_counter(application.service),
        },
    )


def _prefill(application: Application) -> dict:
    """Birth date and sex from the citizen's lapor diri, for passport answers not given yet."""
    prefill = prefill_for(application.citizen)
    if prefill is None:
        return {}
    initial = {}
    if application.birth_date is None:
        initial["birth_date"] = prefill.date_of_birth
    if not application.sex:
        initial["sex"] = prefill.sex
    return initial


def _upload_rows(form, application: Application) -> list[tuple]:
    rows = {row["requirement"].pk: row for row in _documents_context(application)}
    return [(form[name], rows[form.fields[name].requirement.pk]) for name in form.upload_names]


def _answers_summary(application: Application, *, mask: bool = False) -> list[tuple[str, str]]:
    """The passport answers; with ``mask``, the old passport number as staff see it until they
    reveal it (``reveal_identity``)."""
    if not application.is_passport:
        return []
    form = passport.form_for(application.service)
    rows = []
    if form.asks_replacement_reason:
        rows.append((_("Alasan penggantian"), application.get_replacement_reason_display()))
    rows += [
        (_("Nama keluarga (atau satu-satunya nama)"), application.surname),
    ]
    if not application.single_name:
        rows.append((_("Nama depan"), application.given_names))
    rows += [
        (
            _("Tanggal lahir"),
            application.birth_date.strftime("%d-%m-%Y") if application.birth_date else "",
        ),
        (_("Tempat lahir"), application.birth_place),
        (_("Jenis kelamin"), application.get_sex_display()),
    ]
    if form.asks_old_passport:
        rows += [
            (
                _("Nomor paspor lama"),
                mask_passport(application.old_passport_number)
                if mask
                else application.old_passport_number,
            ),
            (
                _("Paspor lama berlaku sampai"),
                application.old_passport_expiry.strftime("%d-%m-%Y")
                if application.old_passport_expiry
                else "",
            ),
        ]
    return rows


@login_required
def check(request, public_id):
    """Check your answers: every section with a link to change it, then submit."""
    application = _own(request, public_id)
    if application.state not in workflow.EDITABLE:
        return redirect("applications:detail", public_id=application.public_id)
    problems = services.application_problems(application)
    return render(
        request,
        "applications/check.html",
        {
            "application": application,
            "answers": _answers_summary(application),
            "documents": _documents_context(application),
            "bring": _bring_to_counter(application.service),
            "problems": problems,
            "name_notes": services.name_notes(application),
            "fee_due": services.fee_due(application),
            "event": Event.SUBMIT if application.state == State.DRAFT else Event.RESUBMIT,
        },
    )


@login_required
def detail(request, public_id):
    """The citizen's status page: state, due date, documents, history and the next step."""
    application = _own(request, public_id)
    returned = selectors.returned_requirements(application)
    can_book = (
        application.state == State.DOCUMENTS_ACCEPTED
        and application.service.in_person
        and any(c in (application.service.channels or []) for c in ("weekday", "saturday"))
        and not selectors.booking_pending(application)
    )
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "documents": _documents_context(application),
            "returned": returned,
            "replace_form": ReplaceForm(),
            "history": _history(application),
            "answers": _answers_summary(application),
            "fee_due": services.fee_due(application),
            "paid": services.amount_paid(application),
            "payments": application.payments.all(),
            "can_book": can_book,
            "can_withdraw": workflow.move_for(application.state, Event.WITHDRAW) is not None,
            "overdue": services.overdue(application, clock.today(application.mission)),
            **_letters_context(application),
        },
    )


@login_required
@require_POST
def replace(request, public_id, requirement_id: int):
    application = _own(request, public_id)
    requirement = get_object_or_404(
        Requirement, pk=requirement_id, service=application.service, uploadable=True
    )
    form = ReplaceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas pengganti terlebih dahulu."))
    else:
        try:
            services.document_upload(
                application=application,
                requirement=requirement,
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except PanduError as exc:
            messages.error(request, f"{requirement.title}: {exc.message}")
        else:
            messages.success(request, _("Dokumen pengganti sudah disimpan."))
    return redirect("applications:detail", public_id=application.public_id)


@login_required
@require_POST
def transition(request, public_id):
    """A workflow move from any page; citizens and staff alike (the table decides)."""
    citizen = getattr(request.user, "citizen", None)
    application = (
        Application.objects.filter(public_id=public_id, citizen=citizen).first()
        if citizen
        else None
    )
    staff = application is None
    if staff:
        application = _staff_visible(request, public_id)
    form = TransitionForm(request.POST)
    target = (
        reverse("applications:staff_detail", kwargs={"public_id": application.public_id})
        if staff
        else reverse("applications:detail", kwargs={"public_id": application.public_id})
    )
    if not form.is_valid():
        messages.error(request, _("Langkah ini tidak dikenal."))
        return redirect(target)
    try:
        moved = services.application_transition(
            application=application,
            event=form.cleaned_data["event"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
    except PanduError as exc:
        messages.error(request, exc.message)
        if not staff and application.state in workflow.EDITABLE:
            return redirect("applications:check", public_id=application.public_id)
    else:
        messages.success(
            request,
            _("Status permohonan sekarang: %(state)s.") % {"state": State(moved.state).label},
        )
    return redirect(target)


def _document_response(request, public_id, document_id, application) -> HttpResponse:
    document = get_object_or_404(Document, public_id=document_id, application=application)
    try:
        content = services.document_read(document=document, by=request.user)
    except PanduError as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type=document.content_type)
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
    disposition = "inline" if request.GET.get("view") or request.POST.get("view") else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="dokumen-{str(document.public_id)[:8]}-v{document.version}.'
        f'{extension[document.content_type]}"'
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    # Shown inline, the file may not run scripts or reach anything (a PDF viewer is a browser).
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response


@login_required
def document(request, public_id, document_id):
    """A document's file for its owner; never cached. Staff open it through ``staff_document``
    (a POST recorded in the access log), so a link followed by staff leads to the case page."""
    application = _visible(request, public_id)
    if CITIZEN not in services.actor_kinds(application, request.user):
        get_object_or_404(Document, public_id=document_id, application=application)
        messages.info(
            request, _("Buka dokumen dengan tombolnya di halaman ini; setiap pembukaan dicatat.")
        )
        return redirect("applications:staff_detail", public_id=application.public_id)
    return _document_response(request, public_id, document_id, application)


@login_required
@require_POST
def staff_document(request, public_id, document_id):
    """A document's file for the mission's staff: the opening is recorded in the access log
    (with the reason the staff member's role may have to give) before the file is sent."""
    application = _staff_visible(request, public_id)
    found = get_object_or_404(Document, public_id=document_id, application=application)
    try:
        with transaction.atomic():
            sensitive_access_record(
                actor=request.user,
                mission=application.mission,
                data_kind=SensitiveAccess.DataKind.DOCUMENT_SCAN,
                obj=found,
                subject=application.citizen,
                reason=request.POST.get("reason", ""),
            )
            response = _document_response(request, public_id, document_id, application)
    except PanduError as exc:
        messages.error(request, exc.message)
        return redirect(
            reverse("applications:staff_detail", kwargs={"public_id": application.public_id})
            + f"#req-{found.requirement_id}"
        )
    return response


@login_required
def receipt(request, public_id, payment_id):
    """The signed receipt PDF of a payment, for the applicant and the mission's staff."""
    application = _visible(request, public_id)
    found = get_object_or_404(application.payments, public_id=payment_id)
    try:
        content = services.receipt_read(payment=found, by=request.user)
    except PanduError as exc:
        raise Http404 from exc
    return _pdf(content, f"kuitansi-{found.receipt_number}.pdf")


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def received_letter(request, public_id):
    """The signed "application received" letter, issued in the background after submission;
    until it is, a page says it is being prepared (this GET only reads)."""
    application = _visible(request, public_id)
    try:
        letter = letters.received_letter(application=application, by=request.user)
        content = letters.letter_read(letter=letter, by=request.user) if letter else None
    except NotFound as exc:
        raise Http404 from exc
    if content is None:
        staff = getattr(request.user, "citizen", None) != application.citizen
        back = reverse(
            "applications:staff_detail" if staff else "applications:detail",
            kwargs={"public_id": application.public_id},
        )
        return render(
            request,
            "issuance/letter_pending.html",
            {
                "application": application,
                "reason": letters.received_letter_pending_reason(application),
                "back": back,
                "back_label": _("Kembali ke permohonan"),
            },
        )
    return _pdf(content, f"tanda-terima-{application.reference}.pdf")


@login_required
def certificate_letter(request, public_id):
    """The signed certificate letter the service produced, once the application is issued."""
    application = _visible(request, public_id)
    letter = get_object_or_404(application.letters, kind=Letter.Kind.CERTIFICATE)
    try:
        content = letters.letter_read(letter=letter, by=request.user)
    except PanduError as exc:
        raise Http404 from exc
    return _pdf(content, f"surat-keterangan-{application.reference}.pdf")


# --- staff -----------------------------------------------------------------------------------


@login_required
def queue(request):
    """The officers' work queue: submitted applications of their missions, oldest due first."""
    missions = missions_for(request.user, services.VIEW_PERMISSION)
    if not missions:
        raise DjangoPermissionDenied
    service_choices = (
        Service.objects.filter(mission__in=missions)
        .order_by("order", "code")
        .values_list("code", "name_id", "name_en")
    )
    seen, choices = set(), []
    for code, name_id, name_en in service_choices:
        if code not in seen:
            seen.add(code)
            service = Service(name_id=name_id, name_en=name_en)
            choices.append((code, service.name))
    form = QueueFilterForm(request.GET or None, services=choices)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    today = clock.today(Mission.objects.filter(pk__in=missions).first())
    found = selectors.staff_queue(
        missions=missions,
        service=filters.get("service", ""),
        state=filters.get("state", ""),
        overdue_on=today if filters.get("overdue") else None,
    )
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    rows = [(a, services.overdue(a, today)) for a in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "applications/queue.html",
        {"form": form, "rows": rows, "page": page, "query": query.urlencode(), "today": today},
    )


@login_required
def staff_detail(request, public_id):
    """The case page: documents side by side with the checklist, moves, payment, history."""
    application = _staff_visible(request, public_id)
    return _staff_page(request, application)


@login_required
@require_POST
def old_passport_mrz(request, public_id):
    """The officer checks the old passport's MRZ against its check digits and the application."""
    application = _staff_visible(request, public_id)
    form = OldPassportMRZForm(request.POST)
    result = None
    if form.is_valid():
        try:
            result = services.old_passport_check(
                application=application,
                line1=form.cleaned_data["line1"],
                line2=form.cleaned_data["line2"],
                by=request.user,
            )
        except PanduError as exc:
            apply_errors(form, exc)
    status = 200 if result is not None else 400
    return _staff_page(request, application, mrz_form=form, mrz_result=result, status=status)


@login_required
@require_POST
def reveal_identity(request, public_id):
    """Show the case page with the old passport number in full, once the access is recorded."""
    application = _staff_visible(request, public_id)
    try:
        sensitive_access_record(
            actor=request.user,
            mission=application.mission,
            data_kind=SensitiveAccess.DataKind.IDENTITY_NUMBER,
            obj=application,
            subject=application.citizen,
            reason=request.POST.get("reason", ""),
        )
    except PanduError as exc:
        messages.error(request, exc.message)
        return redirect(
            reverse("applications:staff_detail", kwargs={"public_id": application.public_id})
            + "#answers"
        )
    return _staff_page(request, application, reveal_identity=True)


def _staff_page(
    request, application, *, mrz_form=None, mrz_result=None, status=200, reveal_identity=False
):
    kinds = services.actor_kinds(application, request.user) & {OFFICER, SUPERVISOR}
    moves = [
        move
        for move in workflow.moves_from(application.state, kinds)
        if move.event != Event.SCHEDULE_BIOMETRICS
    ]
    reviewing = OFFICER in kinds and application.state in (State.SUBMITTED, State.RESUBMITTED)
    documents = _documents_context(application)
    for row in documents:
        row["form"] = ReviewForm(prefix=f"r{row['requirement'].pk}")
    return render(
        request,
        "applications/staff_detail.html",
        {
            "application": application,
            "documents": documents,
            "bring": _bring_to_counter(application.service),
            "answers": _answers_summary(application, mask=not reveal_identity),
            "identity_masked": bool(application.old_passport_number) and not reveal_identity,
            "reason_required": {
                kind: sensitive_access_reason_required(
                    actor=request.user, mission=application.mission, data_kind=kind
                )
                for kind in SensitiveAccess.DataKind.values
            },
            "history": _history(application),
            "moves": moves,
            "reviewing": reviewing,
            "payment_form": PaymentForm(initial={"amount": services.fee_due(application)}),
            "can_pay": request.user.has_perm(services.PAYMENT_PERMISSION, application)
            and application.state not in (State.REJECTED, State.WITHDRAWN),
            "payments": application.payments.select_related("recorded_by"),
            "fee_due": services.fee_due(application),
            "paid": services.amount_paid(application),
            "mrz": services.mrz_preview(application),
            "name_notes": services.name_notes(application),
            "overdue": services.overdue(application, clock.today(application.mission)),
            "is_citizen_owner": CITIZEN in services.actor_kinds(application, request.user),
            "mrz_form": mrz_form or OldPassportMRZForm(),
            "mrz_result": mrz_result,
            "checks_old_passport": bool(application.old_passport_number)
            and bool(kinds & {OFFICER, SUPERVISOR}),
            **_letters_context(application),
        },
        status=status,
    )


@login_required
@require_POST
def review(request, public_id, requirement_id: int):
    application = _staff_visible(request, public_id)
    requirement = get_object_or_404(Requirement, pk=requirement_id, service=application.service)
    form = ReviewForm(request.POST, prefix=f"r{requirement.pk}")
    if not form.is_valid():
        messages.error(
            request,
            _("%(title)s: pilih diterima atau dikembalikan.") % {"title": requirement.title},
        )
    else:
        try:
            services.document_review(
                application=application,
                requirement=requirement,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationFailed as exc:
            text = " ".join(t for texts in exc.errors.values() for t in texts)
            messages.error(request, f"{requirement.title}: {text}")
        except PanduError as exc:
            messages.error(request, f"{requirement.title}: {exc.message}")
        else:
            messages.success(
                request, _("Penilaian %(title)s tersimpan.") % {"title": requirement.title}
            )
    return redirect(
        reverse("applications:staff_detail", kwargs={"public_id": application.public_id})
        + f"#req-{requirement.pk}"
    )


@login_required
@require_POST
def payment(request, public_id):
    application = _staff_visible(request, public_id)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isi cara bayar, jumlah dan nomor kuitansi."))
    else:
        try:
            recorded = services.payment_record(
                application=application,
                method=form.cleaned_data["method"],
                amount=form.cleaned_data["amount"],
                receipt_number=form.cleaned_data["receipt_number"],
                by=request.user,
            )
        except ValidationFailed as exc:
            messages.error(request, " ".join(t for texts in exc.errors.values() for t in texts))
        except PanduError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Pembayaran tercatat."))
            if not recorded.receipt_reference:
                messages.warning(
                    request,
                    _(
                        "Kuitansi bertanda tangan digital belum dapat diterbitkan (kunci "
                        "penandatanganan belum terpasang); berikan kuitansi kertas."
                    ),
                )
    return redirect("applications:staff_detail", public_id=application.public_id)
