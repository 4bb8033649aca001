"""Reads of citizen profiles that need more than one line of ORM."""

from __future__ import annotations

import contextlib

from django.contrib.auth import get_user_model
from django.db.models import Q

from pandu.core.crypto import lookup_hash
from pandu.people import identity


def identity_number_q(text: str) -> Q | None:
    """Citizens whose passport number or NIK is ``text``, as typed (spaces, dots, lower case).

    The numbers are encrypted at rest, so the match is on their keyed lookup hashes; ``None``
    when ``text`` is neither a passport number nor a NIK.
    """
    q = Q()
    with contextlib.suppress(identity.IdentityError):
        q |= Q(passport_hash=lookup_hash("passport", identity.normalise_passport_number(text)))
    nik = identity.normalise_nik(text)
    if nik.isdigit() and len(nik) == 16:
        q |= Q(nik_hash=lookup_hash("nik", nik))
    return q or None


def staff_with_perm(mission, perm: str):
    """Active staff of ``mission`` whose role there grants ``perm`` (``"app_label.codename"``),
    by e-mail: asked by permission, never by a role's name."""
    app_label, codename = perm.split(".")
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__mission=mission,
            memberships__role__permissions__codename=codename,
            memberships__role__permissions__content_type__app_label=app_label,
        )
        .distinct()
        .order_by("email")
    )
