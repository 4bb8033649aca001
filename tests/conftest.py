"""Shared fixtures: missions, catalogue and people built through the services, as users make them."""

from __future__ import annotations

import datetime as dt

import pytest

from pandu.core.demo import DEMO_PASSWORD, load_demo_data


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


@pytest.fixture
def demo(db):
    """The full demo data set (two missions, catalogues, staff, citizens)."""
    load_demo_data()
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
