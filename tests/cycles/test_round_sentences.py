"""Each round of a count said in plain sentences, in English and Spanish, with every number
written as the reader's language writes it, the same in the tables as in the charts."""
import re

import pytest

from pbapp.cycles.rounds import round_sentences
from pbapp.cycles.services import count_cycle, publish_result
from pbapp.extensions import db
from pbapp.voting.services import cast_ballot, voter_key

ES = {"Accept-Language": "es-MX,es;q=0.9"}
#: an equal-shares round as pbapp.tally stores it when the rule counts cost
EQUAL_SHARES = {
    "method": "equal-shares", "options": {"utility": "cost"}, "budget": 400000,
    "names": {"3": "Trauma counselling for families", "4": "Bus shelters"},
    "projects": [{"id": "3", "cost": 101000, "score": 1204, "funded": True,
                  "reason": "equal shares"},
                 {"id": "4", "cost": 350000, "score": 90, "funded": False,
                  "reason": "not affordable"}],
    "rounds": [{"round": 1, "tallies": {"3": 13.086292, "4": 204.5}, "elected": ["3"],
                "eliminated": [], "note": "3 costs 101000; its 1204 supporters pay at most "
                "83.89 each (rho 13.0863: the share of the cost one supporter carries). Tallies "
                "are each affordable project's rho; the lowest is funded."}]}


@pytest.mark.parametrize("headers, said", [
    ({}, "Trauma counselling for families was funded: its 1,204 supporters could pay its "
         "101,000 from their equal shares of the budget."),
    (ES, "Trauma counselling for families se financió: sus 1.204 partidarios podían pagar sus "
         "101.000 con sus partes iguales del presupuesto.")])
def test_an_equal_shares_round_is_one_plain_sentence(app, headers, said):
    with app.test_request_context(headers=headers):
        assert round_sentences(EQUAL_SHARES) == [[said]]


def count(make_cycle, make_proposal, staff, method, ballots, costs, budget):
    cycle = make_cycle(slug="sentences", phase="voting", method=method, max_ranks=3,
                       budget=budget)
    props = {t: make_proposal(cycle, t, cost=c) for t, c in costs.items()}
    for i, ranking in enumerate(ballots):
        cast_ballot(cycle, voter_key("test", f"s-{i}"), "online", [props[t].id for t in ranking])
    cycle.phase = "counting"
    publish_result(count_cycle(cycle, staff), staff)
    db.session.commit()


def round_text(page: str, number: int) -> str:
    section = page.split(f'id="round-{number}"')[1].split("</section>")[0]
    return " ".join(re.findall(r'<p class="round-sentence">(.*?)</p>', section))


GREEDY_BALLOTS = [["Street lights", "Youth centre"]] * 3 + [["Youth centre", "Garden"]] * 3


@pytest.mark.parametrize("headers, rounds, gone", [
    ({}, ["Youth centre was funded: it had the highest score left (15) and its cost of 1,500 "
          "fitted in the 4,000 left, leaving 2,500.",
          "Street lights was funded: it had the highest score left (9) and its cost of 2,000 "
          "fitted in the 2,500 left, leaving 500.",
          "Garden was passed over: it costs 1,200, more than the 500 left."],
     ["has the highest score left", "funded, 2500 left", "costs 1200"]),
    (ES, ["Youth centre se financió: tenía la puntuación más alta de las que quedaban (15) y su "
          "coste de 1.500 cabía en los 4.000 que quedaban; quedan 2.500.",
          "Street lights se financió: tenía la puntuación más alta de las que quedaban (9) y su "
          "coste de 2.000 cabía en los 2.500 que quedaban; quedan 500.",
          "Garden se pasó por alto: cuesta 1.200, más que los 500 que quedaban."],
     ["has the highest score left", "was funded", "costs"])])
def test_results_page_says_each_round_in_the_readers_language(
        client, make_cycle, make_proposal, staff, headers, rounds, gone):
    count(make_cycle, make_proposal, staff, "greedy", GREEDY_BALLOTS,
          {"Street lights": 2000, "Youth centre": 1500, "Garden": 1200}, budget=4000)
    page = client.get("/cycles/sentences/results", headers=headers).get_data(as_text=True)
    assert [round_text(page, n) for n in (1, 2, 3)] == rounds
    for text in gone:
        assert text not in page


def test_tables_and_charts_write_numbers_alike(client, make_cycle, make_proposal, staff):
    count(make_cycle, make_proposal, staff, "greedy", GREEDY_BALLOTS,
          {"Street lights": 2000, "Youth centre": 11500, "Garden": 1200}, budget=14000)
    for headers, cost, budget in (({}, "11,500", "14,000"), (ES, "11.500", "14.000")):
        page = client.get("/cycles/sentences/results", headers=headers).get_data(as_text=True)
        table = page.split("<table class=\"stack\">")[1].split("</table>")[0]
        assert re.search(rf'<th scope="row"><a href="/proposals/\d+">Youth centre</a></th>'
                         rf'<td class="num"[^>]*>{cost}</td>', table)
        charts = "".join(re.findall(r"<svg\b.*?</svg>", page, re.S))
        assert f"{budget}" in charts and "14000" not in charts
        assert re.search(rf">Youth centre \([^)]*\): 15<", charts)  # the score, as in the table
        assert re.search(r'<td class="num"[^>]*>15</td>', table)
        assert ("Why" not in table) and ("Por qué" not in table)  # one column, fits a phone
