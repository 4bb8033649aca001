"""Template helpers for report tables: one filter that prints a cell."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value) -> str:
    """A table cell: a dash for no figure, whole numbers as they are, others with one decimal."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):  # fixed decimals, e.g. an IKM of 100.00
        return number_format(value, decimal_pos=max(-value.as_tuple().exponent, 0), use_l10n=True)
    if isinstance(value, int):
        return number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, float):
        # Tables round their numbers (one decimal, IKM parts two or three): show what is there.
        text = repr(value)
        decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 1
        return number_format(value, decimal_pos=max(1, min(decimals, 3)), use_l10n=True)
    return str(value)


@register.filter
def percent(value) -> str:
    """A share (0 to 1) as a percentage with one decimal, e.g. 0.8333 -> 83.3."""
    if value is None:
        return "–"
    return number_format(round(value * 100, 1), decimal_pos=1, use_l10n=True)
