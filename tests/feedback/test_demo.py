"""The demo month of survey responses: realistic, idempotent, and the same index however computed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from fractions import Fraction

import pytest
from django.core.management import call_command

from pandu.feedback import ikm, selectors
from pandu.feedback.demo import load_feedback_demo
from pandu.feedback.models import FollowUp, SurveyResponse

TODAY = dt.date(2026, 4, 15)
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_month_across_channels_with_follow_ups(demo, tmp_path):
    toronto = demo["toronto"]
    created = load_feedback_demo(today=TODAY)
    assert created["survey_responses"] > 100 and created["follow_ups"] >= 3
    assert load_feedback_demo(today=TODAY) == {"survey_responses": 0, "follow_ups": 0}

    march = SurveyResponse.objects.filter(mission=toronto, period="2026-03")
    assert set(march.values_list("channel", flat=True)) == {
        "weekday", "saturday", "pertiwi", "collected",
    }  # fmt: skip
    assert not SurveyResponse.objects.filter(submitted_on__gte=TODAY).exists()
    follow_ups = FollowUp.objects.filter(mission=toronto)
    assert follow_ups.filter(status="closed").exists() and follow_ups.filter(status="open").exists()
    assert all(f.response.is_complaint or f.response.low_elements for f in follow_ups)

    # The month's index three ways: the selector, the CSV command, and the sums by hand.
    result = selectors.ikm_for(mission=toronto, start=MARCH[0], end=MARCH[1])
    path = tmp_path / "march.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*ikm.CODES, "channel", "date"])
        for row in march.values_list(*ikm.CODES, "channel", "submitted_on"):
            writer.writerow(row)
    out = io.StringIO()
    call_command("ikm", str(path), stdout=out)
    printed = json.loads(out.getvalue())
    rows = list(march.values_list(*ikm.CODES))
    sums = [sum(r[i] for r in rows) for i in range(9)]
    by_hand = Fraction(sum(sums), 9 * len(rows)) * 25
    assert result.exact == by_hand
    assert printed["ikm"] == float(result.ikm) and printed["respondents"] == len(rows)
    assert printed["category"] == result.category.code
    assert 76.61 <= printed["ikm"] <= 88.30  # a realistic month: category B
    print(f"demo month 2026-03: IKM {result.ikm} {result.category.code} ({len(rows)} respondents)")
