"""Polling places (issue 19): staff keep a list per cycle, batches name one of their cycle's, and
the results, the report and the ballots file show ballots per place under the small-cell rules."""
import csv
import io
import uuid

import pytest
from hypothesis import given, settings, strategies as st
from sqlalchemy import insert, select

from pbapp.audit.models import AuditEvent
from pbapp.cycles.services import count_cycle, publish_result
from pbapp.extensions import db
from pbapp.metrics.suppression import narrowed
from pbapp.paper.models import PaperBatch, PollingPlace
from pbapp.paper.turnout import _coarsen, protect_places
from pbapp.voting.models import Ballot, Participation
from pbapp.voting.services import new_receipt, receipt_hash, voter_key

from paper_helpers import count


def _place_form(client, csrf, slug, **data):
    url = f"/staff/paper/{slug}/places"
    return client.post(url, data={"csrf_token": csrf(url), **data})


def test_staff_list_places_and_a_batch_must_name_one_of_its_cycle(
        client, csrf, login, make_user, make_cycle, open_cycle, paper, alice):
    cycle, _ = open_cycle
    other = make_cycle(slug="other", phase="voting")
    stranger = PollingPlace(cycle_id=other.id, name="Elsewhere Hall")
    db.session.add(stranger)
    db.session.commit()
    login(make_user("resident"))
    assert client.get("/staff/paper/autumn/places").status_code == 403
    paper.as_(alice)
    resp = _place_form(client, csrf, "autumn", name="  Riverside   Library ", address="1 Canal")
    assert resp.status_code == 303
    place = db.session.scalar(select(PollingPlace).where(PollingPlace.cycle_id == cycle.id))
    assert place.name == "Riverside Library"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "paper.place_add"))
    assert event.target == f"polling_place:{place.id}" and event.actor_id == alice.id
    # the same name twice, or none, is refused with a reason and writes nothing
    again = _place_form(client, csrf, "autumn", name="Riverside Library")
    assert again.status_code == 200 and "already has a polling place" in again.text
    assert _place_form(client, csrf, "autumn", name="").status_code == 200
    assert count(PollingPlace, PollingPlace.cycle_id == cycle.id) == 1
    page = client.get("/staff/paper/autumn/places").text
    assert "Riverside Library" in page and "1 Canal" in page
    # a batch now needs one of this cycle's places: none, another cycle's, junk are refused
    url = "/staff/paper/autumn"
    for bad in ("", str(stranger.id), "²", "9" * 30, "-1", "1e3"):
        resp = client.post(url, data={"csrf_token": csrf(url), "label": f"Box {bad!r}",
                                      "polling_place": bad})
        assert resp.status_code == 200 and "Choose one of this cycle" in resp.text
    assert count(PaperBatch) == 0
    resp = client.post(url, data={"csrf_token": csrf(url), "label": "Box 1",
                                  "polling_place": str(place.id)})
    assert resp.status_code == 303
    batch = db.session.scalar(select(PaperBatch))
    assert batch.polling_place_id == place.id
    assert "Riverside Library" in client.get(url).text
    # a place some batch names stays; another cycle's place cannot be removed from here
    remove = f"/staff/paper/autumn/places/{place.id}/remove"
    token = csrf("/staff/paper/autumn/places")
    assert client.post(remove, data={"csrf_token": token}).status_code == 303
    assert db.session.get(PollingPlace, place.id) is not None
    wrong = f"/staff/paper/autumn/places/{stranger.id}/remove"
    assert client.post(wrong, data={"csrf_token": token}).status_code == 404
    assert db.session.get(PollingPlace, stranger.id) is not None


def test_committed_ballots_carry_the_batch_place(open_cycle, codes, paper, alice, bob, csrf,
                                                 client):
    cycle, props = open_cycle
    place = PollingPlace(cycle_id=cycle.id, name="Town Hall")
    db.session.add(place)
    db.session.commit()
    paper.as_(alice)
    url = "/staff/paper/autumn"
    client.post(url, data={"csrf_token": csrf(url), "label": "TH 1",
                           "polling_place": str(place.id)})
    batch = db.session.scalar(select(PaperBatch))
    for rnd, who in ((1, alice), (2, bob)):
        paper.as_(who)
        for serial, code in enumerate(codes[:2], 1):
            assert paper.enter(batch, rnd, str(serial), props[:2], code=code).status_code == 303
    assert paper.action(batch, "compare").status_code == 303
    assert paper.action(batch, "commit").status_code == 303
    ballots = db.session.scalars(select(Ballot).where(Ballot.cycle_id == cycle.id)).all()
    assert [b.polling_place_id for b in ballots] == [place.id, place.id]
    # the participation rows (who voted) know nothing of the place
    assert "polling_place_id" not in Participation.__table__.c


