"""Writes on Pertiwi visit requests: asking for a home visit, correcting where the home is,
cancelling, and the alternative offered when no day trip can reach it.

A request needs an approval of Pertiwi eligibility valid on every date the person offers, only
services the mission offers through the Pertiwi channel, and one to ``MAX_WINDOWS`` times at home
(each in the future in the mission's time zone, within ``HORIZON_DAYS``, not overlapping). The
address defaults to the citizen's profile and is placed by the configured geocoder (postal-code
areas by default, so the point is approximate and may be corrected). The reach check
(``pandu.outreach.reach``) then flags homes no day trip can reach, with an alternative.

Access notes can reveal a disability: they are stored encrypted and never written to the audit
trail or to mails; neither is the address. Scheduling (dates, arrival windows) is the trip
planner's business, not this module's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pandu.audit.services import audit_record
from pandu.catalog.models import Channel, Service
from pandu.core import clock
from pandu.core.errors import PanduError, PermissionDenied, ValidationFailed
from pandu.core.geocoding import GeoPoint, geocoder, in_canada
from pandu.notify.services import email_send
from pandu.outreach import reach
from pandu.outreach.models import AccessNeed, VisitRequest, VisitWindow
from pandu.outreach.routing import Point
from pandu.outreach.selectors import latest_approval, travel_policy_for
from pandu.outreach.transitions import VISIT
from pandu.outreach.transitions import Event as VisitEvent
from pandu.people import identity
from pandu.people.models import CitizenProfile

#: Minutes added to the services' counter time for setting up the kit and packing it away.
SETUP_MINUTES = 15
MAX_WINDOWS = 6
#: Windows may be offered this many days ahead at most.
HORIZON_DAYS = 60
#: A shorter window rarely leaves a team room to arrive.
MIN_WINDOW_MINUTES = 30
MAX_ACCESS_NOTES = 1000

CHANGE_PERMISSION = "outreach.change_visitrequest"
ADD_PERMISSION = "outreach.add_visitrequest"
VIEW_PERMISSION = "outreach.view_visitrequest"

Status = VisitRequest.Status
OPEN_STATUSES = (
    Status.REQUESTED,
    Status.SCHEDULED,
    Status.CONFIRMED,
    Status.CHANGE_REQUESTED,
)

Window = tuple[dt.date, dt.time, dt.time]


def window_field(index: int) -> str:
    """The form field an error about the ``index``-th window (0-based) belongs to."""
    return f"window_{index}_date"


def visit_request_submit(
    *,
    citizen: CitizenProfile,
    submitted_by,
    services: Sequence[Service],
    windows: Sequence[Window],
    access_needs: Sequence[str] = (),
    access_notes: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    address_line: str = "",
    city: str = "",
    province: str = "",
    postal_code: str = "",
    now: dt.datetime | None = None,
) -> VisitRequest:
    """Record a request for a home visit, or refuse it with every problem named by its field.

    An empty address uses the citizen's profile; an empty contact is the citizen. Stops with
    ``PermissionDenied`` when someone else submits without ``outreach.add_visitrequest`` at the
    citizen's mission, and with ``PanduError("not_eligible")`` without a valid approval.
    """
    now = now or timezone.now()
    mission = citizen.mission
    zone = mission.zone
    today = clock.today(mission, now)
    if submitted_by != citizen.user and not submitted_by.has_perm(ADD_PERMISSION, mission):
        raise PermissionDenied(_("Anda tidak berwenang mengajukan kunjungan untuk orang ini."))
    approval = latest_approval(citizen, today)
    if approval is None:
        raise PanduError(
            _("Kunjungan rumah hanya untuk pemegang persetujuan Pertiwi yang masih berlaku."),
            code="not_eligible",
        )
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    services = list(services)
    if not services:
        error("services", _("Pilih paling sedikit satu layanan."))
    for service in services:
        if (
            service.mission_id != mission.pk
            or not service.is_active
            or Channel.PERTIWI not in (service.channels or [])
        ):
            error(
                "services",
                _("%(service)s tidak tersedia lewat kunjungan rumah.") % {"service": service},
            )

    windows = list(windows)
    if not windows:
        error("windows", _("Isi paling sedikit satu waktu Anda berada di rumah."))
    if len(windows) > MAX_WINDOWS:
        error("windows", _("Paling banyak %(n)d waktu.") % {"n": MAX_WINDOWS})
    last_day = today + dt.timedelta(days=HORIZON_DAYS)
    local_now = timezone.localtime(now, zone).replace(tzinfo=None)
    for index, (day, start, end) in enumerate(windows):
        field = window_field(index)
        if end <= start:
            error(field, _("Jam selesai harus sesudah jam mulai."))
        elif _minutes(end) - _minutes(start) < MIN_WINDOW_MINUTES:
            error(field, _("Sediakan paling sedikit %(n)d menit.") % {"n": MIN_WINDOW_MINUTES})
        if dt.datetime.combine(day, start) <= local_now:
            error(field, _("Waktu ini sudah lewat. Pilih waktu yang akan datang."))
        elif day > last_day:
            error(
                field,
                _("Pilih tanggal paling lambat %(date)s.") % {"date": _date_text(last_day)},
            )
        elif day > approval.valid_until:
            error(
                field,
                _("Persetujuan Pertiwi Anda berlaku sampai %(date)s.")
                % {"date": _date_text(approval.valid_until)},
            )
        for other_index, (other_day, other_start, other_end) in enumerate(windows[:index]):
            if other_day == day and start < other_end and other_start < end:
                error(
                    field,
                    _("Waktu ini bertumpang tindih dengan waktu ke-%(n)d.")
                    % {"n": other_index + 1},
                )
                break

    needs = list(dict.fromkeys(access_needs))
    if any(need not in AccessNeed.values for need in needs):
        error("access_needs", _("Pilih dari daftar kebutuhan akses."))
    access_notes = (access_notes or "").strip()
    if len(access_notes) > MAX_ACCESS_NOTES:
        error("access_notes", _("Catatan paling panjang %(n)d karakter.") % {"n": MAX_ACCESS_NOTES})
    contact_name = " ".join((contact_name or "").split()) or citizen.full_name
    if len(contact_name) > 120:
        error("contact_name", _("Nama paling panjang 120 karakter."))
    try:
        contact_phone = identity.normalise_phone(contact_phone or citizen.phone)
    except identity.IdentityError:
        error("contact_phone", _("Tulis nomor telepon, misalnya +1 416 555 0199."))

    address = _address(
        citizen,
        address_line=address_line,
        city=city,
        province=province,
        postal_code=postal_code,
        error=error,
    )
    if errors:
        raise ValidationFailed(errors)

    point = geocoder().locate(
        postal_code=address["postal_code"],
        address_line=address["address_line"],
        city=address["city"],
        province=address["province"],
    )
    with transaction.atomic():
        request = VisitRequest(
            mission=mission,
            citizen=citizen,
            eligibility=approval,
            submitted_by=submitted_by,
            **address,
            access_needs=needs,
            contact_name=contact_name,
            contact_phone=contact_phone,
            service_minutes=sum(s.counter_minutes for s in services) + SETUP_MINUTES,
        )
        _place(request, point)
        request.access_notes = access_notes
        _reach(request, services)
        request.save()
        request.services.set(services)
        linked = waiting_applications(citizen, services)
        request.applications.set(linked)
        VisitWindow.objects.bulk_create(
            VisitWindow(request=request, date=day, start=start, end=end)
            for day, start, end in sorted(windows)
        )
        audit_record(
            event="pertiwi_visit_requested",
            actor=submitted_by,
            obj=request,
            mission=mission,
            data={
                "services": sorted(s.code for s in services),
                "windows": len(windows),
                "location_source": request.location_source,
                "reach_code": request.reach_code,
                "alternative": request.alternative,
                "applications": [str(a.public_id) for a in linked],
            },
        )
        _mail(request, "pertiwi_visit_received")
    return request


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _date_text(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _address(citizen, *, address_line, city, province, postal_code, error) -> dict[str, str]:
    """The visit's address: what was given, else the profile's, checked like a profile's."""
    given = any(v and v.strip() for v in (address_line, city, province, postal_code))
    if not given:
        address_line, city = citizen.address_line, citizen.city
        province, postal_code = citizen.province, citizen.postal_code
    address_line = " ".join((address_line or "").split())
    city = " ".join((city or "").split())
    province = (province or "").strip().upper()
    if not address_line:
        error("address_line", _("Tulis alamat rumah."))
    elif len(address_line) > 200:
        error("address_line", _("Alamat paling panjang 200 karakter."))
    if not city:
        error("city", _("Tulis nama kota."))
    elif len(city) > 100:
        error("city", _("Nama kota paling panjang 100 karakter."))
    if province not in (citizen.mission.jurisdiction or []):
        error("province", _("Alamat ini di luar wilayah kerja perwakilan Anda."))
    try:
        postal_code = identity.normalise_postal_code(postal_code)
    except identity.IdentityError:
        error("postal_code", _("Tulis kode pos Kanada, misalnya M5V 3L9."))
    else:
        provinces = identity.postal_code_provinces(postal_code)
        if provinces and province and province not in provinces:
            error("postal_code", _("Kode pos ini bukan dari provinsi yang dipilih."))
    return {
        "address_line": address_line,
        "city": city,
        "province": province,
        "postal_code": postal_code,
    }


