"""Add, move and remove buttons edit the ranking, with or without JavaScript; nothing is stored."""
import re

import pytest
from sqlalchemy import func, select

from pbapp.extensions import db
from pbapp.voting.models import Ballot
from tests.conftest import main_of


@pytest.fixture()
def ballot(make_cycle, make_proposal, make_user, login):
    cycle = make_cycle(slug="autumn", phase="voting", max_ranks=3)
    props = [make_proposal(cycle, t) for t in ("Lights", "Youth centre", "Garden")]
    login(make_user("resident"))
    return props


def selected(page: bytes) -> list[str]:
    """The value chosen in each rank select, in order."""
    out = []
    for select_html in re.findall(rb'<select[^>]*name="rank_\d+".*?</select>', page, re.S):
        chosen = re.search(rb'<option selected value="([^"]*)"', select_html)
        out.append(chosen.group(1).decode() if chosen else "")
    return out


def press(client, csrf, op, **ranks):
    data = {"csrf_token": csrf("/vote/autumn"), "op": op, **ranks}
    return client.post("/vote/autumn", data=data)


def test_add_move_and_remove(client, csrf, ballot):
    lights, youth, garden = (str(p.id) for p in ballot)
    page = press(client, csrf, f"add:{garden}").data
    assert selected(page) == [garden, "", ""] and b"Garden added as your 1st choice" in page
    page = press(client, csrf, f"add:{lights}", rank_1=garden).data
    assert selected(page) == [garden, lights, ""]
    page = press(client, csrf, "up:2", rank_1=garden, rank_2=lights).data
    assert selected(page) == [lights, garden, ""] and b"Lights is now your 1st choice" in page
    page = press(client, csrf, "down:1", rank_1=lights, rank_2=garden).data
    assert selected(page) == [garden, lights, ""]
    page = press(client, csrf, "remove:1", rank_1=garden, rank_2=lights).data
    assert selected(page) == [lights, "", ""] and b"Garden removed" in page
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0


def test_buttons_are_real_form_submissions_with_htmx_on_top(client, ballot):
    page = main_of(client.get("/vote/autumn").data).decode()
    add = re.search(r'<button[^>]*value="add:\d+"[^>]*>', page).group(0)
    assert 'type="submit"' in add and 'formaction="/vote/autumn"' in add
    assert 'form="ballot-form"' in add and 'hx-post="/vote/autumn"' in add
    assert 'aria-label="Add Lights to your ranking"' in page
    assert 'role="status"' in page and 'aria-live="polite"' in page


def test_a_full_ranking_refuses_another_add_and_bad_ops_change_nothing(client, csrf, ballot):
    ids = [str(p.id) for p in ballot]
    full = dict(rank_1=ids[0], rank_2=ids[1], rank_3=ids[2])
    page = press(client, csrf, f"add:{ids[0]}", **full).data
    assert selected(page) == ids
    for op in ("up:1", "down:3", "remove:9", "add:99999", "nonsense", "up:x"):
        assert selected(press(client, csrf, op, **full).data) == ids, op


def test_edits_need_the_csrf_token(client, ballot):
    assert client.post("/vote/autumn", data={"op": f"add:{ballot[0].id}"}).status_code == 400
