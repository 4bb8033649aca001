"""The geocoder moved to :mod:`pandu.core.geocoding` (lapor diri uses it too, below outreach).

Kept so that ``PANDU_GEOCODER="pandu.outreach.geocoding.FsaGeocoder"`` in an existing
configuration, and older imports, keep working.
"""

from pandu.core.geocoding import (  # noqa: F401
    CANADA_LAT,
    CANADA_LON,
    DEFAULT_GEOCODER,
    SOURCE_FSA,
    FsaGeocoder,
    Geocoder,
    GeoPoint,
    fsa_of,
    geocoder,
    in_canada,
)
