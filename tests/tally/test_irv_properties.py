"""Our IRV against pref_voting's on random small elections (hypothesis).

The two differ only in ties, so each property says how:
* pref_voting's ``instant_runoff`` eliminates *all* candidates tied for last at once and returns
  every candidate tied at the end; ours eliminates one, chosen by a tie-break rule. When our count
  needed no tie-break, both must name exactly the same single winner.
* ``instant_runoff_put`` (parallel-universe tie-breaking) returns everyone who wins under *some*
  way of breaking the ties, so whatever our rule picked, our winner must be among them.
* With a fixed order as tie-break (``candidate-order``: the later candidate goes), pref_voting's
  ``instant_runoff_tb`` with that order reversed makes the same choices, so the winners agree
  exactly on complete rankings.
Truncated rankings are checked against ``instant_runoff_for_truncated_linear_orders``, which
like ours requires a majority of the ballots still counting.
"""
from hypothesis import given, settings
from hypothesis import strategies as st
from pref_voting.iterative_methods import (instant_runoff,
                                           instant_runoff_for_truncated_linear_orders,
                                           instant_runoff_put, instant_runoff_tb)
from pref_voting.profiles import Profile as PVProfile
from pref_voting.profiles_with_ties import ProfileWithTies

from pbapp.tally import count


@st.composite
def elections(draw, complete: bool):
    """2-5 candidates, up to 12 distinct ballots with counts; rankings complete or truncated."""
    k = draw(st.integers(2, 5))
    if complete:
        ranking = st.permutations(list(range(k)))
    else:
        ranking = st.lists(st.integers(0, k - 1), min_size=1, max_size=k, unique=True)
    ballots = draw(st.lists(st.tuples(st.integers(1, 5), ranking), min_size=1, max_size=12))
    return k, [(n, list(r)) for n, r in ballots]


def ours(k, ballots, **options):
    names = [str(c) for c in range(k)]
    result = count([(n, tuple(str(c) for c in r)) for n, r in ballots], method="irv",
                   candidates=names, **options)
    return int(result.winners[0]), result


def pv_profile(k, ballots):
    return PVProfile([r for _, r in ballots], rcounts=[n for n, _ in ballots])


FAST = settings(max_examples=150, deadline=None)


@FAST
@given(elections(complete=True))
def test_complete_rankings_agree(election):
    k, ballots = election
    winner, result = ours(k, ballots)
    profile = pv_profile(k, ballots)
    assert winner in instant_runoff_put(profile)
    if not result.tie_breaks:
        assert instant_runoff(profile) == [winner]


@FAST
@given(elections(complete=True))
def test_fixed_order_tiebreak_matches_instant_runoff_tb(election):
    k, ballots = election
    winner, _ = ours(k, ballots, tiebreak="candidate-order")
    assert instant_runoff_tb(pv_profile(k, ballots),
                             tie_breaker=list(reversed(range(k)))) == [winner]


@FAST
@given(elections(complete=False))
def test_truncated_rankings_agree(election):
    k, ballots = election
    winner, result = ours(k, ballots)
    profile = ProfileWithTies([{c: i + 1 for i, c in enumerate(r)} for _, r in ballots],
                              rcounts=[n for n, _ in ballots], candidates=list(range(k)))
    assert winner in instant_runoff_put(profile)
    if not result.tie_breaks:
        assert instant_runoff_for_truncated_linear_orders(profile) == [winner]
