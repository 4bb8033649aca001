from __future__ import annotations

from pandu.broadcast import services
from pandu.broadcast.selectors import Selection

TORONTO = (43.6532, -79.3832)


def draft(mission, by, *, km: float = 50, groups=("all",), **texts):
    return services.broadcast_draft(
        mission=mission,
        by=by,
        selection=Selection(
            area="radius",
            groups=tuple(groups),
            center_lat=TORONTO[0],
            center_lon=TORONTO[1],
            radius_km=km,
        ),
        crisis="flood",
        subject_id=texts.get("subject_id", "Peringatan banjir"),
        body_id=texts.get("body_id", "Banjir di Toronto. Pindah ke tempat tinggi."),
        subject_en=texts.get("subject_en", "Flood warning"),
        body_en=texts.get("body_en", "Flooding in Toronto. Move to higher ground."),
        center_label="Toronto",
    )
