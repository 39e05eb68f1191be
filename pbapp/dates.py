"""Dates and times as people read them: one style per language, in the site's time zone.

Every page writes a day as "14 December 2026" ("14 de diciembre de 2026") and a moment as
"14 December 2026, 18:30" ("14 de diciembre de 2026, 18:30"); the patterns are catalogue
entries, so each language has exactly one. Stored times are UTC (a naive one is UTC by the
house rule) and are shown in the site's time zone; a stored ``date`` has no zone and is shown
as it is. The time zone is named only where a reader acts on the time (voting windows,
meetings): see ``zone_words`` and ``window_words``.

Registered as the Jinja filters ``day`` and ``moment`` and the globals ``zone_words`` and
``window_words`` by ``pbapp.i18n``.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from babel.dates import get_timezone_name
from flask_babel import format_date, format_time, get_locale, get_timezone, gettext
from flask_babel import to_user_timezone


def _local(when: datetime) -> datetime:
    aware = when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)
    return to_user_timezone(aware)


def day(value: date | datetime | None) -> str:
    """The day, in the site's time zone for a stored time: "14 December 2026"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    return format_date(value, gettext("d MMMM yyyy"))


def clock(value: datetime) -> str:
    return format_time(_local(value), "HH:mm", rebase=False)


def moment(value: datetime | None) -> str:
    """A stored time in the site's time zone: "14 December 2026, 18:30"."""
    if value is None:
        return ""
    # Translators: a day, then a time of day (24-hour clock)
    return gettext("%(date)s, %(time)s", date=day(value), time=clock(value))


def zone_words() -> str:
    """The site's time zone as people say it ("Central Time", "hora central"), or "UTC";
    never Babel's "Coordinated Universal Time" or "Unknown Region (UTC) Time"."""
    zone = get_timezone()
    key = getattr(zone, "key", None) or getattr(zone, "zone", None) or str(zone)
    if key in ("UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/UCT", "UCT", "Zulu", "Universal"):
        return "UTC"
    return get_timezone_name(zone, "long", "generic", locale=get_locale())


def at_words(when: datetime) -> str:
    """A moment inside a sentence: "18:30 on 14 December 2026"."""
    return gettext("%(time)s on %(date)s", time=clock(when), date=day(when))


def last_minute_words(closes: datetime) -> str:
    """When a window closing at ``closes`` (excluded) last takes a ballot: a close at midnight
    is "23:59 on 14 December 2026", not the next day's date, which would promise a day that
    is already shut; any other close is its own time."""
    local = _local(closes)
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        local -= timedelta(minutes=1)
    return gettext("%(time)s on %(date)s", time=format_time(local, "HH:mm", rebase=False),
                   date=format_date(local.date(), gettext("d MMMM yyyy")))


def window_words(opens: datetime | None, closes: datetime | None) -> str:
    """A voting window as a sentence that is true to the minute, with the time zone named."""
    zone = zone_words()
    if opens and closes:
        return gettext("Voting opens at %(opens)s and stays open until %(closes)s (%(zone)s).",
                       opens=at_words(opens), closes=last_minute_words(closes), zone=zone)
    if opens:
        return gettext("Voting opens at %(opens)s (%(zone)s).", opens=at_words(opens),
                       zone=zone)
    if closes:
        return gettext("Voting is open until %(when)s (%(zone)s).",
                       when=last_minute_words(closes), zone=zone)
    return ""


FILTERS = {"day": day, "moment": moment}
GLOBALS = {"zone_words": zone_words, "window_words": window_words,
           "last_minute_words": last_minute_words}
