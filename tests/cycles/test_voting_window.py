"""Voting's dates are enforced, and its close moves only later, in public (issue 14, item 4).

Weaknesses guarded against: a cycle left in the voting phase after ``voting_closes`` (or before
``voting_opens``) took ballots; staff could move the close during voting, earlier or silently.
The site runs in Europe/London here, so times typed and shown are London times.
"""
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.cycles.models import PHASES, CloseChange, Cycle
from pbapp.cycles.window import voting_open, why_closed
from pbapp.extensions import db
from pbapp.models_base import utcnow
from pbapp.voting.codes import generate_codes
from pbapp.voting.models import Ballot, Participation
from tests.conftest import config_for, csrf_token, main_of

LONDON = ZoneInfo("Europe/London")


def london_app(database_url: str):
    from pbapp import create_app

    return create_app(type("LondonConfig", (config_for(database_url),),
                           {"BABEL_DEFAULT_TIMEZONE": "Europe/London"}))


@pytest.fixture()
def london(app):
    """A second app on the same database whose site time is London; ``london.client``,
    ``london.sign_in(user)``. The test's session rolls back to see what its requests commit."""
    other = london_app(app.config["SQLALCHEMY_DATABASE_URI"])
    client = other.test_client()

    def sign_in(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True

    yield SimpleNamespace(app=other, client=client, sign_in=sign_in)
    with other.app_context():
        db.engine.dispose()


def counts() -> tuple[int, int]:
    db.session.rollback()  # a fresh snapshot: the London app committed in its own session
    return (db.session.scalar(select(func.count()).select_from(Ballot)),
            db.session.scalar(select(func.count()).select_from(Participation)))


def minute(when: datetime) -> datetime:
    return when.replace(second=0, microsecond=0)


def set_dates(cycle: Cycle, opens=None, closes=None) -> None:
    db.session.rollback()
    cycle = db.session.get(Cycle, cycle.id)
    cycle.voting_opens, cycle.voting_closes = opens, closes
    db.session.commit()


# --- the rule itself ---------------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31),
                       timezones=st.sampled_from([timezone.utc, LONDON]))


@given(phase=st.sampled_from(PHASES), opens=st.none() | moments, closes=st.none() | moments,
       now=moments)
def test_voting_open_is_the_phase_and_the_dates_whatever_the_zones(phase, opens, closes, now):
    """Guards against comparing a date in one zone with one in another, and against an off-by-one
    at the edges: open from the opening instant (included) to the close (excluded)."""
    stamp = lambda d: d.timestamp()  # noqa: E731 - seconds since the epoch: no zones left
    plain = (phase == "voting" and (opens is None or stamp(now) >= stamp(opens))
             and (closes is None or stamp(now) < stamp(closes)))
    cycle = SimpleNamespace(phase=phase, voting_opens=opens, voting_closes=closes)
    assert voting_open(cycle, now) is plain


def test_the_refusal_names_the_time_in_the_site_zone(app):
    """Summer and winter in London: 17:30 UTC in July is 18:30 BST; 18:00 UTC in January is
    18:00 GMT. Guards against refusals quoting UTC to residents."""
    london = london_app(app.config["SQLALCHEMY_DATABASE_URI"])
    summer = datetime(2027, 7, 15, 17, 30, tzinfo=timezone.utc)
    winter = datetime(2027, 1, 15, 18, 0, tzinfo=timezone.utc)
    with london.test_request_context():
        cycle = SimpleNamespace(phase="voting", voting_opens=winter, voting_closes=summer)
        assert why_closed(cycle, summer - timedelta(days=1)) is None
        assert why_closed(cycle, summer) == "Voting closed at 15 July 2027, 18:30."
        assert why_closed(cycle, winter - timedelta(seconds=1)) == (
            "Voting has not opened yet; it opens at 15 January 2027, 18:00.")
        assert why_closed(cycle, summer, check_dates=False) is None
        cycle.phase = "counting"
        assert why_closed(cycle, summer, check_dates=False) == (
            "Voting is not open for this cycle.")
    with london.app_context():
        db.engine.dispose()


# --- ballots through HTTP ----------------------------------------------------------------------

@pytest.fixture()
def account_cycle(make_cycle, make_proposal):
    now = utcnow()
    cycle = make_cycle(slug="autumn", name="Autumn budget", phase="voting", max_ranks=2,
                       voting_opens=now - timedelta(days=3), voting_closes=now + timedelta(days=3))
    props = [make_proposal(cycle, "Street lights"), make_proposal(cycle, "Youth centre")]
    return cycle, props


@pytest.fixture()
def voter(london, make_user):
    user = make_user("resident")
    user.email_verified_at = utcnow()  # accounts vote once their email is confirmed
    db.session.commit()
    london.sign_in(user)
    return user


