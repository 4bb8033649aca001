"""A small, hand-counted month of KJRI Toronto (March 2026) built with the ORM.

Every row is written directly so that each figure's expected value can be worked out by hand in
the tests (the comments there show the sums). March 2026 contains the switch to daylight time in
Toronto (8 March), so the period's bounds are exercised across it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

import pytest

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
A, B, C = "paspor-ganti", "legalisasi", "lapor-diri"


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TORONTO).astimezone(dt.UTC)


@dataclass
class Month:
    mission: object
    services: dict
    citizens: list
    counter: object = None
    refs: dict = field(default_factory=dict)


class Builder:
    """Creates rows for one mission; each method is one kind of fact."""

    def __init__(self, mission):
        from pandu.catalog.models import Service
        from pandu.people.models import CitizenProfile, User

        self.mission = mission
        self.services = {s.code: s for s in Service.objects.filter(mission=mission)}
        self.citizens = list(CitizenProfile.objects.filter(mission=mission).order_by("pk"))
        self.staff = User.objects.get(email="supervisor@toronto.pandu.test")
        self._seq = 0

    def _next(self) -> int:
        self._seq += 1
        return self._seq

    # appointments ---------------------------------------------------------------------------

    def session(self, day: dt.date, kind: str = "weekday", closed: bool = False):
        from pandu.appointments.models import Session

        return Session.objects.create(
            mission=self.mission,
            kind=kind,
            date=day,
            opens=dt.time(9),
            closes=dt.time(13),
            starts_at=local(day, 9),
            ends_at=local(day, 13),
            counters=2,
            is_closed=closed,
        )

    def slot(self, session, code: str, capacity: int, booked: int, hour: int = 9):
        from pandu.appointments.models import Slot

        return Slot.objects.create(
            session=session,
            service=self.services[code],
            starts_at=local(session.date, hour),
            ends_at=local(session.date, hour, 30),
            capacity=capacity,
            booked=booked,
        )

    def appointment(self, slot, status: str, citizen_index: int = 0):
        from pandu.appointments.models import Appointment

        n = self._next()
        return Appointment.objects.create(
            reference=f"TST{n:05d}",
            mission=self.mission,
            slot=slot,
            service=slot.service,
            citizen=self.citizens[citizen_index % len(self.citizens)],
            identity_key=f"X{n:07d}",
            status=status,
        )

    # waiting room ---------------------------------------------------------------------------

    def ticket(
        self,
        day: dt.date,
        code: str,
        *,
        wait: float,
        serve: float | None,
        appointment=None,
        transfer: tuple[str, float, float] | None = None,
        arrive_hour: int = 9,
    ):
        """A finished ticket: waits ``wait`` minutes, is called (1 minute), then is served for
        ``serve`` minutes and done, or is a no-show when ``serve`` is None. ``transfer`` =
        (new service, minutes waiting again, minutes served again) after the first service."""
        from pandu.queue.models import Ticket, TicketPeriod

        S = Ticket.State
        final_code = transfer[0] if transfer else code
        arrived = local(day, arrive_hour) + dt.timedelta(minutes=self._next())
        ticket = Ticket.objects.create(
            mission=self.mission,
            date=day,
            prefix="T",
            sequence=self._seq,
            service=self.services[final_code],
            channel=Ticket.Channel.APPOINTMENT if appointment else Ticket.Channel.WALK_IN,
            appointment=appointment,
            arrived_at=arrived,
            state=S.DONE if serve is not None else S.NO_SHOW,
        )
        at = arrived
        steps = [(S.WAITING, wait, code), (S.CALLED, 1, code)]
        if serve is None:
            steps.append((S.NO_SHOW, 0, code))
        else:
            steps.append((S.SERVING, serve, code))
            if transfer:
                new, wait_again, serve_again = transfer
                steps += [
                    (S.TRANSFERRED, wait_again, new),
                    (S.CALLED, 1, new),
                    (S.SERVING, serve_again, new),
                ]
            steps.append((S.DONE, 0, final_code))
        for state, minutes, service_code in steps:
            end = at + dt.timedelta(minutes=minutes)
            TicketPeriod.objects.create(
                ticket=ticket,
                state=state,
                service=self.services[service_code],
                started_at=at,
                ended_at=end,
            )
            at = end
        return ticket

    def open_ticket(self, day: dt.date, code: str):
        from pandu.queue.models import Ticket, TicketPeriod

        ticket = Ticket.objects.create(
            mission=self.mission,
            date=day,
            prefix="T",
            sequence=self._next(),
            service=self.services[code],
            channel=Ticket.Channel.WALK_IN,
            arrived_at=local(day, 10),
        )
        TicketPeriod.objects.create(
            ticket=ticket, state="waiting", service=ticket.service, started_at=local(day, 10)
        )
        return ticket

    # applications ---------------------------------------------------------------------------

    def application(
        self,
        code: str,
        submitted: dt.datetime | None,
        due: dt.date | None,
        decisions: list[tuple[str, dt.datetime]] = (),
        state: str = "submitted",
        citizen_index: int = 0,
    ):
        from pandu.applications.models import Application, Transition

        application = Application.objects.create(
            mission=self.mission,
            citizen=self.citizens[citizen_index % len(self.citizens)],
            service=self.services[code],
            state=state,
            submitted_at=submitted,
            due_date=due,
        )
        source = "submitted"
        for target, at in decisions:
            Transition.objects.create(
                application=application,
                event={"issued": "issue", "rejected": "reject", "collected": "collect"}.get(
                    target, "issue"
                ),
                source=source,
                target=target,
                actor="officer",
                at=at,
            )
            source = target
        return application

    # Pertiwi ---------------------------------------------------------------------------------

    def pertiwi_plan(self, week_start: dt.date, status: str = "published"):
        from pandu.outreach.models import TripPlan

        return TripPlan.objects.create(
            mission=self.mission, week_start=week_start, status=status, created_by=self.staff
        )

    def route(self, plan, day: dt.date, travel: float):
        from pandu.outreach.models import Kit, PlannedRoute, Shift, Team

        n = self._next()
        team = Team.objects.create(mission=self.mission, name=f"Tim {n}")
        kit = Kit.objects.create(mission=self.mission, label=f"Kit {n}")
        shift = Shift.objects.create(
            mission=self.mission, team=team, kit=kit, date=day, start=dt.time(8), end=dt.time(17)
        )
        return PlannedRoute.objects.create(
            plan=plan,
            shift=shift,
            depart=dt.time(8),
            return_time=dt.time(16),
            travel_minutes=travel,
        )

    def visit(self, codes: list[str], created: dt.datetime, citizen_index: int = 0):
        from pandu.outreach.models import EligibilityRequest, VisitRequest

        citizen = self.citizens[citizen_index % len(self.citizens)]
        eligibility = EligibilityRequest.objects.create(
            mission=self.mission,
            citizen=citizen,
            submitted_by=citizen.user,
            reason="elderly",
            status="approved",
        )
        request = VisitRequest.objects.create(
            mission=self.mission,
            citizen=citizen,
            eligibility=eligibility,
            submitted_by=citizen.user,
            address_line="1 Main Street",
            city="Hamilton",
            province="ON",
            postal_code="L8P 4R5",
            contact_name="Kontak",
            contact_phone="+1 905 555 0100",
        )
        request.services.set([self.services[c] for c in codes])
        VisitRequest.objects.filter(pk=request.pk).update(created_at=created)
        return request

    def item(self, plan, request, *, route=None, outcome: str = "", unassigned: str = ""):
        from pandu.outreach.models import PlanItem

        return PlanItem.objects.create(
            plan=plan,
            request=request,
            route=route,
            order=1 if route else None,
            outcome=outcome,
            unassigned_code=unassigned,
        )


MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
TUE, WED, SAT = dt.date(2026, 3, 3), dt.date(2026, 3, 4), dt.date(2026, 3, 7)
APRIL_2 = dt.date(2026, 4, 2)
NOW = local(dt.date(2026, 4, 15), 12)


@pytest.fixture
def build(demo):
    return Builder(demo["toronto"])


@pytest.fixture
def march(build):
    """The month the figure tests count by hand. See each test for the expected sums."""
    return build_march(build)


def build_march(b: Builder) -> Month:
    """March 2026 of ``b``'s mission (the browser tests build it on the live server's data)."""
    # Sessions and seats.
    tue = b.session(TUE)
    tue_a = b.slot(tue, A, capacity=10, booked=6)
    tue_b = b.slot(tue, B, capacity=5, booked=5)
    sat = b.session(SAT, kind="saturday")
    sat_a = b.slot(sat, A, capacity=8, booked=2)
    closed = b.session(WED, closed=True)
    b.slot(closed, A, capacity=10, booked=0)
    april = b.session(APRIL_2)
    april_a = b.slot(april, A, capacity=10, booked=10)
    # Appointments: weekday served, no-show, checked in, cancelled; Saturday two no-shows and
    # one that came (its ticket is below); one in April.
    b.appointment(tue_a, "served", 0)
    b.appointment(tue_a, "no_show", 1)
    b.appointment(tue_b, "checked_in", 2)
    b.appointment(tue_b, "cancelled", 0)
    b.appointment(sat_a, "no_show", 0)
    b.appointment(sat_a, "no_show", 1)
    came = b.appointment(sat_a, "served", 2)
    b.appointment(april_a, "no_show", 0)
    # Waiting room, Tuesday: waits 5, 10, 20, 30 (served 10, 12, 14, 8), a no-show after 40, a
    # transfer (4 + 6 waiting, 3 + 5 served, ends as C), and one still waiting.
    b.ticket(TUE, A, wait=5, serve=10)
    b.ticket(TUE, A, wait=10, serve=12)
    b.ticket(TUE, B, wait=20, serve=14)
    b.ticket(TUE, B, wait=30, serve=8)
    b.ticket(TUE, A, wait=40, serve=None)
    b.ticket(TUE, B, wait=4, serve=3, transfer=(C, 6, 5))
    b.open_ticket(TUE, A)
    # Saturday: the appointment that came (wait 2, served 20) and a walk-in (wait 6, served 30).
    b.ticket(SAT, A, wait=2, serve=20, appointment=came)
    b.ticket(SAT, B, wait=6, serve=30)
    # April: not in March.
    b.ticket(APRIL_2, A, wait=99, serve=99)
    # Applications.
    b.application(
        A,
        local(dt.date(2026, 3, 2), 10),
        dt.date(2026, 3, 6),
        [("issued", local(dt.date(2026, 3, 5), 16)), ("collected", local(APRIL_2, 10))],
        state="collected",
    )
    b.application(
        A,
        local(dt.date(2026, 2, 25), 9),
        dt.date(2026, 3, 4),
        [("issued", local(dt.date(2026, 3, 9), 9))],
        state="issued",
        citizen_index=1,
    )
    b.application(
        B,
        local(dt.date(2026, 3, 10), 12),
        dt.date(2026, 3, 10),
        [("rejected", local(dt.date(2026, 3, 10), 23, 30))],
        state="rejected",
    )
    b.application(
        A,
        local(dt.date(2026, 3, 20), 9),
        dt.date(2026, 3, 27),
        [("issued", local(APRIL_2, 9))],
        state="issued",
        citizen_index=2,
    )
    b.application(B, local(dt.date(2026, 3, 20), 9), dt.date(2026, 3, 27), citizen_index=1)
    b.application(
        C,
        local(dt.date(2026, 3, 30), 23, 30),
        None,
        [("issued", local(dt.date(2026, 3, 31), 23, 30))],
        state="issued",
    )
    # Pertiwi: a published plan for the week of 9 March with one route (95.5 minutes of travel):
    # two visits served (services [A] and [A, C]), one not at home ([B]); two visits left out
    # (out of reach twice, no capacity once). A draft plan's route and outcome do not count.
    plan = b.pertiwi_plan(dt.date(2026, 3, 9))
    route = b.route(plan, dt.date(2026, 3, 10), 95.5)
    made = local(dt.date(2026, 3, 2), 12)
    b.item(plan, b.visit([A], made, 0), route=route, outcome="served")
    b.item(plan, b.visit([A, C], made, 1), route=route, outcome="served")
    b.item(plan, b.visit([B], made, 2), route=route, outcome="not_home")
    b.item(plan, b.visit([A], made, 0), unassigned="out_of_reach")
    b.item(plan, b.visit([B], made, 1), unassigned="out_of_reach")
    b.item(plan, b.visit([A], local(dt.date(2026, 2, 27), 12), 2), unassigned="no_capacity")
    draft = b.pertiwi_plan(dt.date(2026, 3, 16), status="draft")
    draft_route = b.route(draft, dt.date(2026, 3, 17), 300)
    b.item(draft, b.visit([A], local(APRIL_2, 9), 0), route=draft_route, outcome="served")
    return Month(b.mission, b.services, b.citizens)


def survey(mission, service, channel: str, scores, when: dt.datetime):
    """One survey response (with the invitation it answers) submitted at ``when``."""
    import secrets

    from pandu.feedback.models import SurveyInvitation, SurveyResponse

    invitation = SurveyInvitation.objects.create(
        token_hash=secrets.token_hex(32),
        mission=mission,
        service=service,
        channel=channel,
        created_at=when - dt.timedelta(hours=1),
        expires_at=when + dt.timedelta(days=14),
        used_at=when,
    )
    day = when.astimezone(mission.zone).date()
    return SurveyResponse.objects.create(
        invitation=invitation,
        mission=mission,
        service=service,
        channel=channel,
        language="id",
        submitted_at=when,
        submitted_on=day,
        period=f"{day:%Y-%m}",
        **{f"u{i}": score for i, score in enumerate(scores, start=1)},
    )


@pytest.fixture
def surveys(march, demo):
    """March's answers: all 4s and all 3s at the weekday counter, and one Saturday answer
    (2,3,4,3,2,3,4,3,3); one in April and one for Ottawa that do not count."""
    from django.apps import apps

    if not apps.is_installed("pandu.feedback"):
        pytest.skip("the feedback app is not installed")
    m, s = march.mission, march.services
    survey(m, s[A], "weekday", [4] * 9, local(TUE, 11))
    survey(m, s[B], "weekday", [3] * 9, local(TUE, 12))
    survey(m, s[A], "saturday", [2, 3, 4, 3, 2, 3, 4, 3, 3], local(SAT, 12))
    survey(m, s[A], "weekday", [1] * 9, local(APRIL_2, 12))
    survey(demo["ottawa"], None, "weekday", [1] * 9, local(TUE, 12))
    return march
