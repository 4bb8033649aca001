"""Booking errors: stable codes, HTTP statuses for the API, translated messages."""

from pandu.core.errors import PanduError


class SlotFull(PanduError):
    code = "slot_full"
    status = 409


class AlreadyBooked(PanduError):
    code = "already_booked"
    status = 409


class BookingRefused(PanduError):
    """A rule of the mission forbids this booking or change (window, limit, deadline...)."""

    code = "booking_refused"
    status = 422


class AlreadyWaiting(PanduError):
    code = "already_waiting"
    status = 409


class MoveRefused(PanduError):
    """The transition table of an appointment or a waitlist entry has no such move."""

    code = "move_refused"
    status = 409
