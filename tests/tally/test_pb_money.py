"""Issue 17: money as exact decimals from the file to the result JSON; no float rounding ever
changes who is funded."""
import json
from decimal import Decimal

import pytest

from pbapp.tally import BallotError, count

CENTS = {"a": Decimal("0.10"), "b": Decimal("0.20"), "c": Decimal("0.05")}


@pytest.mark.parametrize("method", ["greedy", "greedy-no-skip", "greedy-threshold"])
def test_greedy_funds_exactly_to_the_cent(method):
    ballots = [{"a", "b", "c"}, {"a", "b"}, {"a", "b"}]
    extra = {"threshold": 1} if method == "greedy-threshold" else {}
    result = count(ballots, method=method, budget=Decimal("0.30"), costs=CENTS, **extra)
    assert result.winners == ["a", "b"]  # 0.1 + 0.2 > 0.3 as floats
    data = json.loads(result.to_json())
    assert (data["budget"], data["spent"], data["money_left"]) == (0.3, 0.3, 0)
    assert result.spent == Decimal("0.30") and isinstance(result.spent, Decimal)


def test_text_amounts_and_floats_are_read_as_written():
    result = count([{"a", "b"}], method="greedy", budget="0.3", costs={"a": 0.1, "b": "0.2"})
    assert result.winners == ["a", "b"] and result.to_dict()["money_left"] == 0


def test_equal_shares_with_decimal_costs_matches_the_same_count_in_cents():
    ballots = [{"a", "b"}, {"b"}, {"c"}, {"a", "c"}]
    costs = {"a": Decimal("33.33"), "b": Decimal("50.01"), "c": Decimal("16.67")}
    ours = count(ballots, method="equal-shares", budget=Decimal("100.01"), costs=costs)
    cents = count(ballots, method="equal-shares", budget=10001,
                  costs={k: int(v * 100) for k, v in costs.items()})
    assert ours.winners == cents.winners
    assert ours.spent == sum(costs[p] for p in ours.winners)


def test_add1_raises_shares_by_one_currency_unit_whatever_the_decimals():
    ballots = [{"a"}, {"a"}, {"b"}, {"b"}, {"b"}]
    whole = count(ballots, method="equal-shares", budget=100, costs={"a": 50, "b": 49},
                  completion="add1")
    cents = count(ballots, method="equal-shares", budget=Decimal("100.00"),
                  costs={"a": Decimal("50.00"), "b": Decimal("49.00")}, completion="add1")
    assert whole.winners == cents.winners
    assert whole.extra["equal_shares"] == cents.extra["equal_shares"]


def test_amount_json_keeps_published_digits():
    result = count([{"a"}], method="greedy", budget=Decimal("1331751.11"),
                   costs={"a": Decimal("1331751.11")})
    text = result.to_json()
    assert '"cost": 1331751.11' in text and '"money_left": 0' in text


@pytest.mark.parametrize("bad", ["1e3", "0.1234567", "nan", "-1", "٥٠", True])
def test_amounts_that_are_not_plain_money_are_refused(bad):
    with pytest.raises(BallotError, match="budget"):
        count([{"a"}], method="greedy", budget=bad, costs={"a": 1})
