"""Random linked tables through the protection, checked by a linear programme of the test's
own (``attacker``): built from the published numbers and the structure the test made, never from
the relations the engine found."""
from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbapp.metrics import protection

from attacker import COMPLEMENTARY_MARK, SMALL_MARK, solve, structural_sums, weaknesses

MONTHS = [(date(2026, m, 1), date(2026, m + 1, 1).replace(day=1)) for m in range(1, 7)]
MONTHS = [(s, date.fromordinal(e.toordinal() - 1)) for s, e in MONTHS]
QUARTERS = [(date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 6, 30))]
HALF = (date(2026, 1, 1), date(2026, 6, 30))
REMAINDER = "not recorded"


def small_heavy(high: int = 60):
    return st.one_of(st.integers(0, 10), st.integers(0, high))


@st.composite
def linked_tables(draw):
    """One metric's cells as ``{(system, scope, ref, start, end, breakdown, group): count}`` and
    which of them a rate joins (numerator with denominator).

    Neighbourhoods' months by group are drawn; everything else is their sum: groups under the
    total (sometimes with the "not recorded" group left out), neighbourhoods under the city,
    months under quarters under the half-year."""
    hoods = [f"h{i}" for i in range(draw(st.integers(1, 2)))]
    quarters = QUARTERS[:draw(st.integers(1, 2))]
    months = [m for m in MONTHS if quarters[-1][1] >= m[1]]
    groups = ["a", "b"][:draw(st.integers(1, 2))]
    rate = draw(st.booleans())
    leaves = {}
    for hood in hoods:
        for month in months:
            for group in [*groups, REMAINDER]:
                if rate:
                    den = draw(st.integers(1, 25))
                    leaves[(hood, month, group)] = (draw(st.integers(0, den)), den)
                else:
                    leaves[(hood, month, group)] = (draw(small_heavy()),)
    # the first quarter's months, sometimes: with the second quarter they tile the half-year
    periods = list(quarters) + (MONTHS[:3] if draw(st.booleans()) else [])
    if len(quarters) == 2 and draw(st.booleans()):
        periods.append(HALF)
    hood_periods = periods if draw(st.booleans()) else list(quarters)
    shown_groups = groups + ([] if draw(st.booleans()) else [REMAINDER])
    by_hood = draw(st.booleans())
    systems = ("numerator", "denominator") if rate else ("count",)

    def total(hood_list, period, group_list):
        return tuple(sum(v[i] for (h, m, g), v in leaves.items() if h in hood_list
                         and period[0] <= m[0] and m[1] <= period[1] and g in group_list)
                     for i in range(len(systems)))

    cells = {}
    for scope, ref, hood_list, ps in [("city", "", hoods, periods),
                                      *(("neighbourhood", h, [h], hood_periods) for h in hoods)]:
        for p in ps:
            cells[(scope, ref, *p, "", "")] = total(hood_list, p, [*groups, REMAINDER])
            for g in shown_groups:
                cells[(scope, ref, *p, "age_band", g)] = total(hood_list, p, [g])
            if scope == "city" and by_hood:
                for h in hoods:
                    cells[(scope, ref, *p, "neighbourhood", h)] = \
                        total([h], p, [*groups, REMAINDER])
    values = {(s, *cell): v[i] for cell, v in cells.items() for i, s in enumerate(systems)}
    together = {}
    if rate:
        for cell in cells:
            together[("numerator", *cell)] = [("denominator", *cell)]
            together[("denominator", *cell)] = [("numerator", *cell)]
    return values, together, rate


def engine(values, together):
    """The protection as ``pbapp.metrics.published`` runs it: relations per system."""
    relations = []
    for system in sorted({k[0] for k in values}):
        mine = {k[1:]: v for k, v in values.items() if k[0] == system}
        relations += [protection.Relation((system, *r.total),
                                          tuple((system, *p) for p in r.parts), r.exact, r.why)
                      for r in protection.find_relations(mine)]
    return protection.protect(values, relations, protection.cell_cost(values), together)


