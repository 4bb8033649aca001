from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.core.errors import ValidationFailed
from pandu.core.forms import apply_errors
from pandu.core.ratelimit import page_limit
from pandu.notify import tokens
from pandu.notify.forms import ContactPreferenceForm
from pandu.notify.models import Channel, ContactPreference
from pandu.notify.preferences import (
    TEXT_CHANNELS,
    preference_get,
    preference_opt_out,
    preference_set,
)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """The citizen's channel for notices, their number and their consent to SMS and WhatsApp."""
    preference = preference_get(request.user)
    if preference is None:
        citizen = getattr(request.user, "citizen", None)
        initial = {"channel": Channel.EMAIL, "phone": getattr(citizen, "phone", ""), "consents": []}
    else:
        initial = {
            "channel": preference.channel,
            "phone": preference.phone,
            "consents": [c for c in TEXT_CHANNELS if preference.consented(c)],
        }
    form = ContactPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            preference_set(
                user=request.user,
                channel=form.cleaned_data["channel"],
                phone=form.cleaned_data["phone"],
                consents=set(form.cleaned_data["consents"]),
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Pilihan pemberitahuan Anda sudah disimpan."))
            return redirect("people:profile")
    return render(request, "notify/preferences.html", {"form": form, "preference": preference})


def _masked(phone: str) -> str:
    return f"•••{phone[-3:]}" if phone else ""


@require_http_methods(["GET", "POST"])
@page_limit("manage-link", methods=("GET", "POST"))
def stop(request, token: str):
    """The stop link in every SMS or WhatsApp message: a page asking to confirm (a link preview
    must not opt anyone out), then the opt-out. No sign-in is needed; the token is signed."""
    found = tokens.stop_token_read(token)
    if found is None:
        return render(
            request, "error.html", {"title": _("Tautan berhenti ini tidak berlaku.")}, status=404
        )
    preference, channel = found
    done = False
    if request.method == "POST":
        preference_opt_out(
            preference=preference, channel=channel, source=ContactPreference.Source.LINK
        )
        done = True
    return render(
        request,
        "notify/stop.html",
        {
            "channel_label": Channel(channel).label,
            "phone": _masked(preference.phone),
            "done": done,
        },
    )
