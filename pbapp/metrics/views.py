"""Metric pages (filled in by the metrics pages work)."""
from . import bp  # noqa: F401