def _seed(cycle, props, online=0, code=0, by_place=()):
    """Ballots and participation rows as the channels leave them; ``by_place`` is
    ((place id or None, ballots), ...) for paper."""
    parts, ballots = [], []
    kinds = [("online", None)] * online + [("code", None)] * code + [
        ("paper", pid) for pid, n in by_place for _ in range(n)]
    for i, (channel, place) in enumerate(kinds):
        parts.append({"cycle_id": cycle.id, "voter_key": voter_key("t", f"{cycle.id}:{i}"),
                      "channel": channel, "voted_at": cycle.voting_opens})
        ballots.append({"id": str(uuid.uuid4()), "cycle_id": cycle.id, "channel": channel,
                        "ranking": [props[i % len(props)]], "polling_place_id": place,
                        "receipt_hash": receipt_hash(new_receipt()),
                        "cast_on": cycle.voting_opens.date()})
    db.session.execute(insert(Participation), parts)
    db.session.execute(insert(Ballot), ballots)
    db.session.commit()


@pytest.fixture()
def counted(make_cycle, make_proposal, make_user):
    from datetime import datetime, timezone
    cycle = make_cycle(slug="counted", phase="counting",
                       voting_opens=datetime(2026, 4, 1, tzinfo=timezone.utc),
                       voting_closes=datetime(2026, 4, 15, tzinfo=timezone.utc))
    props = [make_proposal(cycle, t, cost=100).id for t in ("Lights", "Garden", "Bus")]
    places = [PollingPlace(cycle_id=cycle.id, name=n) for n in ("Big Hall", "Tiny Hut")]
    db.session.add_all(places)
    db.session.commit()
    staff = make_user("staff")

    def publish():
        result = count_cycle(cycle, staff)
        publish_result(result, staff)
        db.session.commit()
    return cycle, props, [p.id for p in places], publish


def test_results_report_and_file_hide_a_small_place(client, counted):
    cycle, props, (big, tiny), publish = counted
    # 3 ballots at the tiny hut: hidden, and the big hall hidden with it (paper is shown)
    _seed(cycle, props, online=40, code=15, by_place=((big, 20), (tiny, 3)))
    publish()
    page = client.get("/cycles/counted/results").text
    table = page[page.index('id="polling-places"'):]
    table = table[:table.index("</table>")]
    assert "Tiny Hut" in table and "&lt;11" in table and "—" in table
    assert ">20<" not in table and ">3<" not in table and "23" in table  # paper total shown
    report = client.get("/reports/cycles/counted.json")
    assert report.status_code == 200
    if True:
        cells = [c for s in report.json["sections"] for t in s["tables"]
                 if t["id"] == "turnout-polling-place" for r in t["rows"]
                 for c in r["cells"].values()]
        assert cells and all(c["value"] is None for c in cells if c["suppressed"])
        assert {c["value"] for c in cells} >= {None}
        assert 3 not in {c["value"] for c in cells} and 20 not in {c["value"] for c in cells}
    rows = list(csv.reader(io.StringIO(client.get("/cycles/counted/results/ballots.csv").text)))
    assert rows[0][:3] == ["Ballot", "Channel", "Polling place"]
    paper_rows = [r for r in rows[1:] if r[1] == "paper"]
    assert len(paper_rows) == 23 and {r[2] for r in paper_rows} == {"withheld"}
    assert sum(r[1] == "online" for r in rows[1:]) == 40
    # the API says the same, hidden cells null with the reason, never 3 or 20
    api = client.get("/api/v1/cycles/counted/results").json["polling_places"]
    assert {p["name"] for p in api} == {"Big Hall", "Tiny Hut", "Not recorded"}
    assert {p["name"]: p["ballots"]["suppressed"] for p in api}["Tiny Hut"] == "small"
    assert not {3, 20} & {p["ballots"]["value"] for p in api}


