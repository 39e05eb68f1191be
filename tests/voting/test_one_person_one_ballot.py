"""One person, one ballot, whichever channels they try (issue 14, items 2 and 3).

Guards against: an account matched to the voter roll on an email nobody proved (item 2: a
sign-up with ``RollVoter@example.org`` voted as the roll's voter and locked them out), and one
person voting twice with an account and then a letter code, or on paper (item 3: the channels
used different voter keys). Where a cycle has a roll every ballot is tied to a roll entry; an
anonymous code batch is refused where accounts vote.
"""
import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.extensions import db
from pbapp.paper.models import PaperBatch
from pbapp.paper.services import commit_batch, create_batch, enter_ballot, voter_ref_for
from pbapp.voting.codes import generate_roll_codes
from pbapp.voting.models import Ballot, Participation, VoterRollEntry, VotingCode
from tests.conftest import csrf_token

ALREADY = b"A ballot has already been cast with this account or code."


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture()
def roll_cycle(make_cycle, make_proposal):
    """A cycle in voting where accounts, personal codes and paper all vote from the roll."""
    cycle = make_cycle(slug="autumn", name="Autumn budget", phase="voting", max_ranks=2,
                       use_roll=True)
    props = [make_proposal(cycle, t).id for t in ("Street lights", "Youth centre")]
    for n, (name, email) in enumerate([("Roll Voter", "rollvoter@example.org"),
                                       ("Ana Alvarez", "ana@example.org"),
                                       ("Ben Brown", None)], start=1):
        db.session.add(VoterRollEntry(cycle_id=cycle.id, reference=f"R-{n}", name=name,
                                      email=email, address=f"{n} Canal Walk"))
    db.session.commit()
    return cycle, props


@pytest.fixture()
def letters(roll_cycle):
    """The personal code each roll entry's letter carries, by roll reference."""
    made = generate_roll_codes(roll_cycle[0])
    db.session.commit()
    return {entry.reference: code for entry, code in made}


def sign_in(app, user):
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = user.get_id()
    return browser


def cast_online(browser, proposal_id):
    token = csrf_token(browser, "/cycles/")
    return browser.post("/vote/autumn/cast", data={"csrf_token": token,
                                                    "rank_1": str(proposal_id)})


def cast_with_code(browser, code, proposal_id):
    token = csrf_token(browser, "/vote/autumn/code")
    entered = browser.post("/vote/autumn/code", data={"csrf_token": token, "code": code})
    if entered.status_code != 303:
        return entered
    return browser.post("/vote/autumn/code/cast", data={"csrf_token": token,
                                                         "rank_1": str(proposal_id)})


def test_an_unverified_sign_up_with_a_roll_email_neither_votes_nor_locks_the_voter_out(
        app, roll_cycle, letters, make_user):
    _, (lights, youth) = roll_cycle
    squatter = make_user(email="rollvoter@example.org", verified=False)
    browser = sign_in(app, squatter)
    refused = cast_online(browser, lights)
    assert refused.status_code == 200 and b"Confirm your email address first" in refused.data
    assert count(Ballot) == 0
    # the real person on the roll still votes, with the code their letter carried
    assert cast_with_code(app.test_client(), letters["R-1"], youth).status_code == 303
    assert count(Participation, Participation.roll_checked.is_(True)) == 1


def test_a_verified_account_votes_as_its_roll_entry_and_its_letter_code_is_then_refused(
        app, roll_cycle, letters, make_user):
    _, (lights, youth) = roll_cycle
    ana = make_user(email="ana@example.org")
    browser = sign_in(app, ana)
    assert cast_online(browser, lights).status_code == 303
    # the same browser, then a fresh one, try the code from Ana's letter
    for other in (browser, app.test_client()):
        refused = cast_with_code(other, letters["R-2"], youth)
        assert refused.status_code == 200 and b"This code cannot be used" in refused.data
    assert (count(Ballot), count(Participation)) == (1, 1)
    assert db.session.scalar(select(Participation.roll_checked)) is True


