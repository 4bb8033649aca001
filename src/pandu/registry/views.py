"""Lapor diri pages: the citizen registers, updates, renews, ends and downloads the letter; staff
of a mission list, search and read their mission's registrations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.errors import NotFound, PanduError
from pandu.core.middleware import use_mission
from pandu.notify.preferences import preference_get
from pandu.people.backends import missions_for
from pandu.registry import selectors, services
from pandu.registry.forms import (
    MemberFormSet,
    StaffSearchForm,
    StayForm,
    apply_stay_errors,
    members_of,
)
from pandu.registry.models import StayRegistration


def _citizen(request):
    citizen = getattr(request.user, "citizen", None)
    if citizen is None:
        raise Http404
    return citizen


def _context(request, citizen, registration=None) -> dict:
    preference = preference_get(request.user)
    return {
        "citizen": citizen,
        "registration": registration,
        "channel": preference.get_channel_display() if preference else _("Surel"),
    }


@login_required
def mine(request):
    citizen = _citizen(request)
    use_mission(request, citizen.mission)
    active = selectors.active_registration(citizen)
    history = [r for r in selectors.citizen_registrations(citizen) if r != active]
    return render(
        request,
        "registry/mine.html",
        {
            **_context(request, citizen, active),
            "members": list(active.members.all()) if active else [],
            "renewal_due": services.renewal_due(active) if active else None,
            "history": history,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    citizen = _citizen(request)
    use_mission(request, citizen.mission)
    if selectors.active_registration(citizen) is not None:
        return redirect("registry:edit")
    initial = {
        "address_line": citizen.address_line,
        "city": citizen.city,
        "province": citizen.province,
        "postal_code": citizen.postal_code,
        "phone": citizen.phone,
        "language": request.user.preferred_language,
    }
    return _stay_form(request, citizen, None, initial)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request):
    citizen = _citizen(request)
    registration = selectors.active_registration(citizen)
    if registration is None:
        return redirect("registry:register")
    use_mission(request, registration.mission)
    initial = {name: getattr(registration, name) for name in services.FIELDS}
    members = [
        {
            "full_name": m.full_name,
            "relation": m.relation,
            "date_of_birth": m.date_of_birth,
            "is_citizen": m.is_citizen,
        }
        for m in registration.members.all()
    ]
    return _stay_form(request, citizen, registration, initial, members)


def _stay_form(request, citizen, registration, initial, members=()):
    form = StayForm(request.POST or None, initial=initial)
    formset = MemberFormSet(request.POST or None, initial=list(members), prefix="members")
    handover_to = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows, used = members_of(formset)
        try:
            if registration is None:
                saved = services.stay_register(
                    citizen=citizen, by=request.user, fields=form.fields_data(), members=rows
                )
                messages.success(
                    request,
                    _("Lapor diri Anda sudah tercatat. Surat keterangan dapat diunduh di bawah."),
                )
            else:
                saved = services.stay_update(
                    registration=registration,
                    by=request.user,
                    fields=form.fields_data(),
                    members=rows,
                    handover_consent=form.cleaned_data["handover_consent"],
                )
                if saved.mission_id != registration.mission_id:
                    messages.success(
                        request,
                        _("Lapor diri Anda sudah diserahkan ke %(mission)s.")
                        % {"mission": saved.mission.name},
                    )
                    if citizen.mission_id != saved.mission_id:
                        messages.info(
                            request,
                            _(
                                "Ubah juga alamat di profil akun Anda, agar janji temu dan "
                                "permohonan Anda dilayani oleh perwakilan yang baru."
                            ),
                        )
                else:
                    messages.success(request, _("Data lapor diri Anda sudah diperbarui."))
        except services.HandoverNeeded as exc:
            handover_to = exc.mission
            apply_stay_errors(form, used, exc)
        except PanduError as exc:
            apply_stay_errors(form, used, exc)
        else:
            return redirect("registry:mine")
    return render(
        request,
        "registry/form.html",
        {
            **_context(request, citizen, registration),
            "form": form,
            "formset": formset,
            "handover_to": handover_to,
            "member_errors": [(index + 1, f) for index, f in enumerate(formset.forms) if f.errors],
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def renew(request):
    citizen = _citizen(request)
    registration = selectors.active_registration(citizen)
    if registration is None:
        raise Http404
    try:
        services.stay_renew(registration=registration, by=request.user)
    except PanduError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Terima kasih, lapor diri Anda sudah diperbarui untuk setahun.")
        )
    return redirect("registry:mine")


@login_required
@require_POST
def end(request):
    citizen = _citizen(request)
    registration = selectors.active_registration(citizen)
    if registration is None:
        raise Http404
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Centang pernyataan bahwa Anda sudah meninggalkan wilayah ini."))
        return redirect("registry:mine")
    try:
        services.stay_end(registration=registration, by=request.user)
    except PanduError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Lapor diri Anda sudah diakhiri."))
    return redirect("registry:mine")


@login_required
def letter(request):
    """The signed letter of the active registration, issued in the background once the
    registration (or its change or renewal) committed; until it is, a page says it is being
    prepared (this GET only reads)."""
    citizen = _citizen(request)
    registration = selectors.active_registration(citizen)
    if registration is None:
        raise Http404
    try:
        content = services.stay_letter(registration=registration, by=request.user)
    except NotFound as exc:
        raise Http404 from exc
    except PanduError as exc:
        messages.error(request, exc.message)
        return redirect("registry:mine")
    if content is None:
        return render(
            request,
            "issuance/letter_pending.html",
            {
                "reason": services.stay_letter_pending_reason(registration),
                "back": reverse("registry:mine"),
                "back_label": _("Lapor diri saya"),
            },
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="surat-lapor-diri.pdf"'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- staff ------------------------------------------------------------------------------------


@login_required
def staff_list(request):
    if not missions_for(request.user, selectors.VIEW_PERMISSION):
        raise PermissionDenied
    form = StaffSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.staff_registrations(
        request.user,
        query=filters.get("q", ""),
        status=filters.get("status", "") if form.is_bound else StayRegistration.Status.ACTIVE,
        purpose=filters.get("purpose", ""),
        province=filters.get("province", ""),
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/staff_list.html",
        {"form": form, "page": page, "total": page.paginator.count, "query": query.urlencode()},
    )


@login_required
def staff_detail(request, public_id):
    if not missions_for(request.user, selectors.VIEW_PERMISSION):
        raise PermissionDenied
    registration = selectors.registration_for_staff(request.user, public_id)
    if registration is None:
        raise Http404
    use_mission(request, registration.mission)
    return render(
        request,
        "registry/staff_detail.html",
        {
            "registration": registration,
            "members": list(registration.members.all()),
            "renewal_due": services.renewal_due(registration),
        },
    )
