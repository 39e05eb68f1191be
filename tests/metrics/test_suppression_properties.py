"""Small-cell protection checked the way a determined reader would attack it: every assignment
of the hidden numbers that agrees with what is published is enumerated (as sets of reachable
sums, not by interval reasoning), and every hidden number must keep at least two candidates.

The reader here knows more than any page tells: besides the "<11" (1..10) and "—" (at least 11)
marks, they know whether some people are "not recorded" and whether there are fewer than 11 of
them. Protection that holds against this reader holds against a real one.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbapp.metrics.suppression import (SMALL, THRESHOLD, protect_counts,
                                       protect_linked)

CAP = 400  # above any total the strategies draw, so "at least 11" is as good as unbounded


def mark_range(value: int, reason: str | None) -> range:
    """The values a reader cannot rule out for one number from its mark alone."""
    if reason is None:
        return range(value, value + 1)
    return range(1, THRESHOLD) if reason == SMALL else range(THRESHOLD, CAP)


def rest_range(rest: int) -> range:
    """The "not recorded" remainder: its size class only (0, 1..10, or at least 11)."""
    if rest == 0:
        return range(0, 1)
    return range(1, THRESHOLD) if rest < THRESHOLD else range(THRESHOLD, CAP)


def sums(ranges: list[range]) -> set[int]:
    """Every sum the numbers can reach, one choice per range."""
    reach = {0}
    for r in ranges:
        reach = {s + v for s in reach for v in r if s + v < CAP}
    return reach


def candidates_in_table(cells: list[range], totals: set[int]) -> list[set[int]]:
    """For each cell, the values it can take when all cells add up to one of ``totals``."""
    out = []
    for i, own in enumerate(cells):
        others = sums(cells[:i] + cells[i + 1:])
        out.append({v for v in own if any(t - v in others for t in totals)})
    return out


def check_marks(values: list[int], hidden: dict) -> None:
    for key, value in enumerate(values):
        reason = hidden.get(key)
        if reason is None:
            assert not (1 <= value <= 10), f"cell {key} = {value} is shown"
        else:
            assert value != 0, f"cell {key} is 0 but hidden"
            assert (reason == SMALL) == (1 <= value <= 10), (key, value, reason)


tables = st.lists(st.integers(0, 40), min_size=2, max_size=6)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=tables, extra=st.one_of(st.none(), st.just(0), st.integers(1, 25)))
def test_no_hidden_cell_can_be_worked_out(counts, extra):
    """``extra`` None: no total; 0: the cells add up to the total; more: people not recorded."""
    total = None if extra is None else sum(counts) + extra
    p = protect_counts(counts, total)
    check_marks(counts, p.hidden)
    assert set(p.hidden) <= set(range(len(counts)))
    if total is None:
        assert p.total_hidden is None
        assert p.hidden == {i: SMALL for i, c in enumerate(counts) if 1 <= c <= 10}
        return
    assert (p.total_hidden is None) or total > 0
    assert (p.total_hidden == SMALL) == (1 <= total <= 10)
    ranges = [mark_range(c, p.hidden.get(i)) for i, c in enumerate(counts)]
    ranges.append(rest_range(extra))
    total_range = set(mark_range(total, p.total_hidden))
    found = candidates_in_table(ranges, total_range)
    for i in p.hidden:
        assert len(found[i]) >= 2, (f"{counts} total {total}: cell {i} can only be "
                                    f"{found[i]} (hidden {p.hidden}, total {p.total_hidden})")
        assert counts[i] in found[i]
    if p.total_hidden:
        reachable = {t for t in total_range if t - 0 in sums(ranges)}
        assert len(reachable) >= 2, f"{counts}: the hidden total can only be {reachable}"


def composition(draw, total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` non-negative cells."""
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    edges = [0, *cuts, total]
    return [b - a for a, b in zip(edges, edges[1:])]


@st.composite
def families(draw):
    """A city total with its by-neighbourhood table (neighbourhood 0's total is cell 0), one more
    city breakdown, and neighbourhood 0's own breakdown; each may leave people not recorded."""
    hoods = draw(st.lists(st.integers(0, 30), min_size=2, max_size=4))
    city_rest = draw(st.sampled_from([0, 0, 0, 4, 15]))
    total = sum(hoods) + city_rest
    ages = composition(draw, total - draw(st.sampled_from([0, 0, 3])) if total >= 3 else total,
                       draw(st.integers(2, 4)))
    own_total = hoods[0] - draw(st.sampled_from([0, 0, 2]) if hoods[0] >= 2 else st.just(0))
    own = composition(draw, own_total, draw(st.integers(2, 3)))
    return hoods, total, ages, own


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(family=families())
def test_linked_tables_hide_consistently(family):
    """A neighbourhood's total is a cell of the city's table and the total of its own breakdown:
    neither table, nor both together, may pin any hidden number."""
    hoods, total, ages, own = family
    values = {"T": total, **{("hood", i): v for i, v in enumerate(hoods)},
              **{("age", i): v for i, v in enumerate(ages)},
              **{("own", i): v for i, v in enumerate(own)}}
    hood_keys = [("hood", i) for i in range(len(hoods))]
    age_keys = [("age", i) for i in range(len(ages))]
    own_keys = [("own", i) for i in range(len(own))]
    hidden = protect_linked(values, [("T", hood_keys), ("T", age_keys), (("hood", 0), own_keys)])
    check_marks(list(values.values()), {i: hidden[k] for i, k in enumerate(values) if k in hidden})
    rng = {k: mark_range(v, hidden.get(k)) for k, v in values.items()}
    rest = {"hood": rest_range(total - sum(hoods)), "age": rest_range(total - sum(ages)),
            "own": rest_range(hoods[0] - sum(own))}

    def table_sums(keys, skip, extra):
        return sums([rng[k] for k in keys if k not in skip] + [extra])

    # every (city total, neighbourhood 0 total) pair all three tables agree with
    hood_others = table_sums(hood_keys, {("hood", 0)}, rest["hood"])
    age_all = table_sums(age_keys, set(), rest["age"])
    own_all = table_sums(own_keys, set(), rest["own"])
    pairs = {(t, n) for t in rng["T"] for n in rng[("hood", 0)]
             if t - n in hood_others and t in age_all and n in own_all}
    assert (total, hoods[0]) in pairs
    found = {"T": {t for t, _ in pairs}, ("hood", 0): {n for _, n in pairs}}
    differences = {t - n for t, n in pairs}
    for key in hood_keys[1:]:
        others = table_sums(hood_keys, {("hood", 0), key}, rest["hood"])
        found[key] = {v for v in rng[key] if any(d - v in others for d in differences)}
    for keys, tops, name in ((age_keys, found["T"], "age"), (own_keys, found[("hood", 0)], "own")):
        for key in keys:
            others = table_sums(keys, {key}, rest[name])
            found[key] = {v for v in rng[key] if any(t - v in others for t in tops)}
    for key in hidden:
        assert len(found[key]) >= 2, (f"{family}: {key} can only be {found[key]} "
                                      f"(hidden {hidden})")