def test_a_letter_code_first_then_the_account_is_refused_with_the_same_words(
        app, roll_cycle, letters, make_user):
    _, (lights, youth) = roll_cycle
    assert cast_with_code(app.test_client(), letters["R-2"], youth).status_code == 303
    ana = make_user(email="ana@example.org")
    refused = cast_online(sign_in(app, ana), lights)
    assert refused.status_code == 200 and ALREADY in refused.data
    assert (count(Ballot), count(Participation)) == (1, 1)


def test_an_account_not_on_the_roll_may_claim_its_letter_code_once(app, roll_cycle, letters,
                                                                     make_user):
    _, (lights, youth) = roll_cycle
    ben = make_user(email="ben.brown@example.org")
    browser = sign_in(app, ben)
    refused = browser.get("/vote/autumn")
    assert b"not on it" in refused.data and b"/vote/autumn/claim" in refused.data

    token = csrf_token(browser, "/vote/autumn/claim")
    wrong = browser.post("/vote/autumn/claim", data={"csrf_token": token,
                                                      "code": "ABCD-EFGH-JKMN-PQRS"})
    assert wrong.status_code == 200 and b"This code cannot be used" in wrong.data
    claimed = browser.post("/vote/autumn/claim", data={"csrf_token": token,
                                                        "code": letters["R-3"]})
    assert claimed.status_code == 303
    entry = db.session.scalar(select(VoterRollEntry).where(VoterRollEntry.reference == "R-3"))
    assert entry.user_id == ben.id
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.action == "roll.claim")) == "roll.claim"

    # a second account cannot take the same place on the roll
    other = make_user(email="not.ben@example.org")
    other_browser = sign_in(app, other)
    taken = other_browser.post("/vote/autumn/claim", data={
        "csrf_token": csrf_token(other_browser, "/vote/autumn/claim"), "code": letters["R-3"]})
    assert taken.status_code == 200 and b"already linked to another account" in taken.data

    assert cast_online(browser, lights).status_code == 303
    assert cast_with_code(app.test_client(), letters["R-3"], youth).status_code == 200
    assert (count(Ballot), count(Participation)) == (1, 1)


def test_an_unverified_account_cannot_claim_a_code(app, roll_cycle, letters, make_user):
    sly = make_user(email="sly@example.org", verified=False)
    browser = sign_in(app, sly)
    token = csrf_token(browser, "/vote/autumn/claim")
    resp = browser.post("/vote/autumn/claim", data={"csrf_token": token, "code": letters["R-3"]})
    assert resp.status_code == 200 and b"Confirm your email address first" in resp.data
    assert db.session.scalar(select(VoterRollEntry.user_id).where(
        VoterRollEntry.reference == "R-3")) is None


def test_paper_with_a_roll_id_marks_the_entry_for_every_channel(app, roll_cycle, letters,
                                                                 make_user):
    cycle, (lights, youth) = roll_cycle
    alice, bob = make_user("staff"), make_user("staff")
    batch = create_batch(cycle, "Library box", alice)
    for rnd, who in ((1, alice), (2, bob)):
        enter_ballot(batch, rnd, who, "1", voter_ref_for(cycle, "", "R-2"), [lights])
    from pbapp.paper.services import close_entry

    close_entry(batch, bob)
    assert commit_batch(batch, bob) == 1
    db.session.commit()
    assert db.session.scalar(select(Participation.roll_checked)) is True
    ana = make_user(email="ana@example.org")
    assert cast_online(sign_in(app, ana), youth).status_code == 200
    assert cast_with_code(app.test_client(), letters["R-2"], youth).status_code == 200
    assert (count(Ballot), count(Participation)) == (1, 1)
    assert db.session.scalar(select(PaperBatch.status)) == "committed"


