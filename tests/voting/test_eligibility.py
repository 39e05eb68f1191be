"""Each cycle's eligibility rules, checked on the server: a refused voter sees why, and nothing
is written whatever they post; an eligible voter still votes."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from pbapp.cycles.models import Cycle, Neighbourhood
from pbapp.cycles.services import PhaseError, update_cycle
from pbapp.extensions import db
from pbapp.voting.codes import code_hash
from pbapp.voting.eligibility import age_in
from pbapp.voting.models import Ballot, Participation, VoterRollEntry, VotingCode
from pbapp.voting.views import CODE_SESSION

CLOSES = datetime(2027, 3, 15, 18, tzinfo=timezone.utc)
CODE = "ABCD-EFGH-JKMN-PQRS"


@pytest.fixture()
def hoods(app):
    riverside = Neighbourhood(slug="riverside", name="Riverside")
    hillside = Neighbourhood(slug="hillside", name="Hillside")
    db.session.add_all([riverside, hillside])
    db.session.commit()
    return riverside, hillside


@pytest.fixture()
def voting_cycle(make_cycle, make_proposal):
    """``voting_cycle(**rules)``: a cycle in voting, closing in 2027, with two proposals."""
    def make(**rules):
        cycle = make_cycle(slug="autumn", name="Autumn budget", phase="voting",
                           voting_closes=CLOSES, **rules)
        props = [make_proposal(cycle, "Street lights"), make_proposal(cycle, "Youth centre")]
        return cycle, props
    return make


def counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(Ballot)),
            db.session.scalar(select(func.count()).select_from(Participation)))


def add_roll_entry(cycle, email, reference="C-1"):
    db.session.add(VoterRollEntry(cycle_id=cycle.id, reference=reference, name="Someone",
                                  email=email))
    db.session.commit()


REFUSALS = {
    "too young": ({"min_age": 14}, {"birth_year": 2014}, "aged 14 or over"),
    "age unknown": ({"min_age": 14}, {}, "does not give your year of birth"),
    "wrong neighbourhood": ({"hoods": True}, {"hood": 1}, "residents of Riverside"),
    "no neighbourhood": ({"hoods": True}, {}, "does not say where you live"),
    "accounts off": ({"vote_by_account": False}, {}, "not cast with an account"),
    "not on the roll": ({"use_roll": True}, {"roll": "someone.else@example.org"},
                        "not on it"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_an_ineligible_account_sees_why_and_nothing_is_written(
        client, csrf, make_user, login, hoods, voting_cycle, case):
    rules, person, reason = REFUSALS[case]
    rules = dict(rules)
    wants_hoods = rules.pop("hoods", False)
    cycle, (lights, youth) = voting_cycle(**rules)
    if wants_hoods:
        cycle.neighbourhoods = [hoods[0]]
        db.session.commit()
    if "roll" in person:
        add_roll_entry(cycle, person["roll"])
    login(make_user(birth_year=person.get("birth_year"),
                    neighbourhood_id=hoods[person["hood"]].id if "hood" in person else None))

    page = client.get("/vote/autumn")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert reason in text and "You cannot vote this way" in text
    assert 'name="rank_1"' not in text and "Review my ballot" not in text

    token = csrf("/auth/account")
    ranking = {"csrf_token": token, "rank_1": str(youth.id), "rank_2": str(lights.id)}
    for step in ("review", "cast"):
        resp = client.post(f"/vote/autumn/{step}", data=ranking, follow_redirects=True)
        assert resp.status_code == 200, step
        body = resp.get_data(as_text=True)
        assert reason in body and "Cast my ballot" not in body, step
    assert counts() == (0, 0)


def test_an_eligible_account_still_votes(client, csrf, make_user, login, hoods, voting_cycle):
    cycle, (lights, youth) = voting_cycle(min_age=14, use_roll=True)
    cycle.neighbourhoods = [hoods[0]]
    db.session.commit()
    add_roll_entry(cycle, "rosa@example.org")
    # turns 14 in the year voting closes; the roll's email is matched whatever its case
    login(make_user(email="Rosa@Example.org".lower(), birth_year=2013,
                    neighbourhood_id=hoods[0].id))
    page = client.get("/vote/autumn")
    assert b'name="op" value="add:' in page.data and b"You cannot vote" not in page.data
    token = csrf("/vote/autumn")
    ranking = {"csrf_token": token, "rank_1": str(youth.id)}
    assert b"Cast my ballot" in client.post("/vote/autumn/review", data=ranking,
        follow_redirects=True).data
    cast = client.post("/vote/autumn/cast", data=ranking)
    assert cast.status_code == 303
    assert counts() == (1, 1)


def test_default_rules_let_any_account_vote(client, csrf, make_user, login, voting_cycle):
    cycle, (lights, _) = voting_cycle()
    assert (cycle.min_age, cycle.vote_by_account, cycle.vote_by_code, cycle.use_roll) == (
        None, True, True, False)
    login(make_user())  # no birth year, no neighbourhood
    token = csrf("/vote/autumn")
    assert client.post("/vote/autumn/cast", data={"csrf_token": token,
                                                  "rank_1": str(lights.id)}).status_code == 303
    assert counts() == (1, 1)


def _hold_code(client, cycle):
    db.session.add(VotingCode(cycle_id=cycle.id, code_hash=code_hash(CODE)))
    db.session.commit()


def test_codes_off_refuses_every_code_step_and_writes_nothing(client, csrf, voting_cycle):
    cycle, (lights, _) = voting_cycle(vote_by_code=False)
    _hold_code(client, cycle)
    page = client.get("/vote/autumn/code")
    assert page.status_code == 200
    assert b"not cast with voting codes" in page.data and b'name="code"' not in page.data

    token = csrf("/auth/login")
    entered = client.post("/vote/autumn/code", data={"csrf_token": token, "code": CODE})
    assert entered.status_code == 200 and b"not cast with voting codes" in entered.data
    with client.session_transaction() as session:
        assert CODE_SESSION not in session
        # as if the code had been entered before the rule was set
        session[CODE_SESSION] = {"cycle": "autumn", "hash": code_hash(CODE)}
    assert b"not cast with voting codes" in client.get("/vote/autumn/code/ballot").data
    ranking = {"csrf_token": token, "rank_1": str(lights.id)}
    for step in ("review", "cast"):
        resp = client.post(f"/vote/autumn/code/{step}", data=ranking, follow_redirects=True)
        assert resp.status_code == 200 and b"not cast with voting codes" in resp.data, step
    assert counts() == (0, 0)


def test_codes_still_work_when_accounts_are_off(client, csrf, voting_cycle):
    cycle, (lights, _) = voting_cycle(vote_by_account=False)
    _hold_code(client, cycle)
    token = csrf("/vote/autumn/code")
    assert client.post("/vote/autumn/code",
                       data={"csrf_token": token, "code": CODE}).status_code == 303
    cast = client.post("/vote/autumn/code/cast",
                       data={"csrf_token": token, "rank_1": str(lights.id)})
    assert cast.status_code == 303
    assert counts() == (1, 1)


def test_age_counts_in_the_year_voting_closes_or_this_year(make_cycle):
    cycle = make_cycle(voting_closes=CLOSES)
    assert age_in(cycle, 2013) == 14 and age_in(cycle, None) is None
    cycle.voting_closes = None
    assert age_in(cycle, 2000) == date.today().year - 2000


def test_staff_set_the_rules_and_they_lock_when_voting_opens(client, csrf, staff, make_cycle,
                                                            make_proposal):
    from tests.cycles.test_manage import cycle_form

    new = "/cycles/manage/new"
    form = cycle_form(csrf(new), min_age="14", use_roll="y")
    del form["vote_by_code"]  # unticked
    assert client.post(new, data=form).status_code == 303
    cycle = db.session.scalar(select(Cycle))
    assert (cycle.min_age, cycle.vote_by_account, cycle.vote_by_code, cycle.use_roll) == (
        14, True, False, True)

    both_off = cycle_form(csrf(new), slug="other")
    del both_off["vote_by_code"], both_off["vote_by_account"]
    refused = client.post(new, data=both_off)
    assert refused.status_code == 200 and b"Allow at least one way to vote" in refused.data
    assert db.session.scalar(select(func.count()).select_from(Cycle)) == 1

    make_proposal(cycle, "Lights")
    cycle.phase = "voting"
    db.session.commit()
    edit = client.get("/cycles/manage/spring-2027/edit")
    assert b'name="min_age"' not in edit.data and b'name="use_roll"' not in edit.data
    assert b"Minimum age:</strong> 14" in edit.data
    with pytest.raises(PhaseError, match="min_age"):
        update_cycle(cycle, staff, min_age=None)
    db.session.rollback()
    with pytest.raises(PhaseError, match="vote_by_code"):
        update_cycle(cycle, staff, vote_by_code=True)
