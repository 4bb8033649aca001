"""What the citizen's profile page shows from the apps above ``people``.

The profile page (``people.views.profile``) lists the citizen's coming appointments, draw
entries and waitlist places, which live in ``appointments``, above ``people``. Rather than import
it, ``people`` keeps this small registry: such an app adds its part of the page's context in its
``AppConfig.ready()``. A part takes the citizen and only reads; an app that is not installed adds
nothing, and the page shows its empty state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pandu.people.models import CitizenProfile

Part = Callable[[CitizenProfile], dict[str, Any]]

_PARTS: dict[str, Part] = {}


def register(name: str, part: Part) -> None:
    """Add (or, when ``ready()`` runs again, replace) the part called ``name``."""
    _PARTS[name] = part


def context(citizen: CitizenProfile | None) -> dict[str, Any]:
    """Every registered part's context for ``citizen`` (nothing for a staff account)."""
    found: dict[str, Any] = {}
    if citizen is None:
        return found
    for part in _PARTS.values():
        found.update(part(citizen))
    return found
