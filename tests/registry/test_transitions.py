"""The stay registration's transition table, pair by pair."""

from __future__ import annotations

import itertools

import pytest

from pandu.registry.models import StayRegistration
from pandu.registry.transitions import STAY, Event
from tests.transitions import assert_move

S = StayRegistration.Status
ALLOWED = {
    (S.ACTIVE, Event.UPDATE): S.ACTIVE,
    (S.ACTIVE, Event.RENEW): S.ACTIVE,
    (S.ACTIVE, Event.HAND_OVER): S.MOVED,
    (S.ACTIVE, Event.END): S.ENDED,
}


@pytest.mark.parametrize(("state", "event"), list(itertools.product(S.values, Event.values)))
def test_every_pair_moves_as_the_table_says(state, event):
    assert_move(STAY, ALLOWED, state, event, code="stay_move_refused")