def _place(request: VisitRequest, point: GeoPoint | None) -> None:
    if point is None:
        request.lat = request.lon = None
        request.location_source = ""
        return
    request.lat, request.lon = point.lat, point.lon
    request.location_source = (
        point.source
        if point.source in VisitRequest.LocationSource.values
        else VisitRequest.LocationSource.ONLINE
    )


def reach_check(
    request: VisitRequest, services: Sequence[Service] | None = None
) -> reach.Reach | None:
    """Flag (or clear) the request as out of reach of a day trip; the caller saves it.

    None (and no flag) while the home or the mission has no point."""
    return _reach(request, services)


def _reach(request: VisitRequest, services: Sequence[Service] | None) -> reach.Reach | None:
    mission = request.mission
    if request.lat is None or mission.lat is None or mission.lon is None:
        # Without both points nothing can be judged; the planner will say so too.
        request.reach_code = ""
        return None
    if services is None:
        services = list(request.services.all())
    result = reach.assess(
        depot=Point(mission.lat, mission.lon),
        home=Point(request.lat, request.lon),
        service_minutes=request.service_minutes,
        needs_presence=any(s.in_person for s in services),
        policy=travel_policy_for(mission),
    )
    request.reach_code = result.code
    request.alternative = result.alternative
    return result


