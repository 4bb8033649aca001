"""Pertiwi errors: stable codes, HTTP statuses for the API, translated messages."""

from pandu.core.errors import PanduError


class VisitMoveRefused(PanduError):
    """The visit request's transition table has no such move."""

    code = "visit_move_refused"
    status = 409
