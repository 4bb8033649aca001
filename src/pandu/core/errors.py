"""The one family of domain errors. Each carries a stable ``code`` and a translated message.

The API turns a ``PanduError`` into a 4xx JSON body ``{"code": ..., "message": ...}``; pages show
the message next to the field named in ``field`` (or at the top of the form).
"""

from __future__ import annotations


class PanduError(Exception):
    """A rule of the domain said no. Nothing was changed."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field


class ValidationFailed(PanduError):
    code = "invalid"
    status = 422

    def __init__(self, errors: dict[str, list[str]], message: str | None = None):
        from django.utils.translation import gettext  # noqa: PLC0415

        super().__init__(message or gettext("Periksa kembali isian yang ditandai."))
        self.errors = errors


class NotFound(PanduError):
    code = "not_found"
    status = 404


class PermissionDenied(PanduError):
    code = "forbidden"
    status = 403


class RateLimited(PanduError):
    """Too many requests in a short time; the same request may be tried again a minute later."""

    code = "rate_limited"
    status = 429
