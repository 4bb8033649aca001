"""API authentication: personal access tokens (``Authorization: Bearer``) and the web session."""

from __future__ import annotations

from ninja.security import HttpBearer, django_auth

from pandu.people.services import token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


AUTH = [BearerToken(), django_auth]


def anonymous(request):
    """Lets a request through without credentials (for endpoints that answer everyone)."""
    return True


OPTIONAL_AUTH = [BearerToken(), django_auth, anonymous]
