"""The registry of the citizen's data export: the sections other apps contribute.

The export itself (``pandu.people.export``) is built by ``people``, but most of a citizen's data
lives in apps above it, and ``audit`` below it holds the log of staff opening their sensitive
data. So the registry sits here, at the bottom, where every app may reach it: each app that holds
data about a citizen registers a contributor in its ``AppConfig.ready()`` (see
``pandu.people.export`` for what a contributor does), and ``people`` reads the registry when it
builds the ZIP. Only plain data and the registry live here; nothing imports a domain app.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ExportFile:
    """A file carried in the ZIP besides the JSON (a document, a letter, evidence)."""

    path: str
    content: bytes
    description: str = ""


@dataclass
class Section:
    """What one app holds about the citizen."""

    records: list[dict[str, Any]] = field(default_factory=list)
    files: list[ExportFile] = field(default_factory=list)
    # (object_type, object_ref) of the objects the records describe, as audit events name them.
    objects: list[tuple[str, str]] = field(default_factory=list)


Contributor = Callable[..., Section]


@dataclass(frozen=True)
class _Registered:
    name: str
    contributor: Contributor
    description: Any  # a lazy translation


REGISTRY: dict[str, _Registered] = {}
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
# The files people.export makes itself.
_RESERVED = {"manifest", "profile", "audit_events"}


def register(name: str, contributor: Contributor, *, description: Any) -> None:
    """Add a section ``<name>.json``. Registering a name again replaces it (``ready()`` may run
    twice in tests); the names ``people.export`` makes itself (profile, audit events, manifest)
    are refused."""
    if not _NAME.match(name) or name in _RESERVED:
        raise ValueError(f"invalid export section name: {name!r}")
    REGISTRY[name] = _Registered(name=name, contributor=contributor, description=description)


def registered() -> list[str]:
    return list(REGISTRY)


# --- helpers for contributors ----------------------------------------------------------------

_EMAIL = re.compile(r"[^\s@\"'<>,;:]+@[^\s@\"'<>,;:]+\.[A-Za-z]{2,}")


def scrub(value: Any, own_email: str) -> Any:
    """``value`` without any e-mail address but the citizen's own (staff, other people)."""
    if isinstance(value, str):
        return _EMAIL.sub(
            lambda m: m.group(0) if m.group(0).lower() == own_email else "[redacted]", value
        )
    if isinstance(value, list):
        return [scrub(item, own_email) for item in value]
    if isinstance(value, dict):
        return {key: scrub(item, own_email) for key, item in value.items()}
    return value
