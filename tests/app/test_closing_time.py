"""The home page states when voting closes as stored, in the site's time zone and in words that
are true: a close at midnight is the last minute of the day before, not the next day's date."""
from datetime import datetime, timedelta, timezone

import pytest
from babel.dates import format_date

from pbapp import dates
from pbapp.cycles import window

ES = {"Accept-Language": "es-MX,es;q=0.9"}


def voting_until(make_cycle, closes):
    make_cycle(slug="open", phase="voting", voting_closes=closes,
               voting_opens=datetime.now(timezone.utc) - timedelta(days=1))


def test_a_midnight_close_reads_as_23_59_the_day_before(client, make_cycle):
    midnight = (datetime.now(timezone.utc) + timedelta(days=3)).replace(
        hour=0, minute=0, second=0, microsecond=0)
    voting_until(make_cycle, midnight)
    day_before = (midnight - timedelta(days=1)).date()
    page = client.get("/").get_data(as_text=True)
    assert (f"Voting is open until 23:59 on {format_date(day_before, 'd MMMM yyyy', 'en')} "
            "(UTC).") in page
    assert format_date(midnight.date(), "d MMMM yyyy", "en") not in page
    page = client.get("/", headers=ES).get_data(as_text=True)
    said = format_date(day_before, "d 'de' MMMM 'de' yyyy", "es")
    assert f"La votación está abierta hasta las 23:59 del {said} (UTC)." in page


def test_any_other_close_reads_as_its_own_time(client, make_cycle):
    closes = (datetime.now(timezone.utc) + timedelta(days=3)).replace(
        hour=18, minute=30, second=0, microsecond=0)
    voting_until(make_cycle, closes)
    page = client.get("/").get_data(as_text=True)
    assert (f"Voting is open until 18:30 on {format_date(closes.date(), 'd MMMM yyyy', 'en')} "
            "(UTC).") in page


@pytest.mark.parametrize("zone, headers, said", [
    ("UTC", {}, "UTC"), ("America/Chicago", {}, "Central Time"),
    ("America/Chicago", ES, "hora central"), ("Europe/Madrid", {}, "Central European Time")])
def test_the_time_zone_in_words_people_use(app, monkeypatch, zone, headers, said):
    from babel.dates import get_timezone

    monkeypatch.setattr(dates, "get_timezone", lambda: get_timezone(zone))
    with app.test_request_context(headers=headers):
        assert window.zone_words() == said
        assert "Coordinated" not in window.zone_words()
