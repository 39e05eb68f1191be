"""Add, move and remove buttons are the one way to rank, with or without JavaScript; the ranking
is shown on top and on each chosen card, and kept in the session until the ballot is cast."""
import re

import pytest
from sqlalchemy import func, select

from pbapp.extensions import db
from pbapp.voting.models import Ballot
from tests.conftest import main_of


@pytest.fixture()
def ballot(make_cycle, make_proposal, make_user, login):
    cycle = make_cycle(slug="autumn", phase="voting", max_ranks=3)
    props = [make_proposal(cycle, t, cost=c) for t, c in
             (("Lights", 400), ("Youth centre", 250), ("Garden", 1200))]
    login(make_user("resident"))
    return props


def selected(page: bytes) -> list[str]:
    """The ranking the ballot carries: its hidden rank fields, in order."""
    fields = re.findall(rb'<input type="hidden" name="rank_(\d+)" value="([^"]*)"', page)
    assert [int(n) for n, _ in fields] == list(range(1, len(fields) + 1))
    return [value.decode() for _, value in fields]


def card(page: bytes, proposal) -> str:
    """The proposal's card on the ballot, as text."""
    html = re.search(rf'<li class="proposal-card[^"]*" id="proposal-{proposal.id}">(.*?)</li>'
                     .encode(), page, re.S).group(1).decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def press(client, csrf, op, **ranks):
    data = {"csrf_token": csrf("/vote/autumn"), "op": op, **ranks}
    return client.post("/vote/autumn", data=data, follow_redirects=True)


def test_add_move_and_remove(client, csrf, ballot):
    lights, youth, garden = (str(p.id) for p in ballot)
    page = press(client, csrf, f"add:{garden}").data
    assert selected(page) == [garden] and b"Garden added as your 1st choice" in page
    page = press(client, csrf, f"add:{lights}", rank_1=garden).data
    assert selected(page) == [garden, lights]
    page = press(client, csrf, "up:2", rank_1=garden, rank_2=lights).data
    assert selected(page) == [lights, garden] and b"Lights is now your 1st choice" in page
    page = press(client, csrf, "down:1", rank_1=lights, rank_2=garden).data
    assert selected(page) == [garden, lights]
    page = press(client, csrf, "remove:1", rank_1=garden, rank_2=lights).data
    assert selected(page) == [lights] and b"Garden removed" in page
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0


def test_one_way_to_rank_no_selects(client, ballot):
    page = main_of(client.get("/vote/autumn").data).decode()
    assert "<select" not in page and "No choice" not in page
    assert page.count('value="add:') == 3
    assert "Nothing ranked yet" in page


def test_each_chosen_card_shows_its_rank_and_the_budget_used(client, csrf, ballot):
    lights, youth, garden = ballot
    page = press(client, csrf, f"add:{lights.id}", rank_1=str(garden.id)).data
    assert card(page, garden).endswith("1 1st choice")
    assert card(page, lights).endswith("2 2nd choice")
    assert "Add" in card(page, youth) and "choice" not in card(page, youth)
    # the ranking, on top of the proposals, numbers each choice
    main = main_of(page).decode()
    assert main.index('id="ranking"') < main.index('id="proposal-')
    assert "Ranked: 2 of 3" in main and "Budget used: 1,600 of 1,000" in main


def test_ranked_rules_show_no_budget_used(client, csrf, make_cycle, make_proposal, make_user,
                                          login):
    cycle = make_cycle(slug="seats", phase="voting", method="irv")
    lights = make_proposal(cycle, "Lights")
    login(make_user("resident"))
    page = client.post("/vote/seats", data={"csrf_token": csrf("/vote/seats"),
                                            "op": f"add:{lights.id}"}, follow_redirects=True).data
    assert b"Ranked: 1 of 3" in page and b"Budget used" not in page


def test_a_full_ranking_offers_no_more_adds_and_bad_ops_change_nothing(client, csrf, ballot):
    ids = [str(p.id) for p in ballot]
    full = dict(rank_1=ids[0], rank_2=ids[1], rank_3=ids[2])
    page = press(client, csrf, f"add:{ids[0]}", **full).data
    assert selected(page) == ids and b'value="add:' not in page
    for op in ("up:1", "down:3", "remove:9", "add:99999", "nonsense", "up:x"):
        assert selected(press(client, csrf, op, **full).data) == ids, op


def test_buttons_are_real_form_submissions_with_htmx_on_top(client, csrf, ballot):
    page = main_of(client.get("/vote/autumn").data).decode()
    add = re.search(r'<button[^>]*value="add:\d+"[^>]*>', page).group(0)
    assert 'type="submit"' in add and 'formaction="/vote/autumn"' in add
    assert 'hx-post="/vote/autumn"' in add and 'hx-include="#ballot-form"' in add
    form = re.search(r'<form[^>]*id="ballot-form"[^>]*>.*?</form>', page, re.S).group(0)
    assert add in form and 'name="csrf_token"' in form  # inside the form: no JavaScript needed
    assert 'aria-label="Add Lights to your ranking"' in page
    assert 'role="status"' in page and 'aria-live="polite"' in page


