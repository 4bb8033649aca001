"""Route maps drawn offline as SVG: the depot and the numbered stops, joined in visiting order.

Pure Python (no Django), so run sheets print without any map service: a plain equirectangular
projection (longitude scaled by the cosine of the middle latitude) is true enough at the scale
of one day's trip. The map carries a ``<title>`` and a ``<desc>``; the pages put the same
information in a table beside it, so nothing is shown only in the picture. Tile maps are
deliberately not drawn here: a mission may offer them where configured, never require them.

Texts arrive already translated; this module only escapes them.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH = 480
HEIGHT = 320
PADDING = 28
STOP_RADIUS = 12
DEPOT_SIZE = 18


@dataclass(frozen=True)
class MapPoint:
    label: str
    lat: float
    lon: float


def project(
    points: Sequence[MapPoint], *, width: int = WIDTH, height: int = HEIGHT, padding: int = PADDING
) -> list[tuple[float, float]]:
    """Screen coordinates (x right, y down) of ``points``, fitted into the drawing area."""
    if not points:
        return []
    mid_lat = (max(p.lat for p in points) + min(p.lat for p in points)) / 2
    k = math.cos(math.radians(mid_lat))
    xs = [p.lon * k for p in points]
    ys = [p.lat for p in points]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    inner_w, inner_h = width - 2 * padding, height - 2 * padding
    scale = min(
        inner_w / span_x if span_x > 0 else math.inf,
        inner_h / span_y if span_y > 0 else math.inf,
    )
    if not math.isfinite(scale):  # every point in one place
        return [(width / 2, height / 2) for _ in points]
    # Centre the drawing in whichever direction has room to spare.
    off_x = padding + (inner_w - span_x * scale) / 2
    off_y = padding + (inner_h - span_y * scale) / 2
    return [
        (off_x + (x - min(xs)) * scale, off_y + (max(ys) - y) * scale)
        for x, y in zip(xs, ys, strict=True)
    ]


def route_svg(
    *,
    depot: MapPoint,
    stops: Sequence[MapPoint],
    title: str,
    desc: str,
    id_prefix: str = "map",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """An SVG document: depot as a square, each stop as a numbered circle, lines in order.

    ``id_prefix`` keeps the ids of ``<title>``/``<desc>`` unique when a page holds several maps.
    """
    coords = project([depot, *stops], width=width, height=height)
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" class="pandu-route-map" '
        'style="max-width:100%;height:auto">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f7f7f4" stroke="#71767a"/>',
    ]
    if coords:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in [*coords, coords[0]])
        if stops:
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="#1a4480" stroke-width="2" '
                'stroke-linejoin="round"/>'
            )
        dx, dy = coords[0]
        half = DEPOT_SIZE / 2
        parts.append(
            f'<rect x="{dx - half:.1f}" y="{dy - half:.1f}" width="{DEPOT_SIZE}" '
            f'height="{DEPOT_SIZE}" fill="#1b1b1b"><title>{escape(depot.label)}</title></rect>'
        )
        for number, (stop, (x, y)) in enumerate(zip(stops, coords[1:], strict=True), start=1):
            parts.append(
                f"<g><title>{escape(f'{number}. {stop.label}')}</title>"
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{STOP_RADIUS}" fill="#ffffff" '
                'stroke="#9b1b1b" stroke-width="3"/>'
                f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="12" '
                f'font-family="sans-serif" font-weight="bold" fill="#1b1b1b">{number}</text></g>'
            )
    parts.append("</svg>")
    return "".join(parts)


def data_uri(svg: str) -> str:
    """``svg`` as a ``data:`` URI, for ``<img src=...>`` where inline SVG is not rendered."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
