"""Issue 23, staff: a new cycle starts with the Method of Equal Shares and shows only the chosen
method's options; options of other methods are ignored on the server; voting cannot open without
a closing time still to come, nor lose it while open."""
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from pbapp.audit.models import AuditEvent
from pbapp.cycles.models import Cycle
from pbapp.extensions import db
from tests.cycles.test_manage import NEW, actions, cycle_form, move


def test_a_new_cycle_defaults_to_equal_shares_and_marks_each_option_with_its_methods(client,
                                                                                     staff):
    page = client.get(NEW).get_data(as_text=True)
    assert re.search(r'<option selected value="equal-shares">|<option value="equal-shares" '
                     r'selected>', page)
    marked = re.findall(r'class="method-option" data-methods="([^"]*)">.*?name="(\w+)"', page,
                        re.S)
    assert {name: methods for methods, name in marked} == {
        "part_fund": "greedy greedy-no-skip greedy-threshold equal-shares",
        "seats": "stv schulze ranked_pairs borda",
        "scoring": "greedy greedy-no-skip greedy-threshold equal-shares",
        "completion": "equal-shares", "threshold": "greedy-threshold"}


@pytest.mark.parametrize("method, kept", [
    ("irv", dict(seats=1, scoring="k-points", completion=None, threshold=None,
                 part_fund_share=None)),
    ("stv", dict(seats=3, scoring="k-points", completion=None, threshold=None,
                 part_fund_share=None)),
    ("equal-shares", dict(seats=1, scoring="borda", completion="add1-then-greedy",
                          threshold=None, part_fund_share=40)),
    ("greedy-threshold", dict(seats=1, scoring="borda", completion=None, threshold=5,
                              part_fund_share=40)),
])
def test_options_of_other_methods_are_ignored(client, csrf, staff, method, kept):
    resp = client.post(NEW, data=cycle_form(
        csrf(NEW), method=method, seats="3", scoring="borda", completion="add1-then-greedy",
        threshold="5", part_fund="y", part_fund_share="40"))
    assert resp.status_code == 303
    cycle = db.session.scalar(select(Cycle))
    assert {k: getattr(cycle, k) for k in kept} == kept


def test_voting_opens_only_with_a_closing_time_to_come(client, csrf, staff, make_cycle,
                                                      make_proposal):
    cycle = make_cycle(phase="review")
    make_proposal(cycle, "Street lights")
    for closes, words in ((None, "Set when voting closes"),
                          (datetime.now(timezone.utc) - timedelta(hours=1), "has passed")):
        cycle.voting_closes = closes
        db.session.commit()
        refused = move(client, csrf, "spring", "voting")
        assert refused.status_code == 303
        assert words in client.get(refused.headers["Location"]).get_data(as_text=True)
        db.session.refresh(cycle)
        assert cycle.phase == "review" and "cycle.phase" not in actions()
    page = client.get("/cycles/manage/spring").get_data(as_text=True)
    assert "has passed" in page  # the blocked move says why before it is tried
    cycle.voting_closes = datetime.now(timezone.utc) + timedelta(days=7)
    db.session.commit()
    assert move(client, csrf, "spring", "voting").status_code == 303
    db.session.refresh(cycle)
    assert cycle.phase == "voting" and actions() == ["cycle.phase"]


def test_open_voting_keeps_its_close_on_the_form(client, csrf, staff, make_cycle):
    closes = datetime(2031, 3, 15, 18, tzinfo=timezone.utc)
    cycle = make_cycle(phase="voting", voting_closes=closes)
    edit = "/cycles/manage/spring/edit"
    resp = client.post(edit, data=cycle_form(csrf(edit), slug="spring", name="Renamed",
                                             voting_opens="", voting_closes="",
                                             shown_phase="voting", method="greedy"))
    assert resp.status_code == 200
    assert "Voting is open, so it needs a closing time" in resp.get_data(as_text=True)
    db.session.refresh(cycle)
    assert cycle.name == "Cycle spring" and cycle.voting_closes == closes
    assert db.session.scalar(select(AuditEvent)) is None
