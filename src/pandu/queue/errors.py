"""Waiting-room errors: stable codes, HTTP statuses, translated messages."""

from pandu.core.errors import PanduError


class CheckInRefused(PanduError):
    code = "check_in_refused"
    status = 422


class TicketConflict(PanduError):
    """The ticket or counter changed in the meantime (another officer, another tab)."""

    code = "ticket_conflict"
    status = 409


class CounterRefused(PanduError):
    code = "counter_refused"
    status = 422


class TicketMoveRefused(PanduError):
    """The ticket's transition table has no such move."""

    code = "ticket_move_refused"
    status = 409