def _mail(request: VisitRequest, template: str) -> None:
    user = request.citizen.user
    with translation.override(user.preferred_language), timezone.override(request.mission.zone):
        email_send(
            to=user.email,
            template=template,
            language=user.preferred_language,
            context={
                "request": request,
                "mission": request.mission,
                "windows": list(request.windows.all()),
                "services": list(request.services.all()),
            },
            mission=request.mission,
        )


def _may_change(user, request: VisitRequest) -> bool:
    return user.has_perm(CHANGE_PERMISSION, request.mission)


def _is_owner(user, request: VisitRequest) -> bool:
    return user.is_authenticated and request.citizen.user_id == user.pk


@transaction.atomic
def visit_request_cancel(
    *, request: VisitRequest, by, now: dt.datetime | None = None
) -> VisitRequest:
    """The citizen (or staff for them) cancels a request not yet served."""
    if not (_is_owner(by, request) or _may_change(by, request)):
        raise PermissionDenied(_("Anda tidak berwenang membatalkan permintaan ini."))
    request = VisitRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in VISIT.sources(VisitEvent.CANCEL):
        raise PanduError(_("Permintaan ini sudah selesai atau dibatalkan."), code="visit_closed")
    previous = request.status
    request.status = VISIT.move(previous, VisitEvent.CANCEL)
    request.save(update_fields=["status"])
    audit_record(
        event="pertiwi_visit_cancelled",
        actor=by,
        obj=request,
        mission=request.mission,
        data={"from": previous, "by_citizen": _is_owner(by, request)},
    )
    return request


