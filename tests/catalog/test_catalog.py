import pytest

from pandu.audit.models import AuditEvent
from pandu.catalog.models import Service
from pandu.catalog.selectors import service_get, service_list
from pandu.catalog.services import service_create
from pandu.core.errors import ValidationFailed

REQUIRED = {
    "paspor-baru", "paspor-ganti", "paspor-hilang-rusak", "splp", "legalisasi", "lapor-kelahiran",
    "lapor-perkawinan", "lapor-kematian", "surat-keterangan", "affidavit", "lapor-diri",
}  # fmt: skip


def test_toronto_catalogue_has_every_service_in_both_languages(demo):
    services = list(service_list(mission=demo["toronto"]))
    assert {s.code for s in services} >= REQUIRED
    for s in services:
        assert s.name_id and s.name_en and s.summary_id and s.summary_en
        assert s.fees.exists()
        assert s.channels
        for r in s.requirements.all():
            assert r.title_id and r.title_en


def test_lost_passport_costs_more_than_renewal(demo):
    renewal = service_get(mission=demo["toronto"], code="paspor-ganti")
    lost = service_get(mission=demo["toronto"], code="paspor-hilang-rusak")
    assert min(f.amount for f in lost.fees.all()) > max(f.amount for f in renewal.fees.all())


def test_passports_need_the_person_and_offer_pertiwi(demo):
    for code in ("paspor-baru", "paspor-ganti", "paspor-hilang-rusak", "splp"):
        service = service_get(mission=demo["toronto"], code=code)
        assert service.in_person
        assert "pertiwi" in service.channels and "saturday" in service.channels


def test_unconfirmed_fees_are_flagged_for_the_admin(demo):
    service = service_get(mission=demo["toronto"], code="splp")
    fee = service.fees.get()
    assert fee.amount_confirmed is False
    assert "confirm" in fee.internal_note


def test_missions_have_separate_catalogues(demo):
    toronto = service_get(mission=demo["toronto"], code="splp")
    ottawa = service_get(mission=demo["ottawa"], code="splp")
    assert toronto.pk != ottawa.pk and ottawa.mission.slug == "ottawa"


def valid_fields(**overrides):
    fields = {
        "code": "visa", "category": "legal", "name_id": "Visa", "name_en": "Visa",
        "summary_id": "Visa untuk warga asing.", "summary_en": "Visa for foreigners.",
        "service_level_days": 5, "counter_minutes": 10, "channels": ["weekday"],
    }  # fmt: skip
    fields.update(overrides)
    return fields


def test_service_create_records_an_event(demo):
    service = service_create(
        mission=demo["toronto"], fields=valid_fields(), requirements=[], fees=[]
    )
    event = AuditEvent.objects.filter(event="catalog_service_created").last()
    assert event.object_ref == "visa" and event.mission == demo["toronto"]
    assert service.pk


@pytest.mark.parametrize(
    "overrides",
    [
        {"channels": ["teleport"]},
        {"channels": []},
        {"counter_minutes": 0},
        {"code": "paspor-baru"},
        {"name_id": ""},
    ],
)
def test_bad_service_changes_nothing(demo, overrides):
    count, events = Service.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed):
        service_create(
            mission=demo["toronto"], fields=valid_fields(**overrides), requirements=[], fees=[]
        )
    assert (Service.objects.count(), AuditEvent.objects.count()) == (count, events)


def test_bad_fee_rolls_back_the_whole_service(demo):
    count = Service.objects.count()
    with pytest.raises(ValidationFailed):
        service_create(
            mission=demo["toronto"],
            fields=valid_fields(),
            requirements=[],
            fees=[{"case_id": "x", "case_en": "x", "amount": "-5"}],
        )
    assert Service.objects.count() == count
