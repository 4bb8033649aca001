"""Account pages: sign-up, e-mail verification, sign-in, profile, data export and deletion
request."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.core.errors import PanduError, PermissionDenied, ValidationFailed
from pandu.core.forms import apply_errors
from pandu.core.ratelimit import page_limit
from pandu.people import export, forms, profile_parts, services
from pandu.people.models import AccountDeletionRequest, User


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("people:profile")
    form = forms.SignupForm(request.POST or None, initial={"preferred_language": get_language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.citizen_register(
                email=data["email"],
                password=data["password1"],
                profile={f: data.get(f) for f in services.PROFILE_FIELDS},
                language=data["preferred_language"],
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            request.session["signup_email"] = data["email"]
            return redirect("people:signup_done")
    return render(request, "people/signup.html", {"form": form})


def signup_done(request):
    return render(
        request, "people/signup_done.html", {"email": request.session.get("signup_email", "")}
    )


def verify_email(request, token: str):
    try:
        services.email_verify(token=token)
    except PanduError as exc:
        return render(request, "people/verify_failed.html", {"message": exc.message}, status=400)
    messages.success(request, _("Alamat surel Anda sudah dikonfirmasi. Silakan masuk."))
    return redirect("people:login")


@require_http_methods(["GET", "POST"])
def verify_resend(request):
    form = forms.ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if user is not None:
            services.email_verification_resend(user=user)
        # Same answer whether or not the address is known, so nobody can probe for accounts.
        messages.success(
            request,
            _("Jika alamat itu terdaftar dan belum dikonfirmasi, kami telah mengirim tautan baru."),
        )
        return redirect("people:login")
    return render(request, "people/verify_resend.html", {"form": form})


class LoginView(auth_views.LoginView):
    template_name = "people/login.html"
    authentication_form = forms.EmailAuthenticationForm
    redirect_authenticated_user = True


@login_required
def profile(request):
    citizen = getattr(request.user, "citizen", None)
    # The latest request: open, or refused (its reason is on the decision, see pandu.privacy).
    deletion_request = (
        AccountDeletionRequest.objects.filter(user=request.user).order_by("-requested_at").first()
    )
    return render(
        request,
        "people/profile.html",
        {
            "citizen": citizen,
            "deletion_request": deletion_request,
            # The coming appointments, draw entries and waitlist places (profile_parts).
            **profile_parts.context(citizen),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    citizen = getattr(request.user, "citizen", None)
    if citizen is None:
        messages.info(request, _("Akun staf tidak memiliki profil WNI."))
        return redirect("people:profile")
    form = forms.ProfileForm(
        request.POST or None,
        instance=citizen,
        initial={"preferred_language": request.user.preferred_language},
    )
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data.get(f) for f in services.PROFILE_FIELDS}
        try:
            services.citizen_profile_update(
                user=request.user, changes=changes, language=form.cleaned_data["preferred_language"]
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Profil Anda sudah disimpan."))
            return redirect("people:profile")
    else:
        # The form must not change the instance it shows when the service refuses the change.
        citizen.refresh_from_db()
    return render(request, "people/profile_edit.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def delete_request(request):
    form = forms.DeletionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_deletion_request(user=request.user, reason=form.cleaned_data["reason"])
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Permintaan penghapusan akun Anda sudah kami terima."))
            return redirect("people:profile")
    return render(request, "people/delete_request.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
@page_limit("data-export")
def data_export(request):
    """GET explains what the download holds (and writes nothing); POST returns the ZIP."""
    try:
        if request.method == "POST":
            made = export.citizen_data_export_made(user=request.user)
        else:
            export.export_check(user=request.user)
    except PermissionDenied as exc:
        return render(request, "error.html", {"title": exc.message}, status=403)
    if request.method == "GET":
        return render(request, "people/data_export.html", {"contents": export.contents()})
    response = HttpResponse(made.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
