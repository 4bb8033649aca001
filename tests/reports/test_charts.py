"""The SVG charts: named and described, one bar or point per figure, values written out."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from pandu.reports import charts

NS = {"svg": "http://www.w3.org/2000/svg"}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own SVG, not untrusted input)


def test_bar_chart_has_a_title_a_description_and_a_bar_per_value():
    svg = charts.bar_chart(
        chart_id="c1",
        title="Layanan <per> layanan",
        desc="Jumlah & saluran",
        bars=[charts.Bar("Paspor", 5), charts.Bar("Legalisasi", 3), charts.Bar("SPLP", None)],
    )
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find("svg:title", NS).text == "Layanan <per> layanan"
    assert root.find("svg:desc", NS).text == "Jumlah & saluran"
    bars = [r for r in root.findall("svg:rect", NS) if r.get("fill") == charts.SERIES[0]["colour"]]
    assert len(bars) == 2
    widths = [float(b.get("width")) for b in bars]
    assert abs(widths[0] / widths[1] - 5 / 3) < 0.01
    texts = [t.text for t in root.findall("svg:text", NS)]
    assert {"Paspor", "Legalisasi", "SPLP", "5", "3", "–"} <= set(texts)
    assert "<script" not in svg


def test_bar_chart_with_a_fixed_scale_and_a_unit():
    svg = charts.bar_chart(
        chart_id="c2",
        title="t",
        desc="d",
        bars=[charts.Bar("Hari kerja", 73.3)],
        unit="%",
        decimals=1,
        max_value=100,
    )
    texts = [t.text for t in _parse(svg).findall("svg:text", NS)]
    assert "73.3%" in texts and "100" in texts


def test_line_chart_breaks_at_missing_months_and_labels_each_point():
    svg = charts.line_chart(
        chart_id="c3",
        title="Waktu tunggu",
        desc="Median per bulan",
        labels=["Jan", "Feb", "Mar", "Apr"],
        series=[
            charts.Series("Median", [10.0, None, 12.5, 11.0]),
            charts.Series("P90", [20.0, 30.0, 25.0, 22.0]),
        ],
        decimals=1,
    )
    root = _parse(svg)
    lines = root.findall("svg:polyline", NS)
    # Median: Jan alone, then Mar-Apr; P90 in one run.
    assert sorted(len(p.get("points").split()) for p in lines) == [2, 4]
    texts = [t.text for t in root.findall("svg:text", NS)]
    for value in ("10.0", "12.5", "11.0", "20.0", "30.0", "25.0", "22.0"):
        assert value in texts
    assert {"Median", "P90", "Jan", "Apr"} <= set(texts)
    # The second series is dashed, so colour is not the only difference.
    assert any(p.get("stroke-dasharray") for p in lines)


def test_empty_charts_still_draw():
    assert _parse(charts.bar_chart(chart_id="e", title="t", desc="d", bars=[])) is not None
    svg = charts.line_chart(chart_id="f", title="t", desc="d", labels=["Jan"], series=[])
    assert _parse(svg).find("svg:title", NS).text == "t"


def test_data_uri_round_trips():
    import base64

    svg = charts.bar_chart(chart_id="u", title="t", desc="d", bars=[charts.Bar("a", 1)])
    uri = charts.data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == svg