def ranks(props) -> dict:
    return {f"rank_{n}": str(p.id) for n, p in enumerate(props, start=1)}


def test_an_account_ballot_is_taken_only_between_the_dates(london, voter, account_cycle):
    """Guards against the phase alone deciding: the voter opened the ballot in time, but casts
    it after the close, or before the opening; nothing is written either way."""
    cycle, props = account_cycle
    browser = london.client
    token = csrf_token(browser, "/vote/autumn")
    now = utcnow()

    set_dates(cycle, now - timedelta(days=10), now - timedelta(minutes=1))
    late = browser.post("/vote/autumn/cast", data={"csrf_token": token, **ranks(props)})
    assert late.status_code == 200
    assert b"Your ballot was not recorded." in late.data and b"Voting closed at" in late.data
    assert counts() == (0, 0)
    page = browser.get("/vote/autumn")
    assert b"Voting closed at" in page.data and b"<select" not in main_of(page.data)

    set_dates(cycle, now + timedelta(hours=2), now + timedelta(days=5))
    early = browser.post("/vote/autumn/cast", data={"csrf_token": token, **ranks(props)})
    assert b"Voting has not opened yet; it opens at" in early.data
    assert counts() == (0, 0)

    set_dates(cycle, now - timedelta(hours=1), now + timedelta(hours=1))
    cast = browser.post("/vote/autumn/cast", data={"csrf_token": token, **ranks(props)})
    assert cast.status_code == 303 and cast.headers["Location"].endswith("/vote/autumn/receipt")
    assert counts() == (1, 1)


def test_a_code_ballot_is_refused_after_the_close(london, make_cycle, make_proposal):
    """Guards against the code channel skipping the dates: a code entered in time cannot cast
    after the close, and the code page no longer takes codes."""
    now = utcnow()
    cycle = make_cycle(slug="autumn", phase="voting", vote_by_account=False, vote_by_code=True,
                       voting_opens=now - timedelta(days=3), voting_closes=now + timedelta(days=3))
    props = [make_proposal(cycle, "Street lights")]
    code, spare = generate_codes(cycle, 2)
    db.session.commit()
    browser = london.client
    token = csrf_token(browser, "/vote/autumn/code")
    entered = browser.post("/vote/autumn/code", data={"csrf_token": token, "code": code})
    assert entered.status_code == 303

    set_dates(cycle, now - timedelta(days=10), now - timedelta(minutes=1))
    cast = browser.post("/vote/autumn/code/cast", data={"csrf_token": token, **ranks(props)})
    assert b"Voting closed at" in cast.data
    assert counts() == (0, 0)
    again = browser.post("/vote/autumn/code", data={"csrf_token": token, "code": spare})
    assert again.status_code == 200 and b"Voting closed at" in again.data
    assert b'name="code"' not in main_of(again.data)


def test_paper_entered_after_the_close_still_counts(app, make_cycle, make_proposal, make_user):
    """Paper ballots cast in time are typed in after the close: the dates do not apply to them,
    the phase still does."""
    from pbapp.voting.services import BallotRejected, cast_ballot, validate_ranking

    now = utcnow()
    cycle = make_cycle(slug="autumn", phase="voting", voting_opens=now - timedelta(days=9),
                       voting_closes=now - timedelta(days=1))
    prop = make_proposal(cycle, "Street lights")
    with pytest.raises(BallotRejected, match="Voting closed at"):
        validate_ranking(cycle, [prop.id])
    cast_ballot(cycle, "paper-voter", "paper", [prop.id], check_dates=False)
    cycle.phase = "counting"
    with pytest.raises(BallotRejected, match="not open"):
        validate_ranking(cycle, [prop.id], check_dates=False)


# --- moving the close during voting ------------------------------------------------------------

def edit_form(token: str, cycle: Cycle, **overrides) -> dict:
    form = {"csrf_token": token, "name": cycle.name, "description": "",
            "proposals_open": "", "shown_phase": cycle.phase,
            "voting_closes": cycle.voting_closes.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")}
    form.update(overrides)
    return form


@pytest.fixture()
def staff_cycle(london, make_user, make_cycle, make_proposal):
    """A London cycle in voting, closing in ten days at a whole minute; London staff signed in."""
    now = minute(utcnow())
    cycle = make_cycle(slug="autumn", name="Autumn budget", phase="voting",
                       voting_opens=now - timedelta(days=3), voting_closes=now + timedelta(days=10))
    make_proposal(cycle, "Street lights")
    london.sign_in(make_user("staff"))
    return cycle


def close_of(cycle: Cycle) -> datetime:
    db.session.rollback()
    return db.session.get(Cycle, cycle.id).voting_closes


def moves() -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(CloseChange)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)))


