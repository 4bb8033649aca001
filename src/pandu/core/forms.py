"""Helpers shared by the forms of every app."""

from __future__ import annotations

from pandu.core.errors import PanduError, ValidationFailed


def apply_errors(form, exc: PanduError) -> None:
    """Show a service's refusal by the fields it names, the rest at the top of the form."""
    if isinstance(exc, ValidationFailed):
        for field, texts in exc.errors.items():
            for text in texts:
                form.add_error(field if field in form.fields else None, text)
    else:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
