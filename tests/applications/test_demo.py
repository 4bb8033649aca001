"""The demo holds applications in several states, and loading it twice changes nothing."""

from pandu.applications.demo import load_applications_demo
from pandu.applications.models import Application


def test_demo_applications_in_several_states(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first = load_applications_demo()
    assert first["applications"] == 5
    states = set(Application.objects.values_list("state", flat=True))
    assert {"draft", "submitted", "returned", "documents_accepted", "sent_for_issuance"} <= states
    soekarno = Application.objects.get(citizen__full_name="Soekarno")
    assert soekarno.single_name and soekarno.surname == "SOEKARNO"
    assert load_applications_demo() == {"applications": 0}
