"""The session planning page and the dashboard show one fill rate for the same month."""

from __future__ import annotations

import datetime as dt

import pytest

from pandu.people.models import User

pytestmark = pytest.mark.django_db

PLANNING = "/id/appointments/supervisor/"
DASHBOARD = "/id/laporan/"
MONTH = {"mission": "toronto", "month": "2026-03"}


def test_planning_page_and_dashboard_show_the_same_fill_rate(client, build, march):
    # A weekday session that offers no seat (no slot was cut from it): neither page counts it.
    build.session(dt.date(2026, 3, 10))
    client.force_login(User.objects.get(email="supervisor@toronto.pandu.test"))

    planning = client.get(PLANNING, MONTH)
    dashboard = client.get(DASHBOARD, MONTH)

    assert planning.status_code == dashboard.status_code == 200
    table = {t.key: t for t in dashboard.context["tables"]}["fill_rate"]
    on_dashboard = {row[0]: row[1:4] for row in table.rows[:-1]}  # label: sessions, seats, booked
    on_planning = {
        k.label: [k.sessions, k.capacity, k.booked] for k in planning.context["report"].kinds
    }
    assert on_planning == on_dashboard
    assert on_planning["Hari kerja"] == [1, 15, 11]  # 6/10 + 5/5 seats, as the figure tests count
    # The same rate, each page in its own precision: 11/15 = 73.3 %.
    assert "73,3" in dashboard.content.decode()
    assert '<td data-label="Keterisian">73%</td>' in planning.content.decode()