def public_view(values, hidden, rate):
    """What a reader sees of each cell: its number, or "<11"/"—" (counts), or for a rate the
    reason it is hidden, as the public outputs word it."""
    cells = {k[1:] for k in values}
    seen = {}
    for cell in cells:
        if not rate:
            k = ("count", *cell)
            seen[cell] = hidden.get(k)
            continue
        num, den = hidden.get(("numerator", *cell)), hidden.get(("denominator", *cell))
        assert (num is None) == (den is None), f"{cell}: numerator and denominator apart"
        seen[cell] = None if num is None else "small-denominator" \
            if den == protection.SMALL else "small-numerator" if num == protection.SMALL \
            else "complementary"
    return seen


def attack(values, seen, rate):
    """The reader's own programme over every published number and every sum the structure
    suggests (exact where the numbers obey it): ranges of the hidden cells and which fail."""
    published, hidden, small, within = {}, {}, set(), []
    for cell, why in seen.items():
        if not rate:
            k = ("count", *cell)
            if why is None:
                published[k] = values[k]
            else:
                hidden[k] = SMALL_MARK if why == "small" else COMPLEMENTARY_MARK
                if why == "small":
                    small.add(k)
            continue
        num, den = ("numerator", *cell), ("denominator", *cell)
        within.append((num, den))
        if why is None:
            published[num], published[den] = values[num], values[den]
        elif why == "small-numerator":
            hidden[num], hidden[den] = SMALL_MARK, (11, None)
            small.add(num)
        elif why == "small-denominator":
            hidden[num], hidden[den] = (0, 10), SMALL_MARK
            small.add(den)
        else:  # neither is 1..10; the numerator may still be 0
            hidden[num], hidden[den] = (0, None), (11, None)
    if not hidden:
        return []
    sums = []
    for system in sorted({k[0] for k in values}):
        sums += structural_sums({k: v for k, v in values.items() if k[0] == system})
    return weaknesses(solve(published, hidden, sums, within), small)


def assert_true_and_marked_right(values, hidden, rate):
    """Published numbers are the true ones (nothing rounded or perturbed in a count system),
    a count of 1 to 10 is always "<11", a 0 is never hidden (a rate's only with its
    denominator) and a "—" is at least 11, as the page's key says."""
    assert set(hidden) <= set(values)
    for key, value in values.items():
        reason = hidden.get(key)
        if value == 0:
            assert reason is None or (rate and reason == protection.WITH), \
                f"{key} = 0 hidden as {reason}"
        if 1 <= value <= 10:
            assert reason == protection.SMALL, f"{key} = {value} shown"
        if reason == protection.COMPLEMENTARY:
            assert value >= 11, f"{key} = {value} marked as at least 11"


# one property test, so each example's protection (the slow part) runs once for both checks
@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(linked_tables())
def test_no_hidden_number_can_be_worked_out_and_the_rest_are_true(tables):
    values, together, rate = tables
    outcome = engine(values, together)
    assert outcome.passed, outcome.problems
    assert_true_and_marked_right(values, outcome.hidden, rate)
    assert attack(values, public_view(values, outcome.hidden, rate), rate) == []


def test_a_rate_of_none_in_small_groups_is_still_published():
    """The smallest case the property above found: 0 of 12 city-wide, 0 of 6 in each of two
    groups. Both groups' denominators are small, so their numerators are hidden with them, and
    the published total (0) pins those to 0; nothing is left that the protection would hide, so
    the audit fails and the whole metric would publish nothing."""
    q1 = (date(2026, 1, 1), date(2026, 3, 31))
    cells = {("city", "", *q1, "", ""): (0, 12), ("city", "", *q1, "gender", "a"): (0, 6),
             ("city", "", *q1, "gender", "b"): (0, 6)}
    values = {(s, *c): v[i] for c, v in cells.items()
              for i, s in enumerate(("numerator", "denominator"))}
    together = {(s, *c): [(o, *c)] for c in cells
                for s, o in (("numerator", "denominator"), ("denominator", "numerator"))}
    outcome = engine(values, together)
    assert outcome.passed, outcome.problems
