"""The mission's admin page: a system administrator sees their mission only and plans its sessions."""

from __future__ import annotations

from pandu.appointments.models import Session
from pandu.people.models import User


def test_a_system_administrator_plans_the_sessions_of_their_mission(client, demo):
    toronto, ottawa = demo["toronto"], demo["ottawa"]
    client.force_login(User.objects.get(email="sysadmin@toronto.pandu.test"))
    url = "/admin/core/mission/"
    page = client.get(url)
    assert page.status_code == 200
    assert toronto.slug in page.content.decode() and ottawa.slug not in page.content.decode()
    assert "plan_sessions" in page.content.decode()
    before = Session.objects.filter(mission=toronto).count()

    answer = client.post(
        url, {"action": "plan_sessions", "_selected_action": [toronto.pk]}, follow=True
    )

    assert answer.status_code == 200
    assert Session.objects.filter(mission=toronto).count() > before
    assert not Session.objects.filter(mission=ottawa).exists()
    assert "sesi baru" in answer.content.decode() or "new session" in answer.content.decode()
