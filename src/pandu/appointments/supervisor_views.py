"""The supervisor's planning pages: fill rates, sessions, Saturday rules and closed or opened days.

Every page belongs to one mission the user supervises (``?mission=`` picks among several). An
object of another mission is not found, and staff without the planning permissions are refused.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.appointments import calendar, closures, draw, planning, reports, services
from pandu.appointments import supervisor_forms as forms
from pandu.appointments.models import CalendarOverride, SaturdayRule, Session, SessionQuota
from pandu.catalog.models import Service
from pandu.core import clock
from pandu.core.errors import PanduError, ValidationFailed
from pandu.core.errors import PermissionDenied as Refused
from pandu.core.forms import apply_errors
from pandu.core.middleware import use_mission
from pandu.core.models import Mission
from pandu.people.backends import missions_for
from pandu.people.missions import staff_mission

AREA_PERM = "appointments.change_session"
RULE_SALT = "pandu.appointments.saturday_rule"


def _require(request, perm: str, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _refused(exc: PanduError) -> None:
    """The services check who may plan (``Refused``); the page answers that with a 403."""
    if isinstance(exc, Refused):
        raise PermissionDenied from exc


def _session(request, public_id, perm: str = AREA_PERM) -> Session:
    if not missions_for(request.user, AREA_PERM):
        raise PermissionDenied
    session = get_object_or_404(
        Session.objects.select_related("mission"),
        public_id=public_id,
        mission_id__in=missions_for(request.user, perm),
    )
    use_mission(request, session.mission)
    return session


def _base_context(request, mission: Mission, section: str) -> dict:
    return {
        "mission": mission,
        "section": section,
        "missions": Mission.objects.filter(pk__in=missions_for(request.user, AREA_PERM)),
    }


def _with_mission(url: str, mission: Mission, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in {"mission": mission.slug, **params}.items())
    return f"{url}?{query}"


# --- fill rates -----------------------------------------------------------------------------


def _month(value: str, default: dt.date) -> dt.date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return default.replace(day=1)


@login_required
def month(request):
    mission = staff_mission(request, perm=AREA_PERM, read=("POST", "GET"))
    first = _month(request.GET.get("month", ""), clock.today(mission))
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    report = reports.fill_rates(mission, first, last)
    return render(
        request,
        "appointments/supervisor/month.html",
        {
            **_base_context(request, mission, "month"),
            "first": first,
            "previous": (first - dt.timedelta(days=1)).replace(day=1),
            "next": last + dt.timedelta(days=1),
            "report": report,
        },
    )


# --- one session ----------------------------------------------------------------------------


def _session_page(request, session: Session, status: int = 200, **forms_given):
    slots = list(session.slots.select_related("service").order_by("starts_at", "service__order"))
    services_ = list(Service.objects.filter(mission=session.mission, is_active=True))
    has_bookings = planning.session_has_bookings(session)
    context = {
        **_base_context(request, session.mission, "month"),
        "session": session,
        "capacity_form": forms_given.get("capacity_form") or forms.CapacityForm(slots=slots),
        "quota_form": forms_given.get("quota_form") or forms.QuotaForm(services=services_),
        "hours_form": forms_given.get("hours_form")
        or forms.HoursForm(
            initial={"opens": session.opens, "closes": session.closes, "counters": session.counters}
        ),
        "quotas": SessionQuota.objects.filter(session=session).select_related("service"),
        "release_form": forms_given.get("release_form") or _release_form(session),
        "has_bookings": has_bookings,
        "booked": sum(slot.booked for slot in slots),
        "capacity": sum(slot.capacity for slot in slots),
        "can_change_slot": request.user.has_perm("appointments.change_slot", session),
        "can_quota": request.user.has_perm("appointments.change_sessionquota", session)
        and request.user.has_perm("appointments.add_sessionquota", session),
    }
    return render(request, "appointments/supervisor/session.html", context, status=status)


@login_required
def session_detail(request, public_id):
    session = _session(request, public_id)
    return _session_page(request, session)


@login_required
@require_POST
def session_capacity(request, public_id):
    session = _session(request, public_id)
    slots = list(session.slots.select_related("service").order_by("starts_at", "service__order"))
    form = forms.CapacityForm(request.POST, slots=slots)
    if not form.is_valid():
        return _session_page(request, session, status=400, capacity_form=form)
    try:  # every slot or none, in one transaction
        changed = planning.session_capacities_set(
            session=session,
            capacities={slot: form.cleaned_data[name] for name, slot in form.slots.items()},
            by=request.user,
        )
    except PanduError as exc:
        _refused(exc)
        errors = exc.errors if isinstance(exc, ValidationFailed) else {}
        for name, slot in form.slots.items():
            for message in errors.get(str(slot.public_id), []):
                form.add_error(name, message)
        if not errors:
            form.add_error(None, exc.message)
        return _session_page(request, session, status=400, capacity_form=form)
    messages.success(request, _("Kapasitas %(count)d slot sudah diubah.") % {"count": changed})
    return redirect("appointments:supervisor_session", public_id=session.public_id)


@login_required
@require_POST
def session_quota(request, public_id):
    session = _session(request, public_id)
    services_ = list(Service.objects.filter(mission=session.mission, is_active=True))
    form = forms.QuotaForm(request.POST, services=services_)
    if form.is_valid():
        try:
            planning.session_quota_set(
                session=session,
                service=form.cleaned_service(),
                channel=form.cleaned_data["channel"],
                limit=form.cleaned_data["limit"],
                by=request.user,
            )
        except PanduError as exc:
            _refused(exc)
            apply_errors(form, exc)
        else:
            messages.success(request, _("Kuota sudah disimpan."))
            return redirect("appointments:supervisor_session", public_id=session.public_id)
    return _session_page(request, session, status=400, quota_form=form)


@login_required
@require_POST
def session_hours(request, public_id):
    session = _session(request, public_id)
    form = forms.HoursForm(request.POST)
    if form.is_valid():
        try:
            planning.session_hours_set(session=session, by=request.user, **form.cleaned_data)
        except PanduError as exc:
            _refused(exc)
            apply_errors(form, exc)
        else:
            messages.success(request, _("Jam sesi sudah diubah dan slotnya dibuat ulang."))
            return redirect("appointments:supervisor_session", public_id=session.public_id)
    session.refresh_from_db()
    return _session_page(request, session, status=400, hours_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def extra_session_new(request):
    mission = staff_mission(
        request, perm="appointments.add_session", gate=AREA_PERM, read=("POST", "GET")
    )
    services_ = list(Service.objects.filter(mission=mission, is_active=True))
    form = forms.ExtraSessionForm(
        request.POST if request.method == "POST" else None,
        services=services_,
        today=clock.today(mission),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.extra_session_create(
                mission=mission,
                day=data["date"],
                opens=data["opens"],
                closes=data["closes"],
                counters=data["counters"],
                location_name=data["location_name"].strip(),
                address=data["address"].strip(),
                slots=[(s, seats) for s, seats in form.service_values().items() if seats],
                by=request.user,
            )
        except PanduError as exc:
            _refused(exc)
            apply_errors(form, exc)
        else:
            messages.success(request, _("Sesi tambahan sudah dibuat."))
            return redirect("appointments:supervisor_session", public_id=session.public_id)
    return render(
        request,
        "appointments/supervisor/extra_new.html",
        {**_base_context(request, mission, "month"), "form": form},
        status=400 if form.is_bound else 200,
    )


# --- Saturday rules -------------------------------------------------------------------------


def rule_token(rule: SaturdayRule) -> str:
    """An opaque reference for a Saturday rule in URLs (the model has no public id)."""
    return signing.dumps(rule.pk, salt=RULE_SALT)


def _rule(request, token: str) -> SaturdayRule:
    try:
        pk = signing.loads(token, salt=RULE_SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    rule = get_object_or_404(
        SaturdayRule.objects.select_related("mission"),
        pk=pk,
        mission_id__in=missions_for(request.user, "appointments.change_saturdayrule"),
    )
    use_mission(request, rule.mission)
    return rule


def _saturday_page(request, mission: Mission, status: int = 200, **forms_given):
    services_ = _saturday_services(mission)
    today = clock.today(mission)
    rules = list(SaturdayRule.objects.filter(mission=mission).order_by("-valid_from", "opens"))
    for rule in rules:
        rule.token = rule_token(rule)
        rule.end_error = (forms_given.get("end_errors") or {}).get(rule.pk)
        rule.is_current = rule.valid_until is None or rule.valid_until >= today
        rule.week_labels = [
            str(label) for value, label in forms.WEEK_CHOICES if int(value) in rule.weeks
        ]
        rule.quota_list = [
            (s.name, rule.quotas[s.code]) for s in services_ if s.code in rule.quotas
        ]
    return render(
        request,
        "appointments/supervisor/saturday.html",
        {
            **_base_context(request, mission, "saturday"),
            "rules": rules,
            "form": forms_given.get("form")
            or forms.SaturdayRuleForm(
                services=services_,
                initial={"valid_from": today, "counters": 2, "opens": "09:00", "closes": "13:00"},
            ),
            "generate_form": forms_given.get("generate_form") or forms.GenerateForm(),
            "can_add": request.user.has_perm("appointments.add_saturdayrule", mission),
            "can_generate": request.user.has_perm("appointments.add_session", mission),
            "services": services_,
            "today": today,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def saturday_rules(request):
    mission = staff_mission(
        request, perm="appointments.view_saturdayrule", gate=AREA_PERM, read=("POST", "GET")
    )
    if request.method != "POST":
        return _saturday_page(request, mission)
    services_ = _saturday_services(mission)
    form = forms.SaturdayRuleForm(request.POST, services=services_)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.saturday_rule_create(
                mission=mission,
                weeks=[int(w) for w in data["weeks"]],
                opens=data["opens"],
                closes=data["closes"],
                counters=data["counters"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                quotas=form.quotas(),
                by=request.user,
            )
        except PanduError as exc:
            _refused(exc)
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Aturan Sabtu sudah dibuat. Buat sesinya dengan tombol di bawah."),
            )
            return redirect(_with_mission(reverse("appointments:supervisor_saturday"), mission))
    return _saturday_page(request, mission, status=400, form=form)


def _saturday_services(mission: Mission) -> list[Service]:
    return [
        s
        for s in Service.objects.filter(mission=mission, is_active=True)
        if "saturday" in (s.channels or [])
    ]


@login_required
@require_http_methods(["GET", "POST"])
def saturday_rule_edit(request, token: str):
    rule = _rule(request, token)
    services_ = _saturday_services(rule.mission)
    initial = {
        "weeks": [str(w) for w in rule.weeks],
        "opens": rule.opens,
        "closes": rule.closes,
        "counters": rule.counters,
        "valid_from": rule.valid_from,
        "valid_until": rule.valid_until,
        **{f"quota_{code}": limit for code, limit in (rule.quotas or {}).items()},
    }
    form = forms.SaturdayRuleForm(
        request.POST if request.method == "POST" else None, services=services_, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            planning.saturday_rule_update(
                rule=rule,
                weeks=[int(w) for w in data["weeks"]],
                opens=data["opens"],
                closes=data["closes"],
                counters=data["counters"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                quotas=form.quotas(),
                by=request.user,
            )
        except PanduError as exc:
            _refused(exc)
            apply_errors(form, exc)
        else:
            messages.success(request, _("Aturan Sabtu sudah diubah."))
            return redirect(
                _with_mission(reverse("appointments:supervisor_saturday"), rule.mission)
            )
    return render(
        request,
        "appointments/supervisor/saturday_edit.html",
        {**_base_context(request, rule.mission, "saturday"), "form": form, "rule": rule},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def saturday_rule_end(request, token: str):
    rule = _rule(request, token)
    form = forms.RuleEndForm(request.POST)
    if form.is_valid():
        try:
            planning.saturday_rule_end(
                rule=rule, valid_until=form.cleaned_data["valid_until"], by=request.user
            )
        except PanduError as exc:
            _refused(exc)
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Aturan Sabtu berakhir pada %(date)s. Sesi yang sudah dibuat tetap ada; "
                    "tutup harinya jika perlu."
                )
                % {"date": form.cleaned_data["valid_until"].isoformat()},
            )
            return redirect(
                _with_mission(reverse("appointments:supervisor_saturday"), rule.mission)
            )
    errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
    return _saturday_page(request, rule.mission, status=400, end_errors={rule.pk: errors})


@login_required
@require_POST
def sessions_generate(request):
    mission = staff_mission(
        request, perm="appointments.add_session", gate=AREA_PERM, read=("POST", "GET")
    )
    form = forms.GenerateForm(request.POST)
    if form.is_valid():
        start = clock.today(mission)
        end = start + dt.timedelta(weeks=form.cleaned_data["weeks"])
        try:
            created = services.sessions_generate(
                mission=mission, start=start, end=end, by=request.user
            )
        except PanduError as exc:
            _refused(exc)
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(count)d sesi baru dibuat sampai %(date)s.")
                % {"count": created, "date": end.isoformat()},
            )
            return redirect(_with_mission(reverse("appointments:supervisor_saturday"), mission))
    return _saturday_page(request, mission, status=400, generate_form=form)


# --- closed and opened days -----------------------------------------------------------------

DAY_PERMS = ("appointments.add_calendaroverride", "appointments.change_calendaroverride")


@login_required
def days(request):
    mission = staff_mission(
        request, perm="appointments.view_calendaroverride", gate=AREA_PERM, read=("POST", "GET")
    )
    today = clock.today(mission)
    form = forms.DayForm(initial={"date": today + dt.timedelta(days=1)})
    horizon = today + dt.timedelta(days=365)
    overrides = {
        o.date: _with_reason(o)
        for o in CalendarOverride.objects.filter(mission=mission, date__gte=today).order_by("date")
    }
    holidays = calendar.public_holidays(
        today,
        horizon,
        host_country=mission.country,
        host_subdivision=mission.holiday_subdivision or None,
    )
    return render(
        request,
        "appointments/supervisor/days.html",
        {
            **_base_context(request, mission, "days"),
            "form": form,
            "overrides": list(overrides.values()),
            "past_overrides": CalendarOverride.objects.filter(
                mission=mission, date__lt=today
            ).order_by("-date")[:10],
            "holidays": [
                {"date": day, "names": names, "override": overrides.get(day)}
                for day, names in sorted(holidays.items())
            ],
            "can_change": all(request.user.has_perm(p, mission) for p in DAY_PERMS),
        },
    )


def _with_reason(override: CalendarOverride | None) -> CalendarOverride | None:
    """The override with its reason in the page's language, for templates."""
    if override is not None:
        override.reason = override.tr("reason")
    return override


