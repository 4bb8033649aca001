"""The access log page: which staff member looked at which citizen's sensitive data, and why.

For the roles that read the audit trail (supervisors, heads of mission, administrators), limited
to their missions; officers and citizens get a 403. Only reads. It lives in ``privacy``, above
``audit`` (whose records it reads) and ``people`` (whose mission scoping it uses).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from pandu.audit import selectors
from pandu.audit.forms import AccessLogFilterForm
from pandu.core.models import Mission
from pandu.people.backends import missions_for

VIEW_PERMISSION = "audit.view_auditevent"
PAGE_SIZE = 50


def _day_start(day: dt.date, zone) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), zone)


@login_required
def access_log(request):
    missions = missions_for(request.user, VIEW_PERMISSION)
    if not missions or not request.user.is_staff:
        raise PermissionDenied
    form = AccessLogFilterForm(
        request.GET or None, staff=selectors.sensitive_access_actors(missions=missions)
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    zone = Mission.objects.filter(pk__in=missions).order_by("pk").first().zone
    timezone.activate(zone)
    start, end = filters.get("date_from"), filters.get("date_to")
    found = selectors.sensitive_access_list(
        missions=missions,
        starts_at=_day_start(start, zone) if start else None,
        ends_before=_day_start(end + dt.timedelta(days=1), zone) if end else None,
        actor_id=int(filters["staff"]) if filters.get("staff") else None,
        data_kind=filters.get("data_kind", ""),
        subject_ref=filters.get("citizen", ""),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/access_log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "several_missions": len(missions) > 1,
        },
    )
