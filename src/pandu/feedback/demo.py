"""Demo survey data for KJRI Toronto: last month and this month so far, across the channels.

Responses are made through the services (invitation, answer, follow-up; ``feedback.history``
writes them at once as those calls one by one would), on a fixed random seed, so the demo month's
index is the same on every machine for the same ``today``. Scores spread around a level per
channel (home visits rated highest, waiting time and facilities lowest), with a few unhappy
answers whose follow-ups a supervisor has partly handled. Invitations carry no e-mail address, so
no citizen is mailed; ``pandu demo`` also holds back the supervisors' follow-up mails
(``notify.services.held``).
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from pandu.core import clock
from pandu.core.models import Mission
from pandu.feedback import services
from pandu.feedback.history import PastAnswer, surveys_history_record
from pandu.feedback.ikm import CODES
from pandu.feedback.models import Channel, SurveyResponse

MISSION = "toronto"
SUPERVISOR = "supervisor@toronto.pandu.test"
SEED = 20170614  # the regulation's date
#: Responses per day by channel on a weekday; Saturday sessions on the first Saturday of a month.
WEEKDAY_PER_DAY = 12
SATURDAY_SESSION = 30
PERTIWI_PER_WEEK = 3
COLLECTED_PER_WEEK = 4
#: Mean score per channel and the shift of each element from it.
LEVEL = {
    Channel.WEEKDAY: 3.25,
    Channel.SATURDAY: 3.35,
    Channel.PERTIWI: 3.65,
    Channel.COLLECTED: 3.3,
}
SHIFT = {"u1": 0.0, "u2": 0.05, "u3": -0.3, "u4": 0.25, "u5": 0.05, "u6": 0.1, "u7": 0.15}
SHIFT |= {"u8": -0.15, "u9": -0.2}
SERVICES = {
    Channel.WEEKDAY: ["paspor-ganti", "legalisasi", "lapor-diri", "surat-keterangan", "splp"],
    Channel.SATURDAY: ["paspor-ganti", "paspor-baru", "legalisasi"],
    Channel.PERTIWI: ["paspor-ganti", "lapor-diri"],
    Channel.COLLECTED: ["paspor-ganti", "paspor-baru"],
}
COMPLAINTS = [
    "Antrean hari Sabtu terlalu lama, lebih dari dua jam berdiri.",
    "Biaya legalisasi di situs berbeda dengan yang diminta di loket.",
    "Petugas telepon tidak menjawab tiga kali.",
]
OUTCOMES = [
    "Warga ditelepon; kursi tunggu ditambah dan nomor antrean Sabtu dibagi per jam.",
    "Tarif di situs diperbarui; selisih dikembalikan kepada warga.",
    "Jalur telepon dialihkan ke loket informasi pada jam sibuk; warga dihubungi kembali.",
    "Petugas menjelaskan ulang persyaratan kepada warga; daftar periksa di situs diperjelas.",
    "Ruang tunggu diberi tanda arah yang lebih jelas; warga menerima permohonan maaf.",
    "Warga dihubungi; jadwal layanan Sabtu berikutnya diumumkan lebih awal.",
]


def _scores(rng: random.Random, channel: str) -> dict[str, int]:
    return {
        code: min(4, max(1, round(rng.gauss(LEVEL[channel] + SHIFT[code], 0.5)))) for code in CODES
    }


def _plan(start: dt.date, end: dt.date, rng: random.Random):
    """(date, channel) of each response from ``start`` to ``end`` inclusive."""
    day = start
    while day <= end:
        if day.weekday() < 5:
            for _ in range(rng.randint(WEEKDAY_PER_DAY - 2, WEEKDAY_PER_DAY + 2)):
                yield day, Channel.WEEKDAY
            if rng.random() < PERTIWI_PER_WEEK / 5:
                yield day, Channel.PERTIWI
            if rng.random() < COLLECTED_PER_WEEK / 5:
                yield day, Channel.COLLECTED
        elif day.weekday() == 5 and day.day <= 7:
            for _ in range(SATURDAY_SESSION):
                yield day, Channel.SATURDAY
        day += dt.timedelta(days=1)


def load_feedback_demo(*, today: dt.date | None = None) -> dict[str, int]:
    """Create last month's and this month's (to yesterday) responses unless the mission already
    has responses; return how many responses and follow-ups were made."""
    created = {"survey_responses": 0, "follow_ups": 0}
    mission = Mission.objects.filter(slug=MISSION).first()
    if mission is None or SurveyResponse.objects.filter(mission=mission).exists():
        return created
    today = today or clock.today(mission)
    first_of_month = today.replace(day=1)
    start = (first_of_month - dt.timedelta(days=1)).replace(day=1)
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    by_code = {s.code: s for s in mission.services.all()}
    supervisor = get_user_model().objects.filter(email=SUPERVISOR).first()
    complaints = iter(COMPLAINTS)
    answers = []
    for day, channel in _plan(start, today - dt.timedelta(days=1), rng):
        moment = dt.datetime.combine(day, dt.time(rng.randint(9, 15), rng.randint(0, 59)))
        served_at = timezone.make_aware(moment, mission.zone)
        service = by_code.get(rng.choice(SERVICES[channel]))
        scores = _scores(rng, channel)
        comment, complaint = "", False
        if rng.random() < 0.025:
            comment = next(complaints, "")
            complaint = bool(comment)
        answered_at = served_at + dt.timedelta(hours=rng.randint(1, 30))
        if timezone.localdate(answered_at, mission.zone) >= today:
            answered_at = served_at + dt.timedelta(hours=1)  # nothing answered "in the future"
        answers.append(
            PastAnswer(
                channel=channel,
                service=service,
                served_at=served_at,
                answered_at=answered_at,
                answers=scores,
                comment=comment,
                is_complaint=complaint,
                via_kiosk=rng.random() < 0.3,
            )
        )
    # Each one invited without a mail and answered in turn, as through ``survey_invite`` and
    # ``survey_submit`` (an unhappy answer opens its follow-up).
    responses = surveys_history_record(mission=mission, answers=answers)
    created["survey_responses"] = len(responses)
    follow_ups = [r.follow_up for r in responses if services.is_unhappy(r)]
    created["follow_ups"] = len(follow_ups)
    if supervisor is not None and supervisor.has_perm(services.FOLLOW_UP_PERM, mission):
        # The older half handled: assigned, and the oldest closed with an outcome.
        for i, follow_up in enumerate(follow_ups[: len(follow_ups) // 2]):
            when = follow_up.opened_at + dt.timedelta(days=1)
            services.follow_up_assign(
                follow_up=follow_up, assignee=supervisor, by=supervisor, now=when
            )
            if i < len(OUTCOMES):
                services.follow_up_record(
                    follow_up=follow_up,
                    outcome=OUTCOMES[i],
                    close=True,
                    by=supervisor,
                    now=when + dt.timedelta(days=2),
                )
    return created
