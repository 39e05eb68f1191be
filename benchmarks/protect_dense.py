"""Times the protection on a dense system of small counts, against its own first look.

    .venv/bin/python benchmarks/protect_dense.py [--seed 5] [--repeat 3]

Two neighbourhoods, six months, two quarters and the half-year, two groups each, with about
one count in four from 1 to 10: 81 linked counts and over 100 sums, far denser than the demo.
Times ``protection.protect`` (relations, interval first look, audit by linear programming)
against the peer measured in the same run, ``find_relations`` plus one interval pass over the
primary cells (no solver), and prints how much was hidden.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pbapp.metrics import protection  # noqa: E402


def dense_counts(seed: int) -> dict[tuple, int]:
    rng = random.Random(seed)
    months = [(date(2026, m, 1), date(2026, m + 1, 1) - timedelta(days=1)) for m in range(1, 7)]
    periods = months + [(date(2026, 1, 1), date(2026, 3, 31)),
                        (date(2026, 4, 1), date(2026, 6, 30)),
                        (date(2026, 1, 1), date(2026, 6, 30))]
    hoods, groups = ["north", "south"], ["a", "b"]
    leaf = {(h, m, g): rng.choice([rng.randint(0, 10), rng.randint(0, 30)])
            for h in hoods for m in months for g in groups}

    def total(in_hoods, period, in_groups):
        return sum(v for (h, m, g), v in leaf.items() if h in in_hoods and g in in_groups
                   and period[0] <= m[0] and m[1] <= period[1])

    values = {}
    for p in periods:
        for scope, ref, in_hoods in [("city", "", hoods)] + [("neighbourhood", h, [h])
                                                            for h in hoods]:
            values[(scope, ref, *p, "", "")] = total(in_hoods, p, groups)
            for g in groups:
                values[(scope, ref, *p, "gender", g)] = total(in_hoods, p, [g])
    return values


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    values = dense_counts(args.seed)
    ours, peer = [], []
    for _ in range(args.repeat):
        began = time.perf_counter()
        relations = protection.find_relations(values)
        small = {k: protection.SMALL for k, v in values.items() if protection.is_small(v)}
        protection.propagated(values, relations, small)
        peer.append(time.perf_counter() - began)
        began = time.perf_counter()
        outcome = protection.protect(values, protection.find_relations(values),
                                     protection.cell_cost(values))
        ours.append(time.perf_counter() - began)
    mine, theirs = statistics.median(ours), statistics.median(peer)
    small = sum(1 for v in values.values() if protection.is_small(v))
    print(f"{len(values)} counts ({small} from 1 to 10), {len(relations)} sums; "
          f"audit {'passed' if outcome.passed else 'FAILED'}, {len(outcome.hidden)} hidden")
    print(f"protect: {mine:.3f} s; relations and one interval pass: {theirs:.3f} s; "
          f"ratio {mine / theirs:.0f}x (median of {args.repeat})")
    return 0 if outcome.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
