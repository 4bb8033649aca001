"""The citizen's own survey answers for their data export (``pandu.people.export``; registered in
``FeedbackConfig.ready``).

An answer is theirs when its invitation surveyed one of their records: an appointment, a ticket
from one of their appointments, a Pertiwi visit, or one of their applications. Invitations are
not matched by e-mail address: a walk-in may type any address.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q

from pandu.feedback.ikm import CODES
from pandu.feedback.models import SurveyResponse
from pandu.people.export import Section, obj, service_label


def contribute(*, user, citizen) -> Section:
    mine = (
        Q(invitation__appointment__citizen=citizen)
        | Q(invitation__ticket__appointment__citizen=citizen)
        | Q(invitation__visit_request__citizen=citizen)
    )
    if apps.is_installed("pandu.applications"):
        Application = apps.get_model("applications", "Application")
        mine |= Q(
            invitation__application_ref__in=Application.objects.filter(citizen=citizen).values(
                "public_id"
            )
        )
    section = Section()
    responses = (
        SurveyResponse.objects.filter(mine)
        .select_related(
            "mission",
            "service",
            "invitation__appointment",
            "invitation__ticket",
            "invitation__visit_request",
            "follow_up",
        )
        .order_by("submitted_at", "pk")
    )
    for response in responses:
        invitation = response.invitation
        section.objects.append(obj(response))
        section.objects.append(obj(invitation))
        subject = {}
        if invitation.appointment:
            subject["appointment"] = invitation.appointment.reference
        if invitation.ticket:
            subject["ticket"] = str(invitation.ticket.public_id)
        if invitation.visit_request:
            subject["visit_request"] = str(invitation.visit_request.public_id)
        if invitation.application_ref:
            subject["application"] = str(invitation.application_ref)
        follow_up = getattr(response, "follow_up", None)
        if follow_up is not None:
            section.objects.append(obj(follow_up))
        section.records.append(
            {
                "public_id": response.public_id,
                "mission": response.mission.slug,
                "service": service_label(response.service),
                "channel": response.channel,
                "channel_label": response.get_channel_display(),
                "about": subject,
                "answers": {code: getattr(response, code) for code in CODES},
                "comment": response.comment,
                "is_complaint": response.is_complaint,
                "via_kiosk": response.via_kiosk,
                "language": response.language,
                "submitted_at": response.submitted_at,
                "follow_up": (
                    {
                        "status": follow_up.status,
                        "status_label": follow_up.get_status_display(),
                        "outcome": follow_up.outcome,
                        "opened_at": follow_up.opened_at,
                        "closed_at": follow_up.closed_at,
                    }
                    if follow_up is not None
                    else None
                ),
            }
        )
    return section
