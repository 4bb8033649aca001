"""Reads of citizen profiles that need more than one line of ORM."""

from __future__ import annotations

import contextlib

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
