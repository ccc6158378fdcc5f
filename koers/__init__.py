"""Koers: person-centred care planning and self-management support."""

__version__ = "0.1.0"
