"""The test agreement's dates, and instants to stop the clock at."""
from __future__ import annotations

from datetime import date, datetime, timezone

EXPIRES = date(2026, 12, 31)
RETAIN = date(2027, 6, 30)
#: a number that appears nowhere else on the pages, to find it (or miss it) in every output
VALUE = 4321


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)
