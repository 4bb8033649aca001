"""Staff pages for account deletion requests: the list, the preview, confirm and refuse.

Only staff holding ``privacy.decide_deletion`` at the citizen's mission see a request; a request
of another mission is not found (404), and anyone without the permission anywhere is refused
(403). Requests are addressed by their public id.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pandu.core.errors import PanduError
from pandu.core.forms import apply_errors
from pandu.people.backends import missions_for
from pandu.people.models import AccountDeletionRequest
from pandu.privacy import services
from pandu.privacy.forms import ConfirmForm, RefuseForm
from pandu.privacy.models import Kind
from pandu.privacy.retention import deletion_preview
from pandu.privacy.rules import rules_for

PERMISSION = "privacy.decide_deletion"


def _visible(request):
    missions = missions_for(request.user, PERMISSION)
    if not missions:
        raise PermissionDenied
    # A decided request is found by its decision's mission: its profile may be gone.
    return AccountDeletionRequest.objects.filter(
        Q(user__citizen__mission__in=missions) | Q(decision__mission__in=missions)
    ).select_related("user__citizen__mission", "decision")


@login_required
@require_GET
def deletion_list(request):
    requests = _visible(request)
    return render(
        request,
        "privacy/deletion_list.html",
        {
            "open_requests": requests.filter(
                status=AccountDeletionRequest.Status.REQUESTED
            ).order_by("requested_at"),
            "decided": requests.exclude(status=AccountDeletionRequest.Status.REQUESTED).order_by(
                "-requested_at"
            )[:50],
        },
    )


def _recorded_lines(decision) -> list[dict]:
    """The lines a confirmation recorded, with labels in the page's language."""
    english = (get_language() or "id").startswith("en")
    lines = []
    for item in decision.items if decision is not None else []:
        until = item.get("until")
        lines.append(
            {
                "kind_label": Kind(item["kind"]).label,
                "outcome": item["outcome"],
                "count": item.get("count"),
                "until": dt.date.fromisoformat(until) if until else None,
                "legal_basis": item.get("legal_basis_en" if english else "legal_basis_id")
                or item.get("legal_basis_id", ""),
            }
        )
    return lines


def _render_detail(request, found, confirm_form=None, refuse_form=None, status=200):
    citizen = getattr(found.user, "citizen", None) if found.user else None
    is_open = found.status == AccountDeletionRequest.Status.REQUESTED and citizen is not None
    lines = deletion_preview(citizen=citizen) if is_open else []
    mission = citizen.mission if citizen is not None else found.decision.mission
    return render(
        request,
        "privacy/deletion_detail.html",
        {
            "item": found,
            "citizen": citizen,
            "is_open": is_open,
            "decision": getattr(found, "decision", None),
            "recorded": _recorded_lines(getattr(found, "decision", None)),
            "lines": lines,
            "blocked": any(line.outcome == "open" for line in lines),
            "rules": list(rules_for(mission).values()),
            "confirm_form": confirm_form or ConfirmForm(prefix="confirm"),
            "refuse_form": refuse_form or RefuseForm(prefix="refuse"),
        },
        status=status,
    )


@login_required
@require_GET
def deletion_detail(request, public_id):
    found = get_object_or_404(_visible(request), public_id=public_id)
    return _render_detail(request, found)


@login_required
@require_POST
def deletion_confirm(request, public_id):
    found = get_object_or_404(_visible(request), public_id=public_id)
    form = ConfirmForm(request.POST, prefix="confirm")
    if form.is_valid():
        try:
            services.deletion_confirm(request=found, by=request.user)
        except PanduError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Akun sudah dihapus dan WNI sudah diberi tahu apa yang disimpan.")
            )
            return redirect("privacy:deletion_list")
    found.refresh_from_db()
    return _render_detail(request, found, confirm_form=form)


@login_required
@require_POST
def deletion_refuse(request, public_id):
    found = get_object_or_404(_visible(request), public_id=public_id)
    form = RefuseForm(request.POST, prefix="refuse")
    if form.is_valid():
        try:
            services.deletion_refuse(
                request=found, by=request.user, reason=form.cleaned_data["reason"]
            )
        except PanduError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Permintaan ditolak dan WNI sudah diberi tahu alasannya."))
            return redirect("privacy:deletion_list")
    found.refresh_from_db()
    return _render_detail(request, found, refuse_form=form)
