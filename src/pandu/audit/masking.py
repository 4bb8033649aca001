"""Identity numbers as staff pages show them until someone reveals them (no Django import).

A masked number keeps enough to tell two numbers apart at a glance (the first and last few
characters), never enough to use it: ``3174••••••••0001``, ``X12••••7``.
"""

from __future__ import annotations

DOT = "\u2022"


def mask(value: str | None, *, head: int, tail: int) -> str:
    """``value`` with every character but the first ``head`` and last ``tail`` replaced by a dot.

    A value too short to keep both ends visible is masked whole; an empty value stays empty.
    """
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) <= head + tail + 2:
        return DOT * len(value)
    return value[:head] + DOT * (len(value) - head - tail) + value[len(value) - tail :]


def mask_nik(value: str | None) -> str:
    return mask(value, head=4, tail=4)


def mask_passport(value: str | None) -> str:
    return mask(value, head=3, tail=1)
