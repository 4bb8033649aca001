from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def signing_dir(tmp_path_factory):
    """One demo CA and signing keys for the whole run (made on first use, as in the demo)."""
    return tmp_path_factory.mktemp("signing-demo")


@pytest.fixture(autouse=True)
def demo_signing(settings, signing_dir):
    settings.SIGNING_KEY = ""
    settings.SIGNING_TRUST = ""
    settings.SIGNING_DEMO_DIR = signing_dir
    return signing_dir


@pytest.fixture
def toronto(demo):
    return demo["toronto"]


@pytest.fixture
def receipt(toronto):
    from pandu.issuance.services import issue_document

    return issue_document(
        kind="receipt",
        template="issuance/receipt.html",
        context={"payer": "Siti Rahayu"},
        mission=toronto,
        subject="Paspor elektronik (penggantian)",
        facts={"Nomor kuitansi": "TOR-2026-0001", "Jumlah": "CAD 80.00", "Nama": "Siti Rahayu"},
    )