CHANNELS = st.sampled_from(["account", "code", "paper"])


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(attempts=st.lists(CHANNELS, min_size=2, max_size=5))
def test_any_sequence_of_channels_gives_one_ballot_per_roll_entry(app, roll_cycle, make_user,
                                                                   attempts):
    """Whatever order one person tries the account, their letter code and a paper ballot in,
    exactly one ballot and one participation row exist for them afterwards."""
    from pbapp.extensions import limiter

    limiter.reset()  # each example is a new person: earlier examples' spent codes hit the
    # per-address failure limit (10 a minute) and turned later first tries into 429s
    cycle, (lights, _youth) = roll_cycle
    n = count(VoterRollEntry) + 1
    email = f"person{n}@example.org"
    entry = VoterRollEntry(cycle_id=cycle.id, reference=f"P-{n}", name=f"Person {n}",
                           email=email)
    db.session.add(entry)
    db.session.commit()
    code = {e.reference: c for e, c in generate_roll_codes(cycle)}[f"P-{n}"]
    db.session.commit()
    user = make_user(email=email)
    staff = make_user("staff"), make_user("staff")
    before = count(Ballot)
    accepted = 0
    for i, channel in enumerate(attempts):
        if channel == "account":
            accepted += cast_online(sign_in(app, user), lights).status_code == 303
        elif channel == "code":
            accepted += cast_with_code(app.test_client(), code, lights).status_code == 303
        else:
            batch = create_batch(cycle, f"box {n}-{i}", staff[0])
            ref = voter_ref_for(cycle, "", f"P-{n}")
            try:
                for rnd in (1, 2):
                    enter_ballot(batch, rnd, staff[rnd - 1], "1", ref, [lights])
                from pbapp.paper.services import close_entry

                close_entry(batch, staff[1])
                commit_batch(batch, staff[1])
                db.session.commit()
                accepted += 1
            except Exception as refusal:  # refused at entry or commit: nothing is written
                db.session.rollback()
                assert "already" in str(refusal)
    assert accepted == 1
    assert count(Ballot) - before == 1
    from pbapp.voting.identity import roll_voter

    assert count(Participation, Participation.voter_key == roll_voter(cycle, entry).key) == 1


def test_anonymous_codes_are_refused_where_accounts_vote(runner, tmp_path, make_cycle):
    make_cycle(slug="autumn", phase="voting")  # accounts vote (the default)
    out = tmp_path / "codes.csv"
    result = runner.invoke(args=["codes", "generate", "--cycle", "autumn", "--count", "5",
                                 "--out", str(out)])
    assert result.exit_code != 0
    [line] = [l for l in result.output.splitlines() if l.strip()]
    assert "one person could vote twice" in line and "--from-roll" in line
    assert not out.exists() and count(VotingCode) == 0 and count(AuditEvent) == 0


def test_account_voting_cannot_be_switched_on_over_an_anonymous_batch(
        client, csrf, make_user, login, make_cycle):
    from pbapp.voting.codes import generate_codes

    cycle = make_cycle(slug="autumn", phase="proposals", vote_by_account=False)
    generate_codes(cycle, 3)
    db.session.commit()
    login(make_user("staff"))
    from tests.cycles.test_manage import cycle_form

    edit = "/cycles/manage/autumn/edit"
    resp = client.post(edit, data=cycle_form(csrf(edit), slug="autumn", name="Cycle autumn",
                                             shown_phase="proposals"))
    assert resp.status_code == 200, resp.status_code
    assert b"anonymous voting codes" in resp.data
    db.session.expire_all()
    assert db.session.get(type(cycle), cycle.id).vote_by_account is False


