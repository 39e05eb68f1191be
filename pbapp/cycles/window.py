"""When a cycle takes ballots: the voting phase, and within it the dates staff set.

The phase alone is not enough: a cycle left in voting past its close would keep taking ballots.
One rule here serves the ballot services, the ballot pages and the cycle page. Needs no database;
the refusal's wording needs an app context (translation, the site's time zone), and
``pbapp.dates`` writes its times.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask_babel import gettext

from ..dates import last_minute_words, moment, zone_words  # noqa: F401 (the cycle pages' words)


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
                       when=moment(cycle.voting_opens))
    if cycle.voting_closes is not None and now >= _utc(cycle.voting_closes):
        return gettext("Voting closed at %(when)s.",
                       when=moment(cycle.voting_closes))
    return None
