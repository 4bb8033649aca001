"""Pertiwi demo data: teams, kits, shifts and visit requests across Ontario, loaded once."""

from pandu.outreach.demo import load_pertiwi_demo
from pandu.outreach.models import VisitRequest


def test_demo_data_is_idempotent(demo, password):
    first = load_pertiwi_demo(password=password)
    assert first["teams"] == 2 and first["kits"] == 2 and first["visit_requests"] == 5
    assert first["shifts"] >= 18
    far = VisitRequest.objects.get(city="Moosonee")
    assert (far.reach_code, far.alternative) == ("out_of_reach", "outreach_session")
    sudbury = VisitRequest.objects.get(city="Sudbury")
    assert sudbury.alternative == "overnight_trip"
    assert VisitRequest.objects.filter(reach_code="").count() == 3
    second = load_pertiwi_demo(password=password)
    assert not any(second.values())
