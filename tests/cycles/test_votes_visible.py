"""Votes visible after the vote (issue 19): once a result is published, every proposal on the
ballot shows its first preferences, its value in the final round and the round that decided
it, on its page and in lists, sortable by them; nothing shows before publication."""
import uuid
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import insert

from pbapp.cycles.services import count_cycle, publish_result
from pbapp.extensions import db
from pbapp.voting.models import Ballot, Participation
from pbapp.voting.services import new_receipt, receipt_hash, voter_key


@pytest.fixture()
def ranked(make_cycle, make_proposal, make_user):
    """An instant-runoff cycle: A has 6 first preferences, B 4, C 3; C's ballots go to B, so
    B wins round 2 with 7 against A's 6."""
    cycle = make_cycle(slug="irv", phase="counting", method="irv", max_ranks=2,
                       voting_opens=datetime(2026, 4, 1, tzinfo=timezone.utc),
                       voting_closes=datetime(2026, 4, 15, tzinfo=timezone.utc))
    a, b, c = (make_proposal(cycle, t) for t in ("Alpha lights", "Bravo garden", "Charlie bus"))
    rankings = [[a.id]] * 6 + [[b.id]] * 4 + [[c.id, b.id]] * 3
    db.session.execute(insert(Participation), [
        {"cycle_id": cycle.id, "voter_key": voter_key("t", str(i)), "channel": "online",
         "voted_at": cycle.voting_opens} for i in range(len(rankings))])
    db.session.execute(insert(Ballot), [
        {"id": str(uuid.uuid4()), "cycle_id": cycle.id, "channel": "online", "ranking": r,
         "receipt_hash": receipt_hash(new_receipt()), "cast_on": cycle.voting_opens.date()}
        for r in rankings])
    db.session.commit()
    staff = make_user("staff")
    result = count_cycle(cycle, staff)
    db.session.commit()
    return cycle, (a.id, b.id, c.id), result, staff


def _order(page: str, titles) -> list[str]:
    return sorted(titles, key=page.index)


def test_nothing_before_publication_then_everything_after(client, ranked):
    cycle, (a, b, c), result, staff = ranked
    titles = ("Alpha lights", "Bravo garden", "Charlie bus")
    for url in (f"/proposals/{a}", "/proposals/?cycle=irv", "/cycles/irv"):
        page = client.get(url).text
        assert "First preferences" not in page and "Sort by the votes" not in page, url
    assert client.get(f"/api/v1/proposals/{a}").json["votes"] is None
    # sorting asks for nothing that is not there yet, and a bad value is still refused
    assert client.get("/cycles/irv?sort=first-preferences").status_code == 200

    publish_result(result, staff)
    db.session.commit()
    page = client.get(f"/proposals/{b}").text
    assert "First preferences" in page and "Elected in round 2" in page
    assert "7 in round 2" in page
    page = client.get(f"/proposals/{c}").text
    assert "Eliminated in round 1" in page and ">3<" in page
    cycle_page = client.get("/cycles/irv").text
    assert "Sort by the votes" in cycle_page and "Value in its final round" in cycle_page
    firsts = client.get("/cycles/irv?sort=first-preferences").text
    assert _order(firsts, titles) == ["Alpha lights", "Bravo garden", "Charlie bus"]
    outcome = client.get("/cycles/irv?sort=outcome").text
    assert _order(outcome, titles) == ["Bravo garden", "Alpha lights", "Charlie bus"]
    listed = client.get("/proposals/?cycle=irv&sort=outcome").text
    assert _order(listed[listed.index("Sort by the votes"):], titles)[0] == "Bravo garden"
    assert 'aria-current="true">Funded first' in listed
    votes = client.get(f"/api/v1/proposals/{b}").json["votes"]
    assert votes == {"first_preferences": 4, "final_round_value": 7, "final_round": 2,
                     "outcome": "elected", "decided_in_round": 2}
    # Spanish
    es = client.get(f"/proposals/{b}", headers={"Accept-Language": "es"}).text
    assert "Primeras preferencias" in es


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.text(max_size=30), st.sampled_from(
    ["outcome ", "OUTCOME", "first-preferences\x00", "²", "9" * 400, "final-round%00"])))
def test_a_bad_sort_is_a_400_with_a_message_never_a_500(client, ranked, value):
    if value in ("first-preferences", "final-round", "outcome", ""):
        return
    for url in ("/cycles/irv", "/proposals/"):
        resp = client.get(url, query_string={"sort": value})
        assert resp.status_code == 400, (url, value)
        if "\x00" not in value and not any(ord(ch) < 32 or 127 <= ord(ch) < 160
                                           for ch in value):
            assert "Unknown sort order" in resp.text