def test_the_ballots_file_still_recounts_and_names_large_places(client, counted, tmp_path):
    from pbapp.tally.formats import read_election

    cycle, props, (big, tiny), publish = counted
    _seed(cycle, props, online=30, code=12, by_place=((big, 14), (tiny, 12), (None, 11)))
    publish()
    body = client.get("/cycles/counted/results/ballots.csv").text
    rows = list(csv.reader(io.StringIO(body)))
    assert {(r[1], r[2]) for r in rows[1:] if r[1] == "paper"} == {
        ("paper", "Big Hall"), ("paper", "Tiny Hut"), ("paper", "not recorded")}
    path = tmp_path / "b.csv"
    path.write_text(body)
    election = read_election(str(path))
    assert election.profile.counts.sum() == 30 + 12 + 14 + 12 + 11
    page = client.get("/cycles/counted/results").text
    assert "Big Hall" in page and ">14<" in page and ">12<" in page
    api = client.get("/api/v1/cycles/counted/results").json["polling_places"]
    assert {p["name"]: p["ballots"]["value"] for p in api} == {
        "Big Hall": 14, "Tiny Hut": 12, "Not recorded": 11}


def test_a_place_from_before_places_is_not_recorded(client, counted):
    cycle, props, (big, tiny), publish = counted
    _seed(cycle, props, online=30, by_place=((None, 15),))
    publish()
    page = client.get("/cycles/counted/results").text
    table = page[page.index('id="polling-places"'):]
    assert "Not recorded" in table[:table.index("</table>")]


COUNTS = st.integers(min_value=0, max_value=40)


@settings(max_examples=150, deadline=None)
@given(online=COUNTS, code=COUNTS, places=st.lists(COUNTS, min_size=1, max_size=4))
def test_no_hidden_place_or_channel_can_be_worked_out(online, code, places):
    """Published: the total, the channel table's shown cells, the shown places. No hidden
    number can be narrowed to one value, and no ballots-file group holds 1 to 10 ballots."""
    from pbapp.metrics.suppression import protect_counts

    paper = sum(places)
    channels = {"online": online, "code": code, "paper": paper}
    total = online + code + paper
    decision = protect_counts(list(channels.values()), total)
    ch_hidden = {c: decision.hidden[i] for i, c in enumerate(channels) if i in decision.hidden}
    place_counts = {str(i): n for i, n in enumerate(places)}
    hidden = protect_places(total, channels, ch_hidden, place_counts)
    if hidden is None:  # no per-place numbers at all: nothing more is published
        hidden = {k: "complementary" for k in place_counts}
        return
    values = {"total": total, **channels, **place_counts}
    all_hidden = {**ch_hidden, **hidden}
    ranges = narrowed(values, [("total", list(channels)), ("paper", list(place_counts))],
                      all_hidden)
    alone = narrowed(values, [("total", list(channels))], ch_hidden)
    for key in all_hidden:
        if key in channels and alone[key][0] >= alone[key][1]:
            continue  # the channel table's own limit: the total is always published
        if key in place_counts and alone["paper"][0] >= alone["paper"][1]:
            continue  # paper itself is known, so a lone paper place is too
        assert ranges[key][0] < ranges[key][1], (key, values, all_hidden)
    for key, n in place_counts.items():
        assert key in hidden or n == 0 or n >= 11
    shown = _coarsen(place_counts, set(hidden))
    withheld = sum(n for k, n in place_counts.items() if k not in shown)
    assert withheld == 0 or withheld >= 11 or not shown
    assert all(place_counts[k] >= 11 for k in shown)


def test_too_few_paper_ballots_publish_no_place_numbers():
    # code 1 and paper 2 are hidden by the channel table; two places of 1 would say paper >= 2
    # and so code = 1: no per-place number is published
    assert protect_places(3, {"online": 0, "code": 1, "paper": 2}, {"code": "small",
                          "paper": "small"}, {"a": 1, "b": 1}) is None


def test_coarsen_groups_small_ones_together():
    assert _coarsen({"a": 3, "b": 30, "c": 12}, set()) == {"b"}  # 3+12 = 15 withheld
    assert _coarsen({"a": 3, "b": 30, "c": 40}, set()) == {"c"}  # 3+30
    assert _coarsen({"a": 0, "b": 30}, set()) == {"b"}
    assert _coarsen({"a": 4, "b": 5}, set()) == set()
    assert _coarsen({"a": 11, "b": 11}, {"a"}) == {"b"}