def test_extending_the_close_needs_a_public_reason(london, staff_cycle):
    """Guards against a silent extension: without a reason nothing changes; with one, the
    change is kept, audited and shown on the cycle page in London time."""
    cycle, browser = staff_cycle, london.client
    url = "/cycles/manage/autumn/edit"
    old = cycle.voting_closes
    new = old + timedelta(days=2, hours=3)
    typed = new.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")
    form = browser.get(url)
    assert b'name="close_reason"' in form.data and b'name="voting_opens"' not in form.data

    bare = browser.post(url, data=edit_form(csrf_token(browser, url), cycle, voting_closes=typed))
    assert bare.status_code == 200 and b"Give the reason for moving the close" in bare.data
    assert close_of(cycle) == old and moves() == (0, 0)

    reason = "The library was closed for two days <b>unexpectedly</b>."
    done = browser.post(url, data=edit_form(csrf_token(browser, url), cycle, voting_closes=typed,
                                            close_reason=reason))
    assert done.status_code == 303
    assert close_of(cycle) == new
    change = db.session.scalar(select(CloseChange))
    assert (change.old_closes, change.new_closes, change.reason) == (old, new, reason)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cycle.extend_close"))
    assert event.detail == {"old": old.isoformat(), "new": new.isoformat(), "reason": reason}

    page = london.client.get("/cycles/autumn").get_data(as_text=True)
    shown = lambda d: f"{d.astimezone(LONDON).day} {d.astimezone(LONDON):%B %Y, %H:%M}"  # noqa: E731
    assert (f"Voting was extended from {shown(old)} to {shown(new)}: The library was closed "
            "for two days &lt;b&gt;unexpectedly&lt;/b&gt;.") in page
    api = london.client.get("/api/v1/cycles/autumn").get_json()
    assert api["close_changes"] == [{"old_closes": old.isoformat(), "new_closes": new.isoformat(),
                                     "reason": reason, "changed_at": change.changed_at.isoformat()}]


@pytest.mark.parametrize("typed, message", [
    (lambda old: old - timedelta(days=1), b"can only move later, not earlier"),
    # the form itself requires the close while voting (issue 23)
    (lambda old: None, b"Voting is open, so it needs a closing time; it can only move later."),
])
def test_the_close_cannot_move_earlier_or_away_during_voting(london, staff_cycle, typed, message):
    """Guards against shutting residents out early: refused even with a reason, nothing changes."""
    cycle, browser = staff_cycle, london.client
    url = "/cycles/manage/autumn/edit"
    old, when = cycle.voting_closes, typed(cycle.voting_closes)
    value = when.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M") if when else ""
    resp = browser.post(url, data=edit_form(csrf_token(browser, url), cycle, voting_closes=value,
                                            close_reason="Budget office asked."))
    assert resp.status_code == 200 and message in resp.data
    assert close_of(cycle) == old and moves() == (0, 0)


def test_the_opening_cannot_move_during_voting(app, make_cycle, make_user):
    from pbapp.cycles.services import PhaseError, update_cycle

    now = minute(utcnow())
    cycle = make_cycle(phase="voting", voting_opens=now - timedelta(days=1),
                       voting_closes=now + timedelta(days=1))
    with pytest.raises(PhaseError, match="voting_opens"):
        update_cycle(cycle, make_user("staff"), voting_opens=now - timedelta(days=2),
                     close_reason="Earlier.")
    db.session.rollback()
    assert close_of(cycle) == now + timedelta(days=1) and moves() == (0, 0)


def test_saving_other_settings_keeps_a_close_with_seconds(app, make_cycle, make_user):
    """The form shows whole minutes: re-saving it must not count as moving a close that was
    stored with seconds (the demo's is), which would now be refused."""
    from pbapp.cycles.services import update_cycle

    close = utcnow() + timedelta(days=2)
    cycle = make_cycle(phase="voting", voting_closes=close)
    changes = update_cycle(cycle, make_user("staff"), name="Renamed", voting_closes=minute(close))
    assert list(changes) == ["name"] and cycle.voting_closes == close


def test_the_home_page_does_not_invite_votes_past_the_close(client, make_cycle, make_proposal):
    """A cycle left in voting after its close: the home page says so, with no "Vote now"."""
    cycle = make_cycle(slug="late", phase="voting", name="Late cycle",
                       voting_opens=utcnow() - timedelta(days=10),
                       voting_closes=utcnow() - timedelta(hours=1))
    make_proposal(cycle, "Lights")
    page = main_of(client.get("/").data)
    assert b"Voting closed at" in page and b"Vote now" not in page
    assert b"vote with the code from your letter" not in page
