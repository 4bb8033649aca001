import json

from django.core.management import call_command

from pandu.appointments.models import Slot
from pandu.people.services import token_authenticate


def test_seed_rush_writes_a_slot_and_working_tokens(demo, tmp_path):
    out = tmp_path / "rush.json"
    call_command("seed_rush", "--seats", "3", "--citizens", "4", "--out", str(out))
    seed = json.loads(out.read_text())
    slot = Slot.objects.get(public_id=seed["slot"])
    assert (slot.capacity, slot.booked, slot.service.code) == (3, 0, seed["service"])
    assert seed["day"] == slot.session.date.isoformat()  # where the slot list is asked for
    assert len(seed["tokens"]) == 4
    users = {token_authenticate(t) for t in seed["tokens"]}
    assert len(users) == 4 and all(u.email_verified for u in users)
    passports = {u.citizen.passport_number for u in users}
    assert len(passports) == 4


def test_seed_rush_refuses_bad_numbers(demo, tmp_path):
    import pytest
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command(
            "seed_rush", "--seats", "0", "--citizens", "4", "--out", str(tmp_path / "x.json")
        )


def test_seed_rush_with_a_missing_folder_creates_nothing(demo, tmp_path):
    import pytest
    from django.core.management import CommandError

    from pandu.people.models import User

    users = User.objects.count()
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "seed_rush", "--seats", "2", "--citizens", "2", "--out", str(tmp_path / "no" / "x.json")
        )
    assert User.objects.count() == users and not Slot.objects.filter(session__kind="extra").exists()
