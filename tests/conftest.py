"""Shared fixtures: missions, catalogue and people built through the services, as users make them."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest

from pandu.demo.loader import DEMO_PASSWORD, load_demo_data

#: ``PANDU_TEST_NOW=2027-03-14T03:30-04:00`` runs the whole suite as if it were that moment (the
#: clock then moves on from it): the suite must pass on any date, and this is how to check one.
TEST_NOW = os.environ.get("PANDU_TEST_NOW", "")


def pytest_configure(config):
    if TEST_NOW:
        import time_machine

        try:
            moment = dt.datetime.fromisoformat(TEST_NOW)
        except ValueError as exc:
            raise pytest.UsageError(f"PANDU_TEST_NOW is not an ISO date and time: {exc}") from exc
        config._pandu_travel = time_machine.travel(moment, tick=True)
        config._pandu_travel.start()


def pytest_unconfigure(config):
    travel = getattr(config, "_pandu_travel", None)
    if travel is not None:
        travel.stop()


def pytest_report_header(config):
    if TEST_NOW:
        return f"clock: PANDU_TEST_NOW={TEST_NOW}"
    return None


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (Indonesian), whatever an earlier request chose."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counts live in the process's cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def audit_checkpoints(settings, tmp_path_factory):
    """Each test has its own (empty, not yet created) folder of audit checkpoints.

    A checkpoint outlives the rolled-back transaction of the test that wrote it: shared, it
    would make the next test's chain look cut short.
    """
    folder = tmp_path_factory.getbasetemp() / "audit-checkpoints" / uuid.uuid4().hex
    settings.AUDIT_CHECKPOINT_DIR = folder
    return folder


@pytest.fixture(autouse=True)
def fresh_booking_rules():
    """Booking rules and the default mission are kept per process; a test must not see another
    test's rolled-back rows."""
    from pandu.appointments.rules import rules_forget
    from pandu.core.middleware import default_mission_forget

    rules_forget()
    default_mission_forget()
    yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the demo's people and catalogue committed once per session.

    Loading them took most of the suite's time when every test did it. Each test still runs
    in its own transaction, rolled back at its end, so it sees exactly this data; after a test
    that commits (a transactional or browser test) a copy of this starting state is put back
    (``tests/snapshot.py``), or, where no copy could be kept, Django empties the database and
    ``pytest_runtest_teardown`` below loads the demo again before the next test.
    """
    with django_db_blocker.unblock():
        load_demo_data()
        # After a test that commits, this copy is put back instead of emptying the database and
        # loading the demo again (tests/snapshot.py says how, and when it falls back).
        from django.test.testcases import TransactionTestCase

        from tests.snapshot import snapshot

        snapshot.take()
        flush = TransactionTestCase._fixture_teardown

        def _fixture_teardown(self):
            if snapshot.ready and list(self._databases_names(include_mirrors=False)) == ["default"]:
                snapshot.restore()
            else:
                flush(self)

        TransactionTestCase._fixture_teardown = _fixture_teardown


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that emptied the database (its own flush, or a module's): load the demo again."""
    result = yield
    uses_db = item.get_closest_marker("django_db") or _DB_USERS.intersection(
        getattr(item, "fixturenames", ())
    )
    if uses_db and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        from pandu.core.models import Mission

        with item.config.stash[blocking_manager_key].unblock():
            if not Mission.objects.exists():
                load_demo_data()
    return result


_DB_USERS = {"db", "transactional_db", "live_server", "django_db_setup"}


@pytest.fixture
def demo(db):
    """The full demo data set (two missions, catalogues, staff, citizens), loaded for the session."""
    from pandu.core.models import Mission

    return {m.slug: m for m in Mission.objects.all()}


@pytest.fixture
def password():
    return DEMO_PASSWORD


@pytest.fixture
def profile_data():
    """A valid profile for a citizen in Toronto, as a sign-up form would submit it."""
    return {
        "full_name": "Ayu Lestari",
        "date_of_birth": dt.date(1990, 8, 17),
        "sex": "F",
        "nik": "3171015708900001",
        "passport_number": "A1234567",
        "phone": "+1 416 555 0199",
        "address_line": "100 King Street West",
        "city": "Toronto",
        "province": "ON",
        "postal_code": "M5X 1A9",
    }


@pytest.fixture
def citizen(demo, profile_data, password):
    from pandu.people.services import citizen_register

    return citizen_register(
        email="ayu@example.org", password=password, profile=profile_data, verified_by="demo"
    )
