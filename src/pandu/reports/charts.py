"""Bar and line charts drawn on the server as SVG, for the dashboard and the monthly PDF.

Pure Python, no Django and no JavaScript. Each chart is an ``<svg role="img">`` named by its
``<title>`` and described by its ``<desc>``; the pages always print the same figures as a table
next to it, so nothing is shown only in the picture. Texts arrive already translated; this module
only escapes them.

Colours (on white): text #1b1b1b (17:1), axis and grid #71767a (4.8:1), bars #005ea2 (7.2:1),
second series #936f38 (4.6:1). Series are told apart by dash pattern and marker shape as well as
colour, and every bar and point carries its value as text.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

TEXT = "#1b1b1b"
AXIS = "#71767a"
GRID = "#dfe1e2"
SERIES = [
    {"colour": "#005ea2", "dash": "", "marker": "circle"},
    {"colour": "#936f38", "dash": "6 4", "marker": "square"},
    {"colour": "#1b1b1b", "dash": "2 3", "marker": "diamond"},
]
FONT = "font-family:Source Sans Pro,Helvetica,Arial,sans-serif"
WIDTH = 640
LABEL_CHARS = 30


def _number(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    tid, did = f"{chart_id}-title", f"{chart_id}-desc"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="pandu-chart" '
        f'id="{escape(chart_id)}" aria-labelledby="{tid} {did}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" style="max-width:100%;height:auto;{FONT}">',
        f'<title id="{tid}">{escape(title)}</title>',
        f'<desc id="{did}">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def _nice_max(value: float) -> float:
    """A round upper end for an axis: 1, 2, 2.5 or 5 times a power of ten, at least ``value``."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no data (drawn as an empty row marked with a dash)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    bars: Sequence[Bar],
    unit: str = "",
    decimals: int = 0,
    max_value: float | None = None,
    width: int = WIDTH,
) -> str:
    """Horizontal bars, one per label, each with its value written after it."""
    bars = [Bar(b.label, None if b.value is None else float(b.value)) for b in bars]
    row, top, bottom = 28, 12, 28
    label_w, value_w = 230, 80
    plot_w = width - label_w - value_w - 16
    height = top + bottom + row * max(len(bars), 1)
    scale_max = max_value or _nice_max(max((b.value or 0) for b in bars) if bars else 0)
    out = _open(chart_id, title, desc, width, height)
    x0 = label_w
    for i in range(5):
        x = x0 + plot_w * i / 4
        out.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" '
            f'stroke="{GRID if i else AXIS}" stroke-width="1"/>'
        )
        tick = scale_max * i / 4
        out.append(
            f'<text x="{x:.1f}" y="{height - bottom + 16}" font-size="11" fill="{TEXT}" '
            f'text-anchor="middle">{escape(_number(tick, max(decimals, 1) if tick % 1 else 0))}</text>'
        )
    for i, bar in enumerate(bars):
        y = top + i * row
        out.append(
            f'<text x="{x0 - 8}" y="{y + row / 2 + 4:.1f}" font-size="12" fill="{TEXT}" '
            f'text-anchor="end">{escape(_short(bar.label))}</text>'
        )
        if bar.value is None:
            out.append(
                f'<text x="{x0 + 6}" y="{y + row / 2 + 4:.1f}" font-size="12" '
                f'fill="{TEXT}">–</text>'
            )
            continue
        w = plot_w * min(bar.value / scale_max, 1) if scale_max else 0
        out.append(
            f'<rect x="{x0}" y="{y + 5}" width="{max(w, 0):.1f}" height="{row - 10}" '
            f'fill="{SERIES[0]["colour"]}"/>'
        )
        label = _number(bar.value, decimals) + unit
        out.append(
            f'<text x="{x0 + w + 6:.1f}" y="{y + row / 2 + 4:.1f}" font-size="12" '
            f'fill="{TEXT}">{escape(label)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per x label; None leaves a gap


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "diamond":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
            f'{x - 5:.1f},{y:.1f}" fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def line_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    decimals: int = 0,
    min_value: float = 0.0,
    max_value: float | None = None,
    width: int = WIDTH,
    height: int = 280,
) -> str:
    """Lines over a row of labels (months), with a legend naming each line's pattern."""
    series = [Series(s.name, [None if v is None else float(v) for v in s.values]) for s in series]
    left, right, top, bottom = 56, 24, 40, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    found = [v for s in series for v in s.values if v is not None]
    top_value = max_value if max_value is not None else _nice_max(max(found) if found else 0)
    span = (top_value - min_value) or 1
    out = _open(chart_id, title, desc, width, height)
    # Legend.
    x = left
    for i, s in enumerate(series):
        style = SERIES[i % len(SERIES)]
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        out.append(
            f'<line x1="{x}" y1="16" x2="{x + 28}" y2="16" stroke="{style["colour"]}" '
            f'stroke-width="2.5"{dash}/>'
        )
        out.append(_marker(style["marker"], x + 14, 16, style["colour"]))
        out.append(
            f'<text x="{x + 34}" y="20" font-size="12" fill="{TEXT}">{escape(s.name)}</text>'
        )
        x += 34 + 7 * len(s.name) + 24
    # Axes and grid.
    for i in range(5):
        value = min_value + span * i / 4
        y = top + plot_h - plot_h * i / 4
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            f'stroke="{GRID if i else AXIS}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" fill="{TEXT}" '
            f'text-anchor="end">{escape(_number(value, max(decimals, 1) if value % 1 else 0))}</text>'
        )
    count = max(len(labels), 1)
    step = plot_w / count

    def px(i: int) -> float:
        return left + step * (i + 0.5)

    def py(v: float) -> float:
        return top + plot_h - plot_h * (min(max(v, min_value), top_value) - min_value) / span

    for i, label in enumerate(labels):
        out.append(
            f'<text x="{px(i):.1f}" y="{height - bottom + 18}" font-size="11" fill="{TEXT}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for n, s in enumerate(series):
        style = SERIES[n % len(SERIES)]
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        run: list[str] = []
        runs: list[list[str]] = []
        for i, v in enumerate(s.values):
            if v is None:
                if run:
                    runs.append(run)
                run = []
                continue
            run.append(f"{px(i):.1f},{py(v):.1f}")
        if run:
            runs.append(run)
        for points in runs:
            if len(points) > 1:
                out.append(
                    f'<polyline points="{" ".join(points)}" fill="none" '
                    f'stroke="{style["colour"]}" stroke-width="2.5"{dash}/>'
                )
        for i, v in enumerate(s.values):
            if v is None:
                continue
            out.append(_marker(style["marker"], px(i), py(v), style["colour"]))
            offset = -9 if n % 2 == 0 else 17
            out.append(
                f'<text x="{px(i):.1f}" y="{py(v) + offset:.1f}" font-size="11" fill="{TEXT}" '
                f'text-anchor="middle">{escape(_number(v, decimals) + unit)}</text>'
            )
    out.append("</svg>")
    return "\n".join(out)


def data_uri(svg: str) -> str:
    """The chart as a data: URI, for an <img> in the PDF."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
