"""Issue 17 on the site: amounts stored in cents reach the count exactly and are shown as
published; neither flooring to whole units nor float rounding decides who is funded."""
from decimal import Decimal

from pbapp.cycles.exports import export_election
from pbapp.cycles.services import count_cycle, count_options, publish_result
from pbapp.extensions import db
from pbapp.voting.services import ballot_choices, cast_ballot, voter_key


def test_cents_are_counted_exactly_and_shown_as_published(client, make_cycle, make_proposal,
                                                          staff):
    cycle = make_cycle(phase="voting", method="greedy", max_ranks=2, budget=1000)
    a, b = make_proposal(cycle, "Lights", cost=500), make_proposal(cycle, "Benches", cost=499)
    a.cost_cents, b.cost_cents = 50060, 49950  # 500.60 + 499.50 = 1000.10: only one fits
    for i in range(3):
        cast_ballot(cycle, voter_key("t", i), "online", [a.id, b.id])
    cycle.phase = "counting"
    db.session.commit()
    options = count_options(cycle, ballot_choices(cycle))
    assert options["costs"] == {str(a.id): Decimal("500.6"), str(b.id): Decimal("499.5")}
    result = count_cycle(cycle, staff)
    data = result.data
    assert data["winners"] == [str(a.id)]  # floored to 500 + 499 both would be funded
    assert data["spent"] == 500.6 and data["money_left"] == 499.4
    assert {p["id"]: p["cost"] for p in data["projects"]} == {str(a.id): 500.6,
                                                             str(b.id): 499.5}
    recount = export_election(cycle, result).count()
    assert recount.winners == data["winners"] and recount.spent == Decimal("500.6")
    publish_result(result, staff)
    db.session.commit()
    page = client.get(f"/cycles/{cycle.slug}/results").get_data(as_text=True)
    assert "500.6" in page and "499.4" in page


def test_whole_amounts_count_as_before(app, make_cycle, make_proposal):
    cycle = make_cycle(method="greedy", budget=1000)
    p = make_proposal(cycle, "Lights", cost=600)
    options = count_options(cycle, [p])
    assert options["budget"] == 1000 and options["costs"] == {str(p.id): 600}
    assert type(options["budget"]) is int and type(options["costs"][str(p.id)]) is int
