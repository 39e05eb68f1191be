"""When a cycle takes ballots: the voting phase, and within it the dates staff set.

The phase alone is not enough: a cycle left in voting past its close would keep taking ballots.
One rule here serves the ballot services, the ballot pages and the cycle page. Needs no database;
the refusal's wording needs an app context (translation, the site's time zone).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from babel.dates import get_timezone_name
from flask_babel import (format_date, format_datetime, format_time, get_locale, get_timezone,
                         gettext, to_user_timezone)


def _utc(when: datetime) -> datetime:
    """Stored times come back aware; a naive one (not yet saved) is UTC by the house rule."""
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)


def within_dates(cycle, now: datetime | None = None) -> bool:
    """Opening time included, closing time excluded; a missing date does not limit."""
    now = _utc(now or datetime.now(timezone.utc))
    opens, closes = cycle.voting_opens, cycle.voting_closes
    return ((opens is None or now >= _utc(opens))
            and (closes is None or now < _utc(closes)))


def voting_open(cycle, now: datetime | None = None) -> bool:
    return cycle.phase == "voting" and within_dates(cycle, now)


def why_closed(cycle, now: datetime | None = None, *, check_dates: bool = True) -> str | None:
    """Why a ballot cannot be cast now, in the voter's words; None while it can.

    ``check_dates=False`` keeps only the phase: paper ballots cast in time are typed in after
    the close, while the cycle is still in voting."""
    if cycle.phase != "voting":
        return gettext("Voting is not open for this cycle.")
    if not check_dates:
        return None
    now = _utc(now or datetime.now(timezone.utc))
    if cycle.voting_opens is not None and now < _utc(cycle.voting_opens):
        return gettext("Voting has not opened yet; it opens at %(when)s.",
                       when=format_datetime(cycle.voting_opens, gettext("d MMMM yyyy, HH:mm")))
    if cycle.voting_closes is not None and now >= _utc(cycle.voting_closes):
        return gettext("Voting closed at %(when)s.",
                       when=format_datetime(cycle.voting_closes, gettext("d MMMM yyyy, HH:mm")))
    return None


def zone_words() -> str:
    """The site's time zone as people say it ("Central Time", "hora central"), or "UTC";
    never Babel's "Coordinated Universal Time" or "Unknown Region (UTC) Time"."""
    zone = get_timezone()
    key = getattr(zone, "key", None) or getattr(zone, "zone", None) or str(zone)
    if key in ("UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/UCT", "UCT", "Zulu", "Universal"):
        return "UTC"
    return get_timezone_name(zone, "long", "generic", locale=get_locale())


def last_minute_words(closes: datetime) -> str:
    """When a window closing at ``closes`` (excluded) last takes a ballot, in the site's time
    zone: a close at midnight is "23:59 on 14 December 2026", not the next day's date, which
    would promise a day that is already shut; any other close is its own time."""
    local = to_user_timezone(_utc(closes))
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        local -= timedelta(minutes=1)
    return gettext("%(time)s on %(date)s", time=format_time(local, "HH:mm", rebase=False),
                   date=format_date(local.date(), gettext("d MMMM yyyy")))
