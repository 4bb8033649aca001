"""How a waiting citizen is told their turn is near.

A ``Notifier`` is called inside the transaction that noticed the turn is near; implementations
must only queue their message. The one here goes through ``notify.email_send``, which sends after
commit and picks the channel itself: the citizen's SMS or WhatsApp when they consented to it and
it is configured (``notify.channels``), else e-mail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from pandu.notify.services import email_send
from pandu.queue.tokens import ticket_token

if TYPE_CHECKING:
    from pandu.queue.models import Ticket


class Notifier(Protocol):
    def turn_near(self, *, ticket: Ticket, places_ahead: int) -> None: ...


def phone_link(ticket: Ticket, language: str) -> str:
    with translation.override(language):
        path = reverse("queue:phone", kwargs={"token": ticket_token(ticket)})
    return f"{settings.SITE_URL}{path}"


class EmailNotifier:
    def turn_near(self, *, ticket: Ticket, places_ahead: int) -> None:
        if not ticket.notify_email:
            return
        email_send(
            to=ticket.notify_email,
            template="queue_turn_near",
            language=ticket.language,
            mission=ticket.mission,
            context={
                "ticket": ticket,
                "number": ticket.number,
                "ahead": places_ahead,
                "mission": ticket.mission,
                "link": phone_link(ticket, ticket.language),
            },
        )


def notifiers() -> list[Notifier]:
    return [EmailNotifier()]
