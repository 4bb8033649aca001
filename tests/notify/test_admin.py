"""The notify admin pages for staff: contact preferences of their own mission's citizens only,
and the provider reports waiting for their message (the system administrator's page)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pandu.notify.models import ContactPreference, PendingStatusReport
from pandu.people.models import CitizenProfile, User


def _preference(mission_slug: str) -> ContactPreference:
    citizen = CitizenProfile.objects.filter(mission__slug=mission_slug).order_by("pk").first()
    preference, _created = ContactPreference.objects.get_or_create(user=citizen.user)
    return preference


def test_staff_see_their_missions_contact_preferences_only(client, demo):
    toronto, ottawa = _preference("toronto"), _preference("ottawa")
    client.force_login(User.objects.get(email="sysadmin@toronto.pandu.test"))

    listing = client.get("/admin/notify/contactpreference/")
    assert listing.status_code == 200
    assert toronto.user.email in listing.content.decode()
    assert ottawa.user.email not in listing.content.decode()

    base = "/admin/notify/contactpreference"
    for suffix in ("change/", "history/"):
        page = client.get(f"{base}/{toronto.pk}/{suffix}")
        assert page.status_code == 200, suffix
        assert str(toronto) in page.content.decode()
        # Another mission's citizen: the admin does not show it (sent back to the list).
        other = client.get(f"{base}/{ottawa.pk}/{suffix}")
        assert other.status_code in (302, 404), suffix
        assert str(ottawa) not in other.content.decode()


def test_the_system_administrator_sees_pending_status_reports(client, demo):
    PendingStatusReport.objects.create(
        channel="sms",
        provider_id="SM-WAITING-1",
        status="delivered",
        received_at=timezone.now() - dt.timedelta(minutes=5),
    )
    client.force_login(User.objects.get(email="sysadmin@toronto.pandu.test"))
    page = client.get("/admin/notify/pendingstatusreport/")
    assert page.status_code == 200
    assert "SM-WAITING-1" in page.content.decode()
    # An officer has no business with provider reports.
    client.force_login(User.objects.get(email="officer@toronto.pandu.test"))
    assert client.get("/admin/notify/pendingstatusreport/").status_code == 403
