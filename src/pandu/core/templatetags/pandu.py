"""Template helpers: USWDS classes and ARIA links for form widgets, money in a mission's currency."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()

WIDGET_CLASSES = {"select": "usa-select", "textarea": "usa-textarea"}


@register.filter
def usa_widget(field):
    widget = field.field.widget
    attrs = {}
    if not getattr(widget, "is_fieldset", False):  # a group's parts carry their own classes
        kind = getattr(widget, "input_type", None) or widget.__class__.__name__.lower()
        css = WIDGET_CLASSES.get(kind, "usa-input")
        attrs["class"] = f"{css} {css}--error" if field.errors else css
    described = []
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.field.required:
        attrs["required"] = True
    return field.as_widget(attrs=attrs)


@register.filter
def money(amount: Decimal, currency: str) -> str:
    if amount is None:
        return ""
    if amount == 0:
        return _("Gratis")
    return f"{currency} {number_format(amount, 2, force_grouping=True)}"
