"""Reads of survey data: responses as :class:`pandu.feedback.ikm.Respondent` rows for the index,
a response's answers in the regulation's wording, and the service record a response is about."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from pandu.feedback import ikm
from pandu.feedback.models import SurveyInvitation, SurveyResponse


def respondents(
    *, mission, start: dt.date | None = None, end: dt.date | None = None
) -> list[ikm.Respondent]:
    """The responses of ``mission`` submitted (mission's local date) from ``start`` to ``end``
    inclusive, as rows for :mod:`pandu.feedback.ikm`; ``service`` is the service's code."""
    rows = SurveyResponse.objects.filter(mission=mission)
    if start:
        rows = rows.filter(submitted_on__gte=start)
    if end:
        rows = rows.filter(submitted_on__lte=end)
    values = rows.values_list(*ikm.CODES, "service__code", "channel", "submitted_on")
    return [
        ikm.Respondent(tuple(v[:9]), service=v[9] or "", channel=v[10], date=v[11]) for v in values
    ]


def ikm_for(*, mission, start: dt.date | None = None, end: dt.date | None = None):
    """The mission's IKM over a period, or None when nobody answered."""
    rows = respondents(mission=mission, start=start, end=end)
    return ikm.compute(r.scores for r in rows) if rows else None


def answers_of(response: SurveyResponse) -> list[dict]:
    """Each element with its question, the score given and that answer's wording (translated)."""
    return [
        {
            "code": element.code,
            "name": _(element.name),
            "question": _(element.question),
            "score": getattr(response, element.code),
            "answer": _(element.answers[getattr(response, element.code) - 1]),
        }
        for element in ikm.ELEMENTS
    ]


def service_record(invitation: SurveyInvitation) -> dict:
    """What the response is about, for staff: a label, a reference and a page link if any."""
    if invitation.appointment_id:
        appointment = invitation.appointment
        assert appointment is not None  # appointment_id is set
        return {
            "kind": _("Janji temu"),
            "reference": appointment.reference,
            "url": f"{reverse('appointments:staff_day')}?mission={invitation.mission.slug}"
            f"&q={appointment.reference}",
        }
    if invitation.ticket_id:
        ticket = invitation.ticket
        assert ticket is not None  # ticket_id is set
        return {
            "kind": _("Nomor antrean"),
            "reference": f"{ticket.number} ({ticket.date:%Y-%m-%d})",
            "url": "",
        }
    if invitation.visit_request_id:
        visit_request = invitation.visit_request
        assert visit_request is not None  # visit_request_id is set
        return {
            "kind": _("Kunjungan rumah Pertiwi"),
            "reference": visit_request.citizen.full_name,
            "url": reverse(
                "outreach:visit_staff_detail",
                kwargs={"public_id": visit_request.public_id},
            ),
        }
    if invitation.application_ref:
        return {"kind": _("Permohonan"), "reference": str(invitation.application_ref), "url": ""}
    return {"kind": _("Tidak diketahui"), "reference": "", "url": ""}
