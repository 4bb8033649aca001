"""Pages: the supervisors' crisis messages (compose, confirm, progress), the citizens' reply page
(by the signed link, no sign-in) and the help list staff work through."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pandu.broadcast import selectors, services
from pandu.broadcast.crises import crisis_texts
from pandu.broadcast.forms import ComposeForm, NoteForm, PreviewForm, ReplyForm
from pandu.broadcast.models import Broadcast, Delivery, HelpCase
from pandu.core.errors import NotFound, PanduError
from pandu.core.forms import apply_errors
from pandu.core.middleware import use_mission
from pandu.core.models import Mission
from pandu.people.backends import missions_for

VIEW_PERM = "broadcast.view_broadcast"
HELP_VIEW_PERM = "broadcast.view_helpcase"


def _send_mission(request) -> Mission:
    """The mission the supervisor writes for: ``?mission=<slug>`` among theirs, else the first."""
    allowed = missions_for(request.user, services.SEND_PERM)
    if not allowed:
        raise PermissionDenied
    missions = Mission.objects.filter(pk__in=allowed).order_by("name_id")
    slug = request.GET.get("mission") or request.POST.get("mission")
    mission = (missions.filter(slug=slug).first() if slug else None) or missions.first()
    return use_mission(request, mission)


def _broadcasts(request):
    allowed = missions_for(request.user, VIEW_PERM)
    if not allowed:
        raise PermissionDenied
    return Broadcast.objects.filter(mission__in=allowed).select_related("mission")


@login_required
@require_GET
def broadcast_list(request):
    mission = _send_mission(request)
    return render(
        request,
        "broadcast/list.html",
        {
            "mission": mission,
            "broadcasts": _broadcasts(request).filter(mission=mission)[:100],
            "open_help": HelpCase.objects.filter(mission=mission)
            .exclude(status=HelpCase.Status.RESOLVED)
            .count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def broadcast_compose(request):
    mission = _send_mission(request)
    if request.method == "POST":
        form = ComposeForm(request.POST, mission=mission)
        if form.is_valid():
            selection, label = form.selection()
            try:
                broadcast = services.broadcast_draft(
                    mission=mission,
                    by=request.user,
                    selection=selection,
                    crisis=form.cleaned_data["crisis"] or "general",
                    center_label=label,
                    **{
                        k: form.cleaned_data[k]
                        for k in ("subject_id", "body_id", "subject_en", "body_en")
                    },
                )
            except PanduError as exc:
                apply_errors(form, exc)
            else:
                return redirect("broadcast:detail", public_id=broadcast.public_id)
    else:
        crisis = request.GET.get("crisis") or "general"
        form = ComposeForm(
            mission=mission, initial={"crisis": crisis, **crisis_texts(crisis, mission=mission)}
        )
    return render(request, "broadcast/compose.html", {"mission": mission, "form": form})


@login_required
@require_GET
def broadcast_preview(request):
    """How many citizens the area and groups in the query reach (a read: the form's htmx)."""
    mission = _send_mission(request)
    form = PreviewForm(request.GET, mission=mission)
    count, error = None, ""
    if form.is_valid():
        selection, _label = form.selection()
        try:
            services.selection_check(mission=mission, selection=selection)
        except PanduError as exc:
            error = (
                " ".join(text for texts in getattr(exc, "errors", {}).values() for text in texts)
                or exc.message
            )
        else:
            count = selectors.recipient_count(mission, selection)
    else:
        error = " ".join(
            f"{form.fields[name].label}: {' '.join(texts)}"
            if name in form.fields
            else " ".join(texts)
            for name, texts in form.errors.items()
        )
    return render(request, "broadcast/_count.html", {"count": count, "error": error})


@login_required
@require_http_methods(["GET", "POST"])
def broadcast_detail(request, public_id):
    broadcast = get_object_or_404(_broadcasts(request), public_id=public_id)
    use_mission(request, broadcast.mission)
    may_send = request.user.has_perm(services.SEND_PERM, broadcast.mission)
    error = ""
    if request.method == "POST":
        if not may_send:
            raise PermissionDenied
        try:
            services.broadcast_send(broadcast=broadcast, by=request.user)
        except PanduError as exc:
            error = exc.message
        else:
            messages.success(request, _("Pesan sedang dikirim."))
            return redirect("broadcast:detail", public_id=broadcast.public_id)
    count = None
    if broadcast.status == Broadcast.Status.DRAFT:
        count = selectors.recipient_count(broadcast.mission, selectors.Selection.of(broadcast))
    return render(
        request,
        "broadcast/detail.html",
        {
            "broadcast": broadcast,
            "count": count,
            "error": error,
            "may_send": may_send,
            "progress": selectors.progress(broadcast),
            "help_cases": selectors.help_cases([broadcast.mission_id]).filter(
                delivery__broadcast=broadcast
            )[:50],
        },
    )


@login_required
@require_GET
def broadcast_progress(request, public_id):
    """The progress counts, polled by the page while the broadcast is sending. Reads only."""
    broadcast = get_object_or_404(_broadcasts(request), public_id=public_id)
    return render(
        request,
        "broadcast/_progress.html",
        {"broadcast": broadcast, "progress": selectors.progress(broadcast)},
    )


# The citizen's reply ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def reply(request, token: str):
    try:
        delivery = services.delivery_for_token(token)
    except NotFound as exc:
        return render(request, "broadcast/reply_closed.html", {"message": exc.message}, status=404)
    broadcast = delivery.broadcast
    use_mission(request, broadcast.mission)
    if not services.reply_open(delivery):
        return render(
            request,
            "broadcast/reply_closed.html",
            {"message": _("Waktu untuk menjawab pesan ini sudah lewat.")},
            status=410,
        )
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_record(
                delivery=delivery,
                answer=form.cleaned_data["answer"],
                note=form.cleaned_data["note"],
                phone=form.cleaned_data["phone"],
            )
        except PanduError as exc:
            apply_errors(form, exc)
        else:
            return render(
                request,
                "broadcast/reply_thanks.html",
                {
                    "help": form.cleaned_data["answer"] == Delivery.Answer.HELP,
                    "mission": broadcast.mission,
                },
            )
    language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("id", "en") else "id"
    return render(
        request,
        "broadcast/reply.html",
        {
            "form": form,
            "mission": broadcast.mission,
            "subject": broadcast.subject(language),
            "body": broadcast.body(language),
        },
    )


# The help list ---------------------------------------------------------------------------------


def _help_missions(request) -> list[int]:
    allowed = missions_for(request.user, HELP_VIEW_PERM)
    if not allowed:
        raise PermissionDenied
    return allowed


@login_required
@require_GET
def help_list(request):
    cases = selectors.help_cases(_help_missions(request))
    show = request.GET.get("status", "active")
    if show == "active":
        cases = cases.exclude(status=HelpCase.Status.RESOLVED)
    else:
        show = "all"
    return render(request, "broadcast/help_list.html", {"cases": cases[:200], "show": show})


@login_required
@require_http_methods(["GET", "POST"])
def help_detail(request, public_id):
    case = get_object_or_404(selectors.help_cases(_help_missions(request)), public_id=public_id)
    use_mission(request, case.mission)
    may_change = request.user.has_perm(services.HELP_PERM, case.mission)
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not may_change:
        raise PermissionDenied
    form = NoteForm(request.POST if action in {"note", "resolve"} else None)
    if action == "claim":
        try:
            services.help_claim(case=case, by=request.user)
        except PanduError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Anda menangani permintaan ini."))
        return redirect("broadcast:help_detail", public_id=case.public_id)
    try:
        if action in {"note", "resolve"} and form.is_valid():
            if action == "resolve":
                services.help_resolve(case=case, text=form.cleaned_data["text"], by=request.user)
                messages.success(request, _("Permintaan bantuan diselesaikan."))
            else:
                services.help_note(case=case, text=form.cleaned_data["text"], by=request.user)
                messages.success(request, _("Catatan disimpan."))
            return redirect("broadcast:help_detail", public_id=case.public_id)
    except PanduError as exc:
        apply_errors(form, exc)
    delivery = case.delivery
    return render(
        request,
        "broadcast/help_detail.html",
        {
            "case": case,
            "delivery": delivery,
            "citizen": delivery.citizen,
            "registration": delivery.registration,
            "replies": delivery.replies.all(),
            "notes": case.notes.select_related("author"),
            "form": form,
            "may_change": may_change and case.status != HelpCase.Status.RESOLVED,
        },
    )
