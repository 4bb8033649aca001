"""Geocoding: FSA representative points from the packaged database or a configured CSV."""

import pytest

from pandu.outreach import geocoding
from pandu.outreach.geocoding import FsaGeocoder, GeoPoint, fsa_of, in_canada

# Made-up points, not copied from any data set.
SYNTHETIC = """fsa,city,province,latitude,longitude,timezone,dst
A1A,Testville,Newfoundland,47.5,-52.8,-3.5,1
m9z,Lowercase Town,Ontario,44.25,-79.5,-5,1
X0X,Nowhere,Nunavut,not-a-number,-90,-6,1
Z9Z,Outside,Ontario,10.0,10.0,-5,1
"""


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "fsa.csv"
    path.write_text(SYNTHETIC, encoding="utf-8")
    return path


def test_packaged_database_places_downtown_toronto():
    point = FsaGeocoder(csv_path="").locate(postal_code="m5v 3l9")
    assert point is not None and point.source == "fsa"
    assert point.lat == pytest.approx(43.65, abs=0.05)
    assert point.lon == pytest.approx(-79.37, abs=0.05)


def test_unknown_or_malformed_postal_codes_are_not_placed():
    geocoder = FsaGeocoder(csv_path="")
    assert geocoder.locate(postal_code="") is None
    assert geocoder.locate(postal_code="12345") is None
    assert geocoder.locate(postal_code="D0D 0D0") is None  # no such FSA


def test_csv_file_is_read_by_column_name_and_bad_rows_skipped(csv_file):
    geocoder = FsaGeocoder(csv_path=str(csv_file))
    assert geocoder.locate(postal_code="A1A 1A1") == GeoPoint(47.5, -52.8, "fsa")
    assert geocoder.locate(postal_code="M9Z1A1") == GeoPoint(44.25, -79.5, "fsa")
    assert geocoder.locate(postal_code="X0X 1A1") is None  # unreadable latitude
    assert geocoder.locate(postal_code="Z9Z 1A1") is None  # not in Canada
    assert geocoder.locate(postal_code="M5V 3L9") is None  # only the file's FSAs


def test_csv_without_the_needed_columns_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code,lat,lng\nA1A,47,-52\n", encoding="utf-8")
    with pytest.raises(ValueError, match="latitude"):
        FsaGeocoder(csv_path=str(path)).locate(postal_code="A1A 1A1")


def test_settings_choose_the_file_and_the_geocoder(settings, csv_file):
    settings.PANDU_FSA_CENTROIDS = str(csv_file)
    assert geocoding.geocoder().locate(postal_code="A1A 1A1").lat == 47.5
    settings.PANDU_GEOCODER = "tests.outreach.test_geocoding.FixedGeocoder"
    assert geocoding.geocoder().locate(postal_code="M5V 3L9").source == "online"


class FixedGeocoder:
    def locate(self, *, postal_code, address_line="", city="", province=""):
        return GeoPoint(45.0, -75.0, "online")


def test_helpers():
    assert fsa_of(" k1y 1e5 ") == "K1Y"
    assert fsa_of("K1") is None
    assert in_canada(43.65, -79.38)
    assert not in_canada(-79.38, 43.65)  # swapped
    assert not in_canada(float("nan"), -79.0)


def test_the_former_path_still_names_the_fsa_geocoder(settings):
    settings.PANDU_GEOCODER = "pandu.outreach.geocoding.FsaGeocoder"
    settings.PANDU_FSA_CENTROIDS = ""
    point = geocoding.geocoder().locate(postal_code="R3T 2N2")  # Winnipeg
    assert point is not None and point.lat == pytest.approx(49.8, abs=0.2)
