"""Measurement harnesses (not shipped in the wheel)."""
