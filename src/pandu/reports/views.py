"""Dashboard, exports and the monthly PDF for a mission's supervisors and head; the public page.

Thin: each view checks who may look, reads the filters, and hands the figures of ``tables`` (built
from ``figures``) to a template or an export. Staff without ``reports.view_dashboard`` at any
mission are refused; a mission they do not hold it at is not found.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from pandu.audit.checkpoints import checkpoint_latest
from pandu.core import clock
from pandu.core.middleware import use_mission, visitor_mission
from pandu.core.models import Mission
from pandu.people.backends import missions_for
from pandu.people.missions import staff_mission
from pandu.reports import charts, exports, figures, tables
from pandu.reports.forms import FilterForm

PERM = "reports.view_dashboard"
FILTER_KEYS = ("month", "start", "end", "service")
FORMATS = {"csv": exports.CSV_TYPE, "xlsx": exports.XLSX_TYPE}


def _form(request, mission: Mission) -> FilterForm:
    bound = any(request.GET.get(key) for key in FILTER_KEYS)
    return FilterForm(request.GET if bound else None, mission=mission, today=clock.today(mission))


def _filters(form: FilterForm, mission: Mission) -> tables.Filters:
    if form.is_bound:
        return tables.Filters(mission, form.period(), form.service_obj(), timezone.now())
    return tables.Filters(
        mission, figures.Period.month_of(clock.today(mission)), None, timezone.now()
    )


def _query(request, mission: Mission) -> str:
    params = {"mission": mission.slug}
    params.update({k: request.GET[k] for k in FILTER_KEYS if request.GET.get(k)})
    return urlencode(params)


def _page(request, mission: Mission, form: FilterForm, status: int = 200, **context):
    return render(
        request,
        "reports/dashboard.html",
        {
            "mission": mission,
            "missions": Mission.objects.filter(pk__in=missions_for(request.user, PERM)),
            "form": form,
            "query": _query(request, mission),
            **context,
        },
        status=status,
    )


@login_required
@require_GET
def dashboard(request):
    mission = staff_mission(request, perm=PERM)
    form = _form(request, mission)
    if form.is_bound and not form.is_valid():
        return _page(request, mission, form, status=400)
    filters = _filters(form, mission)
    return _page(
        request,
        mission,
        form,
        filters=filters,
        tables=tables.build_all(filters),
        month=filters.period.start if filters.period.is_month else None,
    )


@login_required
@require_GET
def export(request, key: str, fmt: str):
    if key not in tables.BUILDERS or fmt not in FORMATS:
        raise Http404
    mission = staff_mission(request, perm=PERM)
    form = _form(request, mission)
    if form.is_bound and not form.is_valid():
        return _page(request, mission, form, status=400)
    filters = _filters(form, mission)
    table = tables.build(key, filters)
    period = filters.period
    name = f"pandu-{mission.slug}-{key}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"
    if fmt == "csv":
        body = exports.to_csv(table)
    else:
        title = (
            f"{table.caption} · {mission.name} · {period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}"
        )
        body = exports.to_xlsx(table, title=title)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_GET
def monthly_pdf(request):
    """The month's report (the filter's month, else this month) as a PDF for the ministry."""
    from weasyprint import HTML  # noqa: PLC0415

    mission = staff_mission(request, perm=PERM)
    form = _form(request, mission)
    if form.is_bound and not form.is_valid():
        return _page(request, mission, form, status=400)
    filters = _filters(form, mission)
    if not filters.period.is_month:
        filters = tables.Filters(
            mission, figures.Period.month_of(filters.period.start), filters.service, filters.now
        )
    built = tables.build_all(filters)
    for table in built:
        table.chart_uris = [charts.data_uri(svg) for svg in table.charts]
    context = {
        "mission": mission,
        "filters": filters,
        "tables": built,
        "ikm": figures.ikm(mission, filters.period, filters.service),
        "ikm_table": next(t for t in built if t.key == "ikm"),
        "made_at": timezone.now(),
        "audit_checkpoint": checkpoint_latest(),
    }
    html = render_to_string("reports/monthly_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"pandu-{mission.slug}-laporan-{filters.period.start:%Y-%m}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    return response


# --- public -----------------------------------------------------------------------------------


@require_GET
def public_default(request):
    mission = getattr(request, "mission", None) or visitor_mission(request)
    if mission is None:
        raise Http404
    return redirect("reports:public", mission=mission.slug)


@require_GET
def public(request, mission: str):
    found = use_mission(request, get_object_or_404(Mission, slug=mission, is_active=True))
    return render(
        request,
        "reports/public.html",
        {
            "mission": found,
            "performance": figures.public_performance(found),
            "min_cases": figures.MIN_CASES,
        },
    )
