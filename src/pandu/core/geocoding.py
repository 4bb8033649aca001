"""Where an address is: a point for trip planning and lapor diri, found offline.

The default :class:`FsaGeocoder` knows only the *forward sortation area* (FSA: the first three
characters of a Canadian postal code) and answers with that area's representative point. These
points are **representative, not street-level**: an urban FSA covers a few streets, but a rural
one covers a region, and its point can lie far from the town in its label (``P0L`` "Cochrane
Region (Hearst)" sits near Attawapiskat, hundreds of kilometres from Hearst). That is why the
citizen or an officer can correct the point (``visit_location_correct``), and why an online
geocoder can be configured instead through the setting ``PANDU_GEOCODER`` (a dotted path to a
class implementing :class:`Geocoder`; it is built without arguments).

The points come from the ``pypostalcode`` package's bundled SQLite file (table ``PostalCodes``,
2011 census FSAs), read-only and once per process; or, when the setting ``PANDU_FSA_CENTROIDS``
names a CSV file with the columns ``fsa,latitude,longitude`` (others ignored), from that file.
The data is never copied into the project.

Deliberately not here: address parsing, street-level lookup, or any network call.
"""

from __future__ import annotations

import csv
import math
import re
import sqlite3
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_GEOCODER = "pandu.core.geocoding.FsaGeocoder"
SOURCE_FSA = "fsa"

# Canada's extent, generously: the mainland, the Arctic islands, and the coasts' waters.
CANADA_LAT = (41.6, 83.2)
CANADA_LON = (-141.1, -52.5)

_FSA = re.compile(r"^[A-Z]\d[A-Z]$")


@dataclass(frozen=True)
class GeoPoint:
    lat: float
    lon: float
    source: str  # "fsa", "online", "manual": where the point came from


class Geocoder(Protocol):
    def locate(
        self, *, postal_code: str, address_line: str = "", city: str = "", province: str = ""
    ) -> GeoPoint | None:
        """The point for an address, or None when this geocoder cannot place it."""
        ...


def in_canada(lat: float, lon: float) -> bool:
    """A coarse bounding box: enough to catch swapped or mistyped coordinates."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    return CANADA_LAT[0] <= lat <= CANADA_LAT[1] and CANADA_LON[0] <= lon <= CANADA_LON[1]


def fsa_of(postal_code: str) -> str | None:
    compact = re.sub(r"\s+", "", (postal_code or "").upper())
    fsa = compact[:3]
    return fsa if _FSA.match(fsa) else None


def _packaged_db() -> Path:
    return Path(str(resources.files("pypostalcode").joinpath("postalcodes.db")))


def _read_sqlite(path: Path) -> dict[str, tuple[float, float]]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        connection.row_factory = sqlite3.Row
        rows = connection.execute("SELECT fsa, latitude, longitude FROM PostalCodes").fetchall()
    finally:
        connection.close()
    return _points((row["fsa"], row["latitude"], row["longitude"]) for row in rows)


def _read_csv(path: Path) -> dict[str, tuple[float, float]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"fsa", "latitude", "longitude"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        return _points((row["fsa"], row["latitude"], row["longitude"]) for row in reader)


def _points(rows) -> dict[str, tuple[float, float]]:
    points: dict[str, tuple[float, float]] = {}
    for fsa, lat, lon in rows:
        code = (fsa or "").strip().upper()
        try:
            point = (float(lat), float(lon))
        except (TypeError, ValueError):
            continue
        if _FSA.match(code) and in_canada(*point):
            points.setdefault(code, point)
    return points


@cache
def _table(csv_path: str) -> dict[str, tuple[float, float]]:
    # Read once per process and file; two threads racing here only read the file twice.
    return _read_csv(Path(csv_path)) if csv_path else _read_sqlite(_packaged_db())


class FsaGeocoder:
    """The FSA's representative point; None for an unknown or malformed postal code."""

    def __init__(self, csv_path: str | None = None):
        configured = getattr(settings, "PANDU_FSA_CENTROIDS", "") if csv_path is None else csv_path
        self.csv_path = str(configured or "")

    def locate(
        self, *, postal_code: str, address_line: str = "", city: str = "", province: str = ""
    ) -> GeoPoint | None:
        fsa = fsa_of(postal_code)
        if fsa is None:
            return None
        found = _table(self.csv_path).get(fsa)
        if found is None:
            return None
        return GeoPoint(lat=found[0], lon=found[1], source=SOURCE_FSA)


def geocoder() -> Geocoder:
    """The configured geocoder (``PANDU_GEOCODER``), FSA points by default."""
    return import_string(getattr(settings, "PANDU_GEOCODER", "") or DEFAULT_GEOCODER)()
