"""Saturday sessions on the Saturdays after the daylight-saving changes, planned end to end."""

import datetime as dt

from pandu.appointments import services
from pandu.appointments.models import Session


def test_saturday_sessions_keep_their_wall_clock_hours_after_both_changes(demo):
    mission = demo["toronto"]
    # 20 March 2027 (after the 14 March change) is the third Saturday; 13 November 2027 (after
    # the 7 November change) is the second.
    services.saturday_rule_create(
        mission=mission,
        weeks=[2, 3],
        opens=dt.time(9),
        closes=dt.time(13),
        counters=2,
        valid_from=dt.date(2027, 1, 1),
    )
    services.sessions_generate(mission=mission, start=dt.date(2027, 3, 1), end=dt.date(2027, 3, 31))
    services.sessions_generate(
        mission=mission, start=dt.date(2027, 11, 1), end=dt.date(2027, 11, 30)
    )
    expected_utc_start = {
        dt.date(2027, 3, 13): 14,  # still EST (UTC-5)
        dt.date(2027, 3, 20): 13,  # EDT (UTC-4)
        dt.date(2027, 11, 13): 14,  # EST again
        dt.date(2027, 11, 20): 14,
    }
    saturdays = {s.date: s for s in Session.objects.filter(mission=mission, kind="saturday")}
    assert set(saturdays) == set(expected_utc_start)
    for day, hour in expected_utc_start.items():
        session = saturdays[day]
        assert session.starts_at == dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)
        assert session.ends_at - session.starts_at == dt.timedelta(hours=4)
        first = session.slots.order_by("starts_at").first()
        assert first.starts_at.astimezone(mission.zone).time() == dt.time(9)