def _day_from(data) -> dt.date | None:
    form = forms.DayForm(data)
    return form.cleaned_data["date"] if form.is_valid() else None


@login_required
@require_http_methods(["GET", "POST"])
def day_close(request):
    mission = staff_mission(
        request, perm="appointments.change_calendaroverride", gate=AREA_PERM, read=("POST", "GET")
    )
    for perm in (*DAY_PERMS, "appointments.change_session"):
        _require(request, perm, mission)
    if request.method == "POST":
        form = forms.DayCloseForm(request.POST)
        date = _day_from(request.POST)
    else:
        date = _day_from(request.GET)
        existing = CalendarOverride.objects.filter(mission=mission, date=date).first()
        form = forms.DayCloseForm(
            initial={
                "date": date,
                "reason_id": existing.reason_id if existing else "",
                "reason_en": existing.reason_en if existing else "",
            }
        )
    if date is None:
        messages.error(request, _("Isi tanggal yang benar."))
        return redirect(_with_mission(reverse("appointments:supervisor_days"), mission))
    if request.method == "POST" and form.is_valid():
        try:
            summary = closures.day_close(
                mission=mission,
                date=date,
                reason_id=form.cleaned_data["reason_id"],
                reason_en=form.cleaned_data["reason_en"],
                by=request.user,
            )
        except PanduError as exc:
            _refused(exc)
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "%(date)s ditutup. %(cancelled)d janji temu dibatalkan dan "
                    "%(mails)d surel dikirim."
                )
                % {
                    "date": date.isoformat(),
                    "cancelled": summary.cancelled,
                    "mails": summary.mails,
                },
            )
            return redirect(_with_mission(reverse("appointments:supervisor_days"), mission))
    return render(
        request,
        "appointments/supervisor/day_close.html",
        {
            **_base_context(request, mission, "days"),
            "form": form,
            "date": date,
            "is_past": date < clock.today(mission),
            "impact": closures.day_close_impact(mission, date),
            "sessions": Session.objects.filter(mission=mission, date=date).order_by("starts_at"),
            "override": _with_reason(
                CalendarOverride.objects.filter(mission=mission, date=date).first()
            ),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def day_open(request):
    mission = staff_mission(
        request, perm="appointments.change_calendaroverride", gate=AREA_PERM, read=("POST", "GET")
    )
    for perm in (*DAY_PERMS, "appointments.add_session"):
        _require(request, perm, mission)
    if request.method == "POST":
        form = forms.DayChangeForm(request.POST)
        date = _day_from(request.POST)
    else:
        date = _day_from(request.GET)
        form = forms.DayChangeForm(initial={"date": date})
    if date is None:
        messages.error(request, _("Isi tanggal yang benar."))
        return redirect(_with_mission(reverse("appointments:supervisor_days"), mission))
    if request.method == "POST" and form.is_valid():
        try:
            summary = closures.day_open(
                mission=mission,
                date=date,
                reason_id=form.cleaned_data["reason_id"],
                reason_en=form.cleaned_data["reason_en"],
                by=request.user,
            )
        except PanduError as exc:
            _refused(exc)
            apply_errors(form, exc)
        else:
            opened = summary.sessions_created + summary.sessions_reopened
            if opened:
                text = _("%(date)s dibuka dengan %(count)d sesi.") % {
                    "date": date.isoformat(),
                    "count": opened,
                }
            else:
                text = _(
                    "%(date)s dibuka, tetapi tidak ada jam buka atau aturan Sabtu untuk hari "
                    "itu. Buat sesi tambahan bila perlu."
                ) % {"date": date.isoformat()}
            messages.success(request, text)
            return redirect(_with_mission(reverse("appointments:supervisor_days"), mission))
    holidays = calendar.public_holidays(
        date, date, host_country=mission.country, host_subdivision=mission.holiday_subdivision
    )
    return render(
        request,
        "appointments/supervisor/day_open.html",
        {
            **_base_context(request, mission, "days"),
            "form": form,
            "date": date,
            "is_past": date < clock.today(mission),
            "holidays": holidays.get(date, []),
            "override": _with_reason(
                CalendarOverride.objects.filter(mission=mission, date=date).first()
            ),
        },
        status=400 if form.is_bound else 200,
    )


def _release_form(session: Session) -> forms.ReleaseForm:
    initial = {}
    if session.releases_at:
        local = timezone.localtime(session.releases_at, session.mission.zone)
        initial = {"release_date": local.date(), "release_time": local.time()}
    return forms.ReleaseForm(initial=initial)


@login_required
@require_POST
def session_release(request, public_id):
    """Set or clear the time a session's slots open; the first minutes are drawn (fair release)."""
    session = _session(request, public_id)
    form = forms.ReleaseForm(request.POST)
    if form.is_valid():
        day, time = form.cleaned_data["release_date"], form.cleaned_data["release_time"]
        releases_at = (
            calendar.local_to_utc(day, time, session.mission.zone) if day and time else None
        )
        try:
            draw.session_release_set(session=session, releases_at=releases_at, by=request.user)
        except PanduError as exc:
            _refused(exc)
            apply_errors(form, exc)
        else:
            messages.success(request, _("Waktu pembukaan slot sudah disimpan."))
            return redirect("appointments:supervisor_session", public_id=session.public_id)
    session.refresh_from_db()
    return _session_page(request, session, status=400, release_form=form)
