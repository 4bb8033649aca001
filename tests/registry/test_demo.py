"""The demo's lapor diri: enough registrations across Ontario and Manitoba, placed, mailing nobody."""

from __future__ import annotations

import datetime as dt

from pandu.notify.models import OutboundMessage
from pandu.notify.services import held
from pandu.registry.demo import load_registry_demo
from pandu.registry.models import StayRegistration
from pandu.reports.demo_people import history_citizens


def test_the_demo_registers_stays_in_both_provinces(demo):
    history_citizens(demo["toronto"])
    with held():
        created = load_registry_demo()
    assert created["stay_registrations"] >= 60
    rows = list(StayRegistration.objects.select_related("citizen"))
    assert {r.province for r in rows} == {"ON", "MB"}
    cities = {r.city for r in rows}
    assert {"Toronto", "Ottawa", "Hamilton", "Waterloo", "Thunder Bay", "Winnipeg", "Brandon"} <= (
        cities
    )
    assert sum(r.purpose == "study" for r in rows) >= 5
    assert all(r.lat is not None and r.mission.slug == "toronto" for r in rows)
    today = dt.date.today()
    assert sum(r.citizen.age_on(today) >= 60 for r in rows) >= 3
    assert any(r.renewed_at for r in rows) and any(r.members.exists() for r in rows)
    assert OutboundMessage.objects.count() == 0
    # Loaded again: nothing new.
    with held():
        assert load_registry_demo() == {"stay_registrations": 0}
