"""Signed links to a ticket's phone page: nothing to guess, valid for the ticket's day and the next."""

from __future__ import annotations

import uuid

from django.core import signing

from pandu.queue.models import Ticket

SALT = "pandu.queue.ticket"
MAX_AGE = 36 * 3600


def ticket_token(ticket: Ticket) -> str:
    return signing.dumps(ticket.public_id.hex, salt=SALT)


def ticket_from_token(token: str) -> Ticket | None:
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        public_id = uuid.UUID(hex=str(value))
    except (signing.BadSignature, ValueError):
        return None
    return (
        Ticket.objects.select_related("mission", "service", "counter")
        .filter(public_id=public_id)
        .first()
    )
