from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def demo_signing(settings, tmp_path_factory):
    """Letters are signed with a demo CA made once for the run (as in tests/issuance)."""
    settings.SIGNING_KEY = ""
    settings.SIGNING_TRUST = ""
    settings.SIGNING_DEMO_DIR = tmp_path_factory.getbasetemp() / "registry-signing"
    return settings.SIGNING_DEMO_DIR


@pytest.fixture
def stay_fields():
    """A valid lapor diri, as the form submits it."""
    return {
        "address_line": "200 University Avenue West",
        "city": "Waterloo",
        "province": "ON",
        "postal_code": "n2l 3g1",
        "phone": "+1 519 555 0142",
        "purpose": "study",
        "arrived_on": dt.date(2026, 1, 5),
        "expected_until": dt.date(2029, 6, 30),
        "emergency_id_name": "Sri Wahyuni",
        "emergency_id_phone": "+62 812 3456 7890",
        "emergency_id_relation": "Ibu",
        "emergency_local_name": "Rina Halim",
        "emergency_local_phone": "+1 519 555 0199",
        "emergency_local_relation": "Teman",
        "language": "id",
        "registered_as": "self",
        "carer_name": "",
        "carer_relation": "",
    }


@pytest.fixture
def members():
    return [
        {"full_name": "Bima Lestari", "relation": "child", "date_of_birth": dt.date(2019, 4, 2)}
    ]


@pytest.fixture
def registered(citizen, stay_fields, members):
    from pandu.registry.services import stay_register

    return stay_register(citizen=citizen.citizen, by=citizen, fields=stay_fields, members=members)
