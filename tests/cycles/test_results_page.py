"""The public results page: every round as a table and a chart, and turnout by channel."""
import re

import pytest
from sqlalchemy import func, select

from pbapp.cycles import charts
from pbapp.cycles.models import Cycle
from pbapp.cycles.services import count_cycle, publish_result
from pbapp.extensions import db
from pbapp.voting.models import Participation
from pbapp.voting.services import cast_ballot, voter_key

INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>|<script[^>]*>[^<]+</script>", re.I)
SVG = re.compile(rb"<svg\b.*?</svg>", re.S)


def turnout_cell(page: bytes, label: str) -> int:
    match = re.search(rf'<th scope="row">{label}</th><td class="num"[^>]*>([\d,]+)</td>'.encode(), page)
    assert match, f"no turnout row {label!r}"
    return int(match.group(1).replace(b",", b""))


def caption(page: bytes, chart_id: str) -> str:
    match = re.search(rf'<figcaption id="{chart_id}">(.*?)</figcaption>'.encode(), page, re.S)
    assert match, f"no caption for {chart_id}"
    return match.group(1).decode()


def assert_no_inline_script(page: bytes) -> None:
    assert not INLINE_SCRIPT.search(page)
    for svg in SVG.findall(page):
        assert b"<script" not in svg.lower()


@pytest.fixture()
def published(make_cycle, make_proposal, staff):
    """Cast ``ballots`` [(channel, [titles])] in a new cycle, count with ``method``, publish."""
    def publish(method, ballots, titles, costs=None, slug="spring"):
        cycle = make_cycle(slug=slug, phase="voting", method=method, max_ranks=3, budget=1000)
        props = {t: make_proposal(cycle, t, cost=(costs or {}).get(t, 100)) for t in titles}
        for i, (channel, ranking) in enumerate(ballots):
            cast_ballot(cycle, voter_key("test", f"{slug}-{i}"), channel,
                        [props[t].id for t in ranking])
        cycle.phase = "counting"
        result = count_cycle(cycle, staff)
        publish_result(result, staff)
        db.session.commit()
        return cycle, result
    return publish


IRV_BALLOTS = ([("online", ["Street lights"])] * 3 + [("code", ["Youth centre", "Garden"])] * 3
               + [("paper", ["Garden", "Youth centre"]), ("paper", ["Garden"]),
                  ("online", ["Dog park", "Garden"])])


def test_irv_page_charts_rounds_with_transfers_exhausted_and_tie(client, published):
    cycle, result = published("irv", IRV_BALLOTS,
                              ["Street lights", "Youth centre", "Garden", "Dog park"])
    page = client.get("/cycles/spring/results")
    assert page.status_code == 200
    body = page.data
    assert b"<svg" in body and b'aria-labelledby="chart-rounds"' in body
    text = caption(body, "chart-rounds")
    assert "Elected: Youth centre in round 3" in text
    assert "Dog park (round 1" in text and "Garden (round 2" in text
    assert_no_inline_script(body)

    round1 = body.split(b'id="round-1"')[1].split(b"</section>")[0]
    assert b"<th class=\"num\">Transfer</th>" in round1
    assert re.search(rb"<td>Garden</td><td class=\"num\">2</td><td class=\"num\">\+1</td>", round1)
    assert re.search(rb"<td>Dog park</td><td class=\"num\">1</td><td class=\"num\">\xe2\x88\x921<",
                     round1)
    round2 = body.split(b'id="round-2"')[1].split(b"</section>")[0]
    assert b"Exhausted (no next choice)</td><td class=\"num\"></td><td class=\"num\">+2<" in round2
    assert b"2 had no next choice and became exhausted" in round2
    assert b"Broken by the earlier rounds" in round2 and b"Garden was chosen" in round2
    round3 = body.split(b'id="round-3"')[1].split(b"</section>")[0]
    assert b"Ballots no longer counting in this round: 2" in round3
    assert b"no choices left: 2" in round3


def test_turnout_by_channel_matches_the_participation_rows(client, published):
    cycle, _ = published("irv", IRV_BALLOTS,
                         ["Street lights", "Youth centre", "Garden", "Dog park"])
    body = client.get("/cycles/spring/results").data
    rows = dict(db.session.execute(select(Participation.channel, func.count())
                                   .where(Participation.cycle_id == cycle.id)
                                   .group_by(Participation.channel)).all())
    assert rows == {"online": 4, "code": 3, "paper": 2}
    for label in ("Online with an account", "With a voting code", "On paper"):
        # 1 to 10 voters: hidden to protect them (see test_turnout_protection.py)
        assert re.search(rf'<th scope="row">{label}</th><td class="num"[^>]*>&lt;11</td>'.encode(),
                         body)
    assert turnout_cell(body, "Total") == 9


def test_pb_page_charts_scores_and_budget(client, published):
    ballots = ([("online", ["Street lights", "Youth centre"])] * 3
               + [("code", ["Youth centre", "Garden"])] * 3
               + [("paper", ["Garden", "Youth centre", "Street lights"])])
    published("greedy", ballots, ["Street lights", "Youth centre", "Garden"],
              costs={"Street lights": 600, "Youth centre": 300, "Garden": 500})
    body = client.get("/cycles/spring/results").data
    assert body.count(b"<svg") == 2
    scores = caption(body, "chart-scores")
    assert "Funded: Youth centre (score 17, cost 300); Street lights" in scores
    assert "Garden" not in scores.split("Funded:")[1]
    assert "Spent 900 of the 1,000 budget; 100 left." in caption(body, "chart-budget")
    assert b"Youth centre (funded)" in body  # the chart's own label, not only its colour
    assert_no_inline_script(body)
    assert turnout_cell(body, "Total") == 7


def test_proposal_titles_in_charts_are_escaped(client, published):
    title = "Lights <script>alert(1)</script>"
    published("irv", [("online", [title])] * 2 + [("online", ["Bench"])], [title, "Bench"])
    body = client.get("/cycles/spring/results").data
    assert b"<script>alert" not in body
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert_no_inline_script(body)


def test_staff_review_page_shows_the_same_charts(client, published):
    cycle, result = published("irv", IRV_BALLOTS,
                              ["Street lights", "Youth centre", "Garden", "Dog park"])
    body = client.get(f"/cycles/manage/spring/results/{result.id}").data
    assert b'aria-labelledby="chart-rounds"' in body and b"With a voting code" in body


def test_charts_are_cached_per_count():
    data = {"method": "irv", "winners": ["b"], "names": {"a": "A", "b": "B"},
            "rounds": [{"round": 1, "tallies": {"a": 1, "b": 2}, "elected": ["b"],
                        "eliminated": []}]}
    first = charts.cached_charts(("test", 1), data)
    assert charts.cached_charts(("test", 1), {}) is first
    assert charts.cached_charts(("test", 2), {}) == []
    assert "<script" not in first[0].svg and 'role="img"' in first[0].svg


def test_demo_results_page(client, runner):
    assert runner.invoke(args=["demo", "--ballots", "300"]).exit_code == 0
    page = client.get("/cycles/2026-spring/results")
    assert page.status_code == 200
    assert b"<svg" in page.data and b"Budget and spending" in page.data
    assert_no_inline_script(page.data)
    cycle = db.session.scalar(select(Cycle).where(Cycle.slug == "2026-spring"))
    voters = db.session.scalar(select(func.count()).select_from(Participation)
                               .where(Participation.cycle_id == cycle.id))
    assert voters > 0 and turnout_cell(page.data, "Total") == voters
