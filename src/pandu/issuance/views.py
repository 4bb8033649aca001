"""The public verification page of an issued document: its key facts, its validity, and an
upload form that checks a PDF against the signature and the register (nothing is stored)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from pandu.core.middleware import use_mission
from pandu.issuance.forms import VerifyPdfForm
from pandu.issuance.models import IssuedDocument
from pandu.issuance.verification import verify_pdf


@require_http_methods(["GET", "POST"])
def verify(request, public_id):
    document = get_object_or_404(
        IssuedDocument.objects.select_related("mission"), public_id=public_id
    )
    use_mission(request, document.mission)
    result = None
    form = VerifyPdfForm()
    status = 200
    if request.method == "POST":
        form = VerifyPdfForm(request.POST, request.FILES)
        if form.is_valid():
            result = verify_pdf(form.cleaned_data["file"].read(), document=document)
            form = VerifyPdfForm()
        else:
            status = 422
    response = render(
        request,
        "issuance/verify.html",
        {
            "document": document,
            "mission": document.mission,
            "status": document.status_on(timezone.localdate()),
            "form": form,
            "result": result,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
