"""The starting state put back after a test that commits (tests/snapshot.py)."""

from __future__ import annotations

import pytest

from pandu.audit.models import AuditEvent
from pandu.core.models import Mission
from pandu.people.models import User
from tests.snapshot import snapshot


@pytest.mark.django_db(transaction=True)
def test_what_a_committing_test_wrote_is_gone_and_the_demo_is_whole_again():
    if not snapshot.ready:
        pytest.skip("no copy kept on this database: Django's flush and the demo reload apply")
    users, events = User.objects.count(), AuditEvent.objects.count()
    Mission.objects.filter(slug="toronto").update(city="Elsewhere")
    User.objects.create_user("committed@example.org", None)
    assert User.objects.count() == users + 1

    snapshot.restore()

    assert not User.objects.filter(email="committed@example.org").exists()
    assert User.objects.count() == users and AuditEvent.objects.count() == events
    assert Mission.objects.get(slug="toronto").city == "Toronto"
    # The database takes new rows after it, as after Django's own flush.
    User.objects.create_user("committed@example.org", None)
    assert User.objects.count() == users + 1