def test_edits_need_the_csrf_token(client, ballot):
    assert client.post("/vote/autumn", data={"op": f"add:{ballot[0].id}"},
        follow_redirects=True).status_code == 400


def test_the_ranking_is_kept_after_leaving_the_ballot(client, csrf, ballot):
    lights, youth, garden = (str(p.id) for p in ballot)
    press(client, csrf, f"add:{garden}")
    press(client, csrf, f"add:{lights}", rank_1=garden)
    client.get(f"/proposals/{lights}")  # reads a proposal, then comes back
    page = client.get("/vote/autumn")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert selected(page.data) == [garden, lights]
    # removing everything empties it for good
    press(client, csrf, "remove:1", rank_1=garden, rank_2=lights)
    press(client, csrf, "remove:1", rank_1=lights)
    assert selected(client.get("/vote/autumn").data) == []


def test_review_keeps_the_ranking_and_casting_forgets_it(client, csrf, ballot):
    lights, youth, garden = (str(p.id) for p in ballot)
    token = csrf("/vote/autumn")
    review = client.post("/vote/autumn/review",
                         data={"csrf_token": token, "rank_1": youth, "rank_2": lights},
                             follow_redirects=True)
    assert review.status_code == 200
    assert selected(client.get("/vote/autumn").data) == [youth, lights]
    cast = client.post("/vote/autumn/cast",
                       data={"csrf_token": token, "rank_1": youth, "rank_2": lights})
    assert cast.status_code == 303
    with client.session_transaction() as session:
        assert "ballot_draft" not in session
    assert b"already voted" in client.get("/vote/autumn").data


def test_the_kept_ranking_belongs_to_its_voter(client, csrf, ballot, make_user, login):
    lights = str(ballot[0].id)
    press(client, csrf, f"add:{lights}")
    with client.session_transaction() as session:
        kept = dict(session["ballot_draft"])
        assert kept["ids"] == [lights]
        assert re.fullmatch(r"[0-9a-f]{24}", kept["owner"])  # a digest, never the voter key
    login(make_user("resident", email="second@example.org"))
    with client.session_transaction() as session:
        session["ballot_draft"] = kept  # left behind on a shared computer
    assert selected(client.get("/vote/autumn").data) == []


def test_a_withdrawn_proposal_drops_out_of_the_kept_ranking(client, csrf, ballot):
    lights, youth, garden = ballot
    press(client, csrf, f"add:{youth.id}", rank_1=str(garden.id))
    garden.status = "withdrawn"
    db.session.commit()
    assert selected(client.get("/vote/autumn").data) == [str(youth.id)]


def test_every_ballot_post_answers_303_to_a_get_page(client, csrf, ballot):
    """No POST page in the history (issue 23): Back from a proposal opened from the ballot
    neither asks to resend a form nor loses the ranking. htmx edits are answered in place."""
    lights, youth, garden = (str(p.id) for p in ballot)
    token = csrf("/vote/autumn")
    edit = client.post("/vote/autumn", data={"csrf_token": token, "op": f"add:{youth}"})
    assert edit.status_code == 303 and edit.headers["Location"].endswith("/vote/autumn")
    page = client.get("/vote/autumn")
    assert selected(page.data) == [youth] and b"Youth centre added as your 1st choice" in page.data
    assert b'id="op-add-' + lights.encode() + b'" class="secondary"' in page.data
    assert b"autofocus" in page.data  # the next Add, as after an edit in place
    assert b"added as your" not in client.get("/vote/autumn").data  # said once
    swap = client.post("/vote/autumn", headers={"HX-Request": "true"},
                       data={"csrf_token": token, "op": f"add:{lights}", "rank_1": youth})
    assert swap.status_code == 200 and selected(swap.data) == [youth, lights]
    review = client.post("/vote/autumn/review",
                         data={"csrf_token": token, "rank_1": youth, "rank_2": lights})
    assert review.status_code == 303 and review.headers["Location"].endswith("/vote/autumn/review")
    shown = client.get("/vote/autumn/review")
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    assert "Your 1st choice is <strong>Youth centre</strong>" in shown.get_data(as_text=True)
    empty = client.post("/vote/autumn/review", data={"csrf_token": token, "rank_1": ""})
    assert empty.status_code == 303 and empty.headers["Location"].endswith("/vote/autumn")
    again = client.get("/vote/autumn")
    assert b"Rank at least one" in again.data and selected(again.data) == [youth, lights]
    client.post("/vote/autumn", data={"csrf_token": token, "op": "remove:1", "rank_1": youth})
    client.post("/vote/autumn", data={"csrf_token": token, "op": "remove:1", "rank_1": lights})
    nothing = client.get("/vote/autumn/review")  # nothing kept: back to the ballot
    assert nothing.status_code == 303 and nothing.headers["Location"].endswith("/vote/autumn")
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0
