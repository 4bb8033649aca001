"""The one walk every transition table's test makes over all its (state, event) pairs."""

import pytest


def assert_move(table, allowed: dict, state: str, event: str, *, code: str) -> None:
    """An allowed pair leads to its target; any other is refused with ``code`` and a message."""
    target = allowed.get((state, event))
    if target is not None:
        assert table.move(state, event) == target
        return
    with pytest.raises(table.error) as refused:
        table.move(state, event)
    assert refused.value.code == code
    assert refused.value.message