def test_from_roll_writes_one_personal_code_per_entry_for_a_mail_merge(runner, tmp_path,
                                                                       roll_cycle):
    out = tmp_path / "letters.csv"
    result = runner.invoke(args=["codes", "generate", "--cycle", "autumn", "--from-roll",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(newline="", encoding="utf-8")))
    assert [r["reference"] for r in rows] == ["R-1", "R-2", "R-3"]
    assert rows[2]["name"] == "Ben Brown" and rows[2]["address"] == "3 Canal Walk"
    assert count(VotingCode, VotingCode.roll_entry_id.is_not(None)) == 3
    # a longer roll later: only the new person gets a code
    db.session.add(VoterRollEntry(cycle_id=roll_cycle[0].id, reference="R-4", name="Dee Doe"))
    db.session.commit()
    again = tmp_path / "more.csv"
    assert runner.invoke(args=["codes", "generate", "--cycle", "autumn", "--from-roll",
                               "--out", str(again)]).exit_code == 0
    assert [r["reference"] for r in csv.DictReader(again.open())] == ["R-4"]
    none_left = runner.invoke(args=["codes", "generate", "--cycle", "autumn", "--from-roll",
                                    "--out", str(tmp_path / "none.csv")])
    assert none_left.exit_code != 0 and "already has a personal code" in none_left.output


def test_results_say_per_channel_how_many_ballots_were_checked_against_the_roll(
        app, client, roll_cycle, letters, make_user):
    from pbapp.cycles.services import count_cycle, publish_result
    from pbapp.voting.services import cast_ballot, voter_key

    cycle, (lights, youth) = roll_cycle
    ana = make_user(email="ana@example.org")
    assert cast_online(sign_in(app, ana), lights).status_code == 303
    assert cast_with_code(app.test_client(), letters["R-3"], youth).status_code == 303
    for n in range(12):
        cast_ballot(cycle, voter_key("roll-test", n), "online", [youth], roll_checked=True)
        cast_ballot(cycle, voter_key("roll-test", 100 + n), "code", [youth], roll_checked=True)
        # paper ballots entered without a roll id (say, before the roll was imported)
        cast_ballot(cycle, voter_key("paper-test", n), "paper", [lights])
    db.session.commit()
    staff = make_user("staff")
    cycle.phase = "counting"
    publish_result(count_cycle(cycle, staff), staff)
    db.session.commit()

    api = client.get("/api/v1/cycles/autumn/results").get_json()
    rows = {r["channel"]: r for r in api["turnout"]}
    cell = lambda value: {"value": value, "suppressed": None}  # noqa: E731
    assert rows["online"] == {"channel": "online", "voters": cell(13), "roll_checked": cell(13),
                              "roll_unchecked": cell(0)}
    assert rows["code"]["roll_checked"] == cell(13) and rows["code"]["roll_unchecked"] == cell(0)
    assert rows["paper"] == {"channel": "paper", "voters": cell(12), "roll_checked": cell(0),
                             "roll_unchecked": cell(12)}
    page = client.get("/cycles/autumn/results").get_data(as_text=True)
    assert "Checked against the voter roll" in page and "Not checked against a roll" in page


def test_a_small_channel_hides_its_roll_split_too(app, client, roll_cycle, letters, make_user):
    """Three voters on paper, one of them checked: neither "1" nor "2" may be published, nor
    worked out from the channel's count."""
    from pbapp.cycles.stats import turnout_by_channel
    from pbapp.voting.services import cast_ballot, voter_key

    cycle, (lights, _youth) = roll_cycle
    for n in range(20):
        cast_ballot(cycle, voter_key("roll-test", n), "online", [lights], roll_checked=True)
    for n in range(15):  # hidden too, else paper = total − online − code
        cast_ballot(cycle, voter_key("roll-test", 50 + n), "code", [lights], roll_checked=True)
    cast_ballot(cycle, voter_key("roll-test", 99), "paper", [lights], roll_checked=True)
    for n in range(2):
        cast_ballot(cycle, voter_key("paper-test", n), "paper", [lights])
    db.session.commit()
    cells = turnout_by_channel(cycle.id).published()
    assert cells["voters"]["paper"] == (None, "small")
    assert cells["roll_checked"]["paper"][0] is None
    assert cells["roll_unchecked"]["paper"][0] is None
    assert cells["voters"]["code"] == (None, "complementary")
    assert cells["roll_checked"]["code"][0] is None and cells["roll_unchecked"]["code"] == (0, None)
    assert cells["roll_checked"]["online"] == (20, None)
