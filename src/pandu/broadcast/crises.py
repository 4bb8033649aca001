"""Ready texts for common crises, in both languages, that prefill the compose form.

They are a starting point a supervisor edits (place names, shelters, numbers): the texts say only
what holds for any such event. The consulate's emergency line is filled in from the mission.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Crisis:
    code: str
    label: str
    subject_id: str
    body_id: str
    subject_en: str
    body_en: str


CRISES: tuple[Crisis, ...] = (
    Crisis(
        "wildfire",
        _("Kebakaran hutan"),
        "Peringatan kebakaran hutan",
        "Kebakaran hutan terjadi di dekat wilayah Anda. Ikuti perintah evakuasi pihak berwenang "
        "setempat, siapkan dokumen penting dan obat-obatan, dan hindari asap. "
        "Hubungi {mission} di {phone} bila perlu bantuan.",
        "Wildfire warning",
        "A wildfire is burning near your area. Follow the local authorities' evacuation orders, "
        "keep your documents and medicines ready, and avoid the smoke. "
        "Call {mission} at {phone} if you need help.",
    ),
    Crisis(
        "flood",
        _("Banjir"),
        "Peringatan banjir",
        "Banjir terjadi atau diperkirakan di wilayah Anda. Pindah ke tempat yang lebih tinggi, "
        "jangan melintasi air yang mengalir, dan ikuti arahan pihak berwenang setempat. "
        "Hubungi {mission} di {phone} bila perlu bantuan.",
        "Flood warning",
        "Flooding is happening or expected in your area. Move to higher ground, do not walk or "
        "drive through moving water, and follow the local authorities. "
        "Call {mission} at {phone} if you need help.",
    ),
    Crisis(
        "storm",
        _("Cuaca buruk atau badai"),
        "Peringatan cuaca buruk",
        "Cuaca buruk (badai, badai salju atau suhu ekstrem) diperkirakan di wilayah Anda. "
        "Tetap di dalam ruangan bila bisa, siapkan air, makanan dan senter, dan pantau "
        "peringatan resmi. Hubungi {mission} di {phone} bila perlu bantuan.",
        "Severe weather warning",
        "Severe weather (storm, blizzard or extreme temperatures) is expected in your area. "
        "Stay indoors if you can, keep water, food and a torch ready, and follow official "
        "alerts. Call {mission} at {phone} if you need help.",
    ),
    Crisis(
        "accident",
        _("Kecelakaan atau kejadian darurat"),
        "Informasi kejadian darurat",
        "Telah terjadi kejadian darurat di wilayah Anda. Jauhi lokasi kejadian dan ikuti "
        "arahan pihak berwenang. Mohon beri tahu kami apakah Anda aman. "
        "Hubungi {mission} di {phone} bila perlu bantuan.",
        "Emergency information",
        "An emergency has happened in your area. Keep away from the scene and follow the "
        "authorities' instructions. Please let us know whether you are safe. "
        "Call {mission} at {phone} if you need help.",
    ),
    Crisis(
        "election",
        _("Informasi pemilu"),
        "Informasi pemilihan umum",
        "WNI yang terdaftar di wilayah {mission} dapat memberikan suara dalam pemilihan umum. "
        "Periksa tempat, tanggal dan cara memilih di situs perwakilan, atau hubungi {phone}.",
        "Election information",
        "Indonesian citizens registered with {mission} can vote in the general election. "
        "Check the place, date and way to vote on the mission's website, or call {phone}.",
    ),
    Crisis(
        "general",
        _("Umum"),
        "Informasi penting dari {mission}",
        "",
        "Important information from {mission}",
        "",
    ),
)

BY_CODE = {crisis.code: crisis for crisis in CRISES}


def crisis_texts(code: str, *, mission) -> dict[str, str]:
    """The four texts of crisis ``code`` with the mission's name and emergency number."""
    crisis = BY_CODE.get(code) or BY_CODE["general"]
    phone = mission.emergency_phone or mission.phone or "-"
    ind = {"mission": mission.name_id, "phone": phone}
    eng = {"mission": mission.name_en or mission.name_id, "phone": phone}
    return {
        "subject_id": crisis.subject_id.format(**ind),
        "body_id": crisis.body_id.format(**ind),
        "subject_en": crisis.subject_en.format(**eng),
        "body_en": crisis.body_en.format(**eng),
    }
