"""Pandu: Pelayanan Kekonsuleran Terpadu, integrated consular service for Indonesian missions."""

__version__ = "0.1.0"
