"""Pertiwi eligibility pages: the citizen's request and the supervisor's review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.audit.models import SensitiveAccess
from pandu.audit.services import sensitive_access_reason_required, sensitive_access_record
from pandu.core import clock
from pandu.core.errors import PanduError, ValidationFailed
from pandu.core.forms import apply_errors
from pandu.core.middleware import use_mission
from pandu.outreach import eligibility, services, visit_views
from pandu.outreach.forms import DecisionForm, EligibilityRequestForm
from pandu.outreach.models import EligibilityRequest, Evidence
from pandu.outreach.selectors import policy_for
from pandu.people.backends import missions_for


def _citizen(request):
    citizen = getattr(request.user, "citizen", None)
    if citizen is None:
        raise Http404
    return citizen


def home(request):
    """What Pertiwi is, who may ask, and the citizen's own requests."""
    citizen = getattr(request.user, "citizen", None)
    requests = (
        EligibilityRequest.objects.filter(citizen=citizen).prefetch_related("evidence")
        if citizen
        else []
    )
    return render(
        request,
        "outreach/home.html",
        {
            "citizen": citizen,
            "requests": requests,
            "policy": policy_for(citizen.mission if citizen else request.mission),
            **visit_views.citizen_visits_context(citizen),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply(request):
    citizen = _citizen(request)
    if request.method == "POST":
        form = EligibilityRequestForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.eligibility_request_submit(
                    citizen=citizen,
                    submitted_by=request.user,
                    reason=data["reason"],
                    consent=data["consent"],
                    acting_as=data["acting_as"],
                    acting_name=data["acting_name"],
                    acting_relation=data["acting_relation"],
                    due_date=data["due_date"],
                    details=data["details"],
                    files=data["files"],
                )
            except ValidationFailed as exc:
                apply_errors(form, exc)
            except PanduError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Permohonan Anda sudah diterima. Kami kirim keputusannya lewat surel."),
                )
                return redirect("outreach:home")
    else:
        form = EligibilityRequestForm()
    return render(request, "outreach/apply.html", {"form": form, "citizen": citizen})


@login_required
@require_POST
def withdraw(request, public_id):
    citizen = _citizen(request)
    found = get_object_or_404(EligibilityRequest, public_id=public_id, citizen=citizen)
    try:
        services.eligibility_withdraw(request=found, by=request.user)
        messages.success(request, _("Permohonan sudah ditarik. Buktinya akan dihapus."))
    except PanduError as exc:
        messages.error(request, exc.message)
    return redirect("outreach:home")


def _reviewable(request):
    missions = missions_for(request.user, services.REVIEW_PERMISSION)
    if not missions:
        raise PermissionDenied
    return EligibilityRequest.objects.filter(mission__in=missions).select_related(
        "citizen", "mission"
    )


@login_required
def review_list(request):
    requests = _reviewable(request)
    status = request.GET.get("status", "submitted")
    if status not in EligibilityRequest.Status.values:
        status = "submitted"
    return render(
        request,
        "outreach/review_list.html",
        {
            "requests": requests.filter(status=status).order_by("created_at"),
            "status": status,
            "statuses": EligibilityRequest.Status.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, public_id):
    found = get_object_or_404(_reviewable(request), public_id=public_id)
    use_mission(request, found.mission)
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.eligibility_decide(
                    request=found,
                    by=request.user,
                    approve=form.cleaned_data["decision"] == "approve",
                    reason_text=form.cleaned_data["reason_text"],
                    valid_until=form.cleaned_data["valid_until"],
                )
            except ValidationFailed as exc:
                apply_errors(form, exc)
            except PanduError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Keputusan tersimpan dan pemohon sudah diberi tahu."))
                return redirect("outreach:review_list")
    else:
        form = DecisionForm()
    return _review_page(request, found, form)


def _review_page(request, found: EligibilityRequest, form, *, show_details: bool = False):
    """The review page. The applicant's own explanation (often about their health) is hidden
    until the reviewer opens it through ``review_details``, which records the access."""
    today = clock.today(found.mission)
    policy = policy_for(found.mission)
    assessment = eligibility.assess(
        reason=found.reason,
        on=today,
        policy=policy,
        date_of_birth=found.citizen.date_of_birth,
        due_date=found.due_date,
    )
    return render(
        request,
        "outreach/review.html",
        {
            "item": found,
            "form": form,
            "age": found.citizen.age_on(today),
            "assessment": assessment,
            "default_until": eligibility.valid_until(
                reason=found.reason, decided_on=today, policy=policy, due_date=found.due_date
            ),
            "show_details": show_details,
            "reason_required": sensitive_access_reason_required(
                actor=request.user,
                mission=found.mission,
                data_kind=SensitiveAccess.DataKind.HEALTH_EVIDENCE,
            ),
        },
    )


@login_required
@require_POST
def review_details(request, public_id):
    """Show the applicant's explanation, once the opening is recorded in the access log."""
    found = get_object_or_404(_reviewable(request), public_id=public_id)
    use_mission(request, found.mission)
    try:
        sensitive_access_record(
            actor=request.user,
            mission=found.mission,
            data_kind=SensitiveAccess.DataKind.HEALTH_EVIDENCE,
            obj=found,
            subject=found.citizen,
            reason=request.POST.get("reason", ""),
        )
    except PanduError as exc:
        messages.error(request, exc.message)
        return redirect("outreach:review", public_id=found.public_id)
    return _review_page(request, found, DecisionForm(), show_details=True)


@login_required
@require_POST
def evidence(request, public_id, evidence_id):
    """An evidence file, for a reviewer: a POST, recorded in the access log (with the reason
    the reviewer's role may have to give) before the file is sent."""
    found = get_object_or_404(_reviewable(request), public_id=public_id)
    item = get_object_or_404(Evidence, request=found, public_id=evidence_id)
    try:
        with transaction.atomic():
            sensitive_access_record(
                actor=request.user,
                mission=found.mission,
                data_kind=SensitiveAccess.DataKind.HEALTH_EVIDENCE,
                obj=item,
                subject=found.citizen,
                reason=request.POST.get("reason", ""),
            )
            content = services.evidence_read(evidence=item, by=request.user)
    except PanduError as exc:
        messages.error(request, exc.message)
        return redirect("outreach:review", public_id=found.public_id)
    response = HttpResponse(content, content_type=item.content_type)
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
    response["Content-Disposition"] = (
        f'attachment; filename="bukti-{str(item.public_id)[:8]}.{extension[item.content_type]}"'
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
