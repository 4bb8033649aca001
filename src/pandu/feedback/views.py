"""Survey pages (by the e-mail's token, no sign-in; or on the kiosk tablet in a staff session),
and the supervisors' follow-up list and detail pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.core.errors import NotFound, PanduError
from pandu.core.forms import apply_errors
from pandu.core.middleware import use_mission
from pandu.core.models import Mission
from pandu.feedback import selectors, services
from pandu.feedback.forms import AssignForm, KioskForm, OutcomeForm, SurveyForm
from pandu.feedback.models import FollowUp, SurveyInvitation
from pandu.people.backends import missions_for

VIEW_FOLLOW_UP = "feedback.view_followup"


def _closed(request, exc: PanduError):
    return render(
        request,
        "feedback/survey_closed.html",
        {"message": exc.message, "code": exc.code},
        status=404 if isinstance(exc, NotFound) else exc.status,
    )


def _survey_form(request, invitation: SurveyInvitation, *, via_kiosk: bool):
    """The form, bound on POST; on a valid POST the response is recorded and None returned."""
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_submit(
                invitation=invitation,
                answers=form.answers(),
                comment=form.cleaned_data["comment"],
                is_complaint=form.cleaned_data["is_complaint"],
                via_kiosk=via_kiosk,
                by=request.user if via_kiosk else None,
            )
        except services.SurveyClosed:
            raise
        except PanduError as exc:
            apply_errors(form, exc)
        else:
            return None
    return form


@require_http_methods(["GET", "POST"])
def survey(request, token: str):
    try:
        invitation = services.invitation_for_token(token)
        use_mission(request, invitation.mission)
        form = _survey_form(request, invitation, via_kiosk=False)
    except PanduError as exc:
        return _closed(request, exc)
    if form is None:
        return redirect("feedback:thanks")
    return render(
        request, "feedback/survey.html", {"form": form, "invitation": invitation, "kiosk": False}
    )


def thanks(request):
    return render(request, "feedback/thanks.html", {"kiosk": False})


# Kiosk ----------------------------------------------------------------------------------------


def _kiosk_missions(request):
    allowed = missions_for(request.user, services.KIOSK_PERM)
    if not allowed:
        raise PermissionDenied
    return Mission.objects.filter(pk__in=allowed).order_by("pk")


@login_required
@require_http_methods(["GET", "POST"])
def kiosk(request):
    """Staff type the reference of the visit just served; the tablet then shows its survey."""
    missions = _kiosk_missions(request)
    mission = missions.filter(slug=request.GET.get("mission", "")).first() or missions.first()
    use_mission(request, mission)
    form = KioskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_for_kiosk(
                mission=mission, code=form.cleaned_data["code"], user=request.user
            )
        except PanduError as exc:
            apply_errors(form, exc)
        else:
            return redirect("feedback:kiosk_survey", public_id=invitation.public_id)
    return render(request, "feedback/kiosk.html", {"form": form, "mission": mission})


@login_required
@require_http_methods(["GET", "POST"])
def kiosk_survey(request, public_id):
    invitation = get_object_or_404(
        SurveyInvitation.objects.select_related("mission", "service"),
        public_id=public_id,
        mission__in=_kiosk_missions(request),
    )
    use_mission(request, invitation.mission)
    try:
        services._check_open(invitation, timezone.now())
        form = _survey_form(request, invitation, via_kiosk=True)
    except PanduError as exc:
        return _closed(request, exc)
    if form is None:
        return redirect("feedback:kiosk_thanks")
    return render(
        request, "feedback/survey.html", {"form": form, "invitation": invitation, "kiosk": True}
    )


@login_required
def kiosk_thanks(request):
    _kiosk_missions(request)
    return render(request, "feedback/thanks.html", {"kiosk": True})


# Follow-ups -----------------------------------------------------------------------------------

STATUS_FILTERS = ["active", *FollowUp.Status.values, "all"]


def _follow_ups(request):
    missions = missions_for(request.user, VIEW_FOLLOW_UP)
    if not missions:
        raise PermissionDenied
    return FollowUp.objects.filter(mission__in=missions).select_related(
        "mission", "assigned_to", "response__service"
    )


@login_required
def follow_up_list(request):
    follow_ups = _follow_ups(request)
    status = request.GET.get("status", "active")
    if status not in STATUS_FILTERS:
        status = "active"
    if status == "active":
        follow_ups = follow_ups.exclude(status=FollowUp.Status.CLOSED)
    elif status != "all":
        follow_ups = follow_ups.filter(status=status)
    filters = [("active", _("Belum selesai")), *FollowUp.Status.choices, ("all", _("Semua"))]
    return render(
        request,
        "feedback/follow_up_list.html",
        {
            "follow_ups": follow_ups.order_by("-opened_at")[:200],
            "status": status,
            "filters": filters,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_detail(request, public_id):
    follow_up = get_object_or_404(_follow_ups(request), public_id=public_id)
    use_mission(request, follow_up.mission)
    may_change = request.user.has_perm(services.FOLLOW_UP_PERM, follow_up.mission)
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not may_change:
        raise PermissionDenied
    supervisors = services.supervisors_of(follow_up.mission)
    assign_form = AssignForm(
        request.POST if action == "assign" else None,
        supervisors=supervisors,
        initial={"assignee": follow_up.assigned_to_id},
    )
    outcome_form = OutcomeForm(
        request.POST if action in {"record", "close"} else None,
        initial={"outcome": follow_up.outcome},
    )
    try:
        if action == "assign" and assign_form.is_valid():
            services.follow_up_assign(
                follow_up=follow_up, assignee=assign_form.cleaned_data["assignee"], by=request.user
            )
            messages.success(request, _("Tindak lanjut diserahkan."))
            return redirect("feedback:follow_up", public_id=follow_up.public_id)
        if action in {"record", "close"} and outcome_form.is_valid():
            services.follow_up_record(
                follow_up=follow_up,
                outcome=outcome_form.cleaned_data["outcome"],
                close=action == "close",
                by=request.user,
            )
            messages.success(
                request,
                _("Tindak lanjut ditutup.") if action == "close" else _("Hasil disimpan."),
            )
            return redirect("feedback:follow_up", public_id=follow_up.public_id)
    except PanduError as exc:
        apply_errors(assign_form if action == "assign" else outcome_form, exc)
    return render(
        request,
        "feedback/follow_up_detail.html",
        {
            "follow_up": follow_up,
            "response": follow_up.response,
            "answers": selectors.answers_of(follow_up.response),
            "record": selectors.service_record(follow_up.response.invitation),
            "may_change": may_change and follow_up.status != FollowUp.Status.CLOSED,
            "assign_form": assign_form,
            "outcome_form": outcome_form,
        },
    )
