"""Feedback errors: stable codes, HTTP statuses for the API, translated messages."""

from pandu.core.errors import PanduError


class FollowUpMoveRefused(PanduError):
    """The follow-up's transition table has no such move."""

    code = "follow_up_move_refused"
    status = 409