@transaction.atomic
def visit_location_correct(*, request: VisitRequest, lat: float, lon: float, by) -> VisitRequest:
    """Put the home's point where the citizen or an officer says it is, and check reach again.

    A request that becomes out of reach is mailed its alternative.
    """
    if not (_is_owner(by, request) or _may_change(by, request)):
        raise PermissionDenied(_("Anda tidak berwenang mengubah lokasi ini."))
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise ValidationFailed({"lat": [_("Tulis lintang dan bujur sebagai angka.")]}) from None
    if not in_canada(lat, lon):
        raise ValidationFailed(
            {"lat": [_("Titik ini di luar Kanada. Periksa lintang dan bujurnya.")]}
        )
    request = (
        VisitRequest.objects.select_for_update(of=("self",))
        .select_related("mission")
        .get(pk=request.pk)
    )
    if request.status not in OPEN_STATUSES:
        raise PanduError(_("Permintaan ini sudah selesai atau dibatalkan."), code="visit_closed")
    was_flagged = bool(request.reach_code)
    _place(request, GeoPoint(lat=lat, lon=lon, source=VisitRequest.LocationSource.MANUAL))
    _reach(request, None)
    request.save(update_fields=["lat", "lon", "location_source", "reach_code", "alternative"])
    audit_record(
        event="pertiwi_visit_located",
        actor=by,
        obj=request,
        mission=request.mission,
        data={"by_citizen": _is_owner(by, request), "reach_code": request.reach_code},
    )
    if request.reach_code and not was_flagged:
        _mail(request, "pertiwi_visit_out_of_reach")
    return request


@transaction.atomic
def visit_request_set_alternative(*, request: VisitRequest, alternative: str, by) -> VisitRequest:
    """Staff offer another way to be served (or none, with an empty value); the citizen is told."""
    if not _may_change(by, request):
        raise PermissionDenied(_("Anda tidak berwenang mengubah permintaan ini."))
    if alternative and alternative not in VisitRequest.Alternative.values:
        raise ValidationFailed({"alternative": [_("Pilih salah satu alternatif.")]})
    request = (
        VisitRequest.objects.select_for_update(of=("self",))
        .select_related("mission")
        .get(pk=request.pk)
    )
    if request.status not in OPEN_STATUSES:
        raise PanduError(_("Permintaan ini sudah selesai atau dibatalkan."), code="visit_closed")
    if request.alternative == alternative:
        return request
    request.alternative = alternative
    request.save(update_fields=["alternative"])
    audit_record(
        event="pertiwi_visit_alternative",
        actor=by,
        obj=request,
        mission=request.mission,
        data={"alternative": alternative, "reach_code": request.reach_code},
    )
    if alternative:
        _mail(request, "pertiwi_visit_out_of_reach")
    return request


def _no_applications(citizen: CitizenProfile, services: Sequence[Service]) -> list:
    return []


# Which of the citizen's applications for these services await the biometrics a home visit
# captures. That is applications' rule, and applications sits above outreach, so it installs its
# finder here when it is ready (``ApplicationsConfig.ready``); without it a visit links none.
_biometrics_waiting: Callable[[CitizenProfile, Sequence[Service]], list] = _no_applications


def biometrics_waiting_install(
    finder: Callable[[CitizenProfile, Sequence[Service]], list],
) -> None:
    global _biometrics_waiting
    _biometrics_waiting = finder


def waiting_applications(citizen: CitizenProfile, services: Sequence[Service]) -> list:
    """The citizen's applications for these services whose biometrics the visit will capture
    (see ``_biometrics_waiting``)."""
    return _biometrics_waiting(citizen, services)
