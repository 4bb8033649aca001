"""A transition table as data: from which state(s), on which event, to which state.

Each stateful entity keeps its own table next to its model (``appointments/transitions.py``,
``queue/transitions.py``, ...). The services look the target of a move up here and take the "from"
states of their conditional UPDATEs from ``sources``, so the allowed moves are written once. This
module does no I/O and knows no model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _

from pandu.core.errors import PanduError


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    event: str
    target: str


class Table:
    """The moves of one entity; ``move`` refuses any pair it does not hold with ``error``."""

    def __init__(
        self,
        states: type[models.TextChoices],
        events: type[models.TextChoices],
        moves: Iterable[Move],
        error: type[PanduError],
    ):
        self.states, self.events, self.error = states, events, error
        self.moves = tuple(moves)
        self._index: dict[tuple[str, str], str] = {}
        for m in self.moves:
            for source in m.sources:
                key = (states(source).value, events(m.event).value)
                assert key not in self._index, f"one move per (state, event): {key}"
                self._index[key] = states(m.target).value

    def target(self, current: str, event: str) -> str | None:
        """Where ``event`` leads from ``current``, or None when the table has no such move."""
        return self._index.get((str(current), str(event)))

    def move(self, current: str, event: str) -> str:
        """The state ``event`` leads to from ``current``; ``error`` when the move is forbidden."""
        target = self.target(current, event)
        if target is None:
            raise self.error(
                _("Perubahan tidak diizinkan: %(event)s tidak bisa dari status %(state)s.")
                % {"event": _label(self.events, event), "state": _label(self.states, current)}
            )
        return target

    def sources(self, event: str) -> tuple[str, ...]:
        """Every state ``event`` may start from, in the states' order."""
        found = {s for (s, e) in self._index if e == str(event)}
        return tuple(s for s in self.states.values if s in found)

    def target_of(self, event: str) -> str:
        """The one state ``event`` leads to from any of its sources: what a conditional update
        ``filter(state__in=sources(event)).update(state=target_of(event))`` writes."""
        targets = {t for (s, e), t in self._index.items() if e == str(event)}
        assert len(targets) == 1, f"{event} has no single target: {targets}"
        return targets.pop()

    def pairs(self) -> dict[tuple[str, str], str]:
        """Every allowed ``(state, event)`` and its target."""
        return dict(self._index)


def _label(choices: type[models.TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)
