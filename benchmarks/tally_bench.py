"""Times pbapp.tally against pyrankvote, pref_voting and pabutools on the same synthetic ballots.

    .venv/bin/python benchmarks/tally_bench.py [--quick] [--json OUT.json]

Every figure comes from this one run on this machine: the last column is peer time divided by
ours, measured back to back. Ours is timed from an in-memory list of rankings (compression
included); peers from the same list, building their own ballot objects included, and for
pyrankvote also its count alone (its ballots built beforehand, untimed), the strictest ratio.
Peers are left out at sizes where they would take minutes.
"""
from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pbapp.tally import count  # noqa: E402

CANDIDATES = [f"C{i:02d}" for i in range(13)]


def synthetic_rankings(n: int, seed: int = 1, k: int = 13, max_len: int = 6) -> list[tuple]:
    """Skewed preferences: Plackett–Luce with Zipf-like weights, 1–6 ranks per ballot."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, k + 1) ** 0.9
    rng.shuffle(weights)
    keys = np.log(weights) + rng.gumbel(size=(n, k))
    order = np.argsort(-keys, axis=1)[:, :max_len].tolist()
    lengths = rng.integers(1, max_len + 1, n).tolist()
    names = CANDIDATES[:k]
    return [tuple(names[j] for j in row[:ln]) for row, ln in zip(order, lengths)]


def synthetic_approvals(n: int, m: int = 100, seed: int = 2):
    """n voters approving 1–10 of m projects with skewed popularity; costs 10k–200k."""
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, m + 1) ** 0.7
    rng.shuffle(popularity)
    keys = np.log(popularity) + rng.gumbel(size=(n, m))
    order = np.argsort(-keys, axis=1)[:, :10].tolist()
    sizes = rng.integers(1, 11, n).tolist()
    ids = [str(i) for i in range(m)]
    ballots = [frozenset(ids[j] for j in row[:s]) for row, s in zip(order, sizes)]
    costs = {pid: int(c) for pid, c in zip(ids, rng.integers(10, 201, m) * 1000)}
    return ballots, costs, sum(costs.values()) // 4


def timed(fn, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


# --- peers -----------------------------------------------------------------------------------

def pyrankvote_runner(rankings, seats):
    """pyrankvote from the same list: building its Ballot objects is part of its count."""
    import pyrankvote
    from pyrankvote import Ballot, Candidate

    def run():
        cands = {c: Candidate(c) for c in CANDIDATES}
        ballots = [Ballot(ranked_candidates=[cands[c] for c in r]) for r in rankings]
        if seats == 1:
            return pyrankvote.instant_runoff_voting(list(cands.values()), ballots)
        return pyrankvote.single_transferable_vote(list(cands.values()), ballots, seats)
    return run


def pyrankvote_counting_only(rankings, seats) -> float:
    """The same, timing only the count (its ballots built beforehand): the strictest ratio."""
    import pyrankvote
    from pyrankvote import Ballot, Candidate

    cands = {c: Candidate(c) for c in CANDIDATES}
    ballots = [Ballot(ranked_candidates=[cands[c] for c in r]) for r in rankings]
    if seats == 1:
        return timed(lambda: pyrankvote.instant_runoff_voting(list(cands.values()), ballots))
    return timed(lambda: pyrankvote.single_transferable_vote(list(cands.values()), ballots, seats))


def pref_voting_runner(rankings, method):
    from pref_voting.profiles_with_ties import ProfileWithTies

    def run():
        prof = ProfileWithTies([{c: i + 1 for i, c in enumerate(r)} for r in rankings],
                               candidates=CANDIDATES)
        prof.use_extended_strict_preference()
        return method(prof)
    return run


def pabutools_mes_runner(ballots, costs, budget):
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance, Project
    from pabutools.rules import method_of_equal_shares

    def run():
        projects = {pid: Project(pid, cost) for pid, cost in costs.items()}
        inst = Instance(projects.values(), budget_limit=budget)
        prof = ApprovalProfile([ApprovalBallot(projects[p] for p in b) for b in ballots])
        return method_of_equal_shares(inst, prof, sat_class=Cost_Sat)
    return run


# --- the run ---------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="10k and 100k only (a smoke run)")
    ap.add_argument("--json", help="also write the rows as JSON here")
    args = ap.parse_args()
    sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
    rows: list[dict] = []

    def add(task, n, ours, peer=None, peer_time=None, note=""):
        row = {"task": task, "ballots": n, "ours_s": round(ours, 4), "peer": peer,
               "peer_s": None if peer_time is None else round(peer_time, 4),
               "speedup": None if peer_time is None else round(peer_time / ours, 1), "note": note}
        rows.append(row)
        print(f"{task:<28} {n:>9,} ours {ours:8.3f}s  "
              + (f"{peer} {peer_time:8.3f}s  x{peer_time / ours:6.1f}" if peer_time else "")
              + (f"  {note}" if note else ""), file=sys.stderr, flush=True)

    from pref_voting.iterative_methods import instant_runoff
    from pref_voting.margin_based_methods import beat_path

    for n in sizes:
        rankings = synthetic_rankings(n)
        ours = timed(lambda: count(rankings, method="irv"), 3)
        add("IRV", n, ours, "pyrankvote", timed(pyrankvote_runner(rankings, 1)))
        add("IRV", n, ours, "pyrankvote (count only)", pyrankvote_counting_only(rankings, 1))
        if n <= 100_000:
            add("IRV", n, ours, "pref_voting", timed(pref_voting_runner(rankings, instant_runoff)))
        ours = timed(lambda: count(rankings, method="stv", seats=3), 3)
        add("STV 3 seats (Scottish)", n, ours, "pyrankvote", timed(pyrankvote_runner(rankings, 3)))
        add("STV 3 seats (Scottish)", n, ours, "pyrankvote (count only)",
            pyrankvote_counting_only(rankings, 3))
        ours = timed(lambda: count(rankings, method="schulze"), 3)
        peer = timed(pref_voting_runner(rankings, beat_path)) if n <= 100_000 else None
        add("Schulze", n, ours, "pref_voting" if peer else None, peer)
        add("Ranked pairs", n, timed(lambda: count(rankings, method="ranked_pairs"), 3))
        add("Borda", n, timed(lambda: count(rankings, method="borda"), 3))
        if n == sizes[-1]:
            tracemalloc.start()
            count(rankings, method="irv")
            count(rankings, method="stv", seats=3)
            count(rankings, method="schulze")
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            add("peak memory IRV+STV+Schulze", n, 0.0, note=f"{peak:.0f} MiB above the input")
            file_rows(rankings, add)
        del rankings

    for n in [s for s in sizes if s <= 100_000]:
        ballots, costs, budget = synthetic_approvals(n)
        opts = dict(method="equal-shares", budget=budget, costs=costs, vote_type="approval")
        ours = timed(lambda: count(ballots, **opts), 3)
        peer = timed(pabutools_mes_runner(ballots, costs, budget)) if n <= 10_000 else None
        add("Equal shares x100 projects", n, ours, "pabutools" if peer else None, peer)
        add("Equal shares + add1", n, timed(lambda: count(ballots, completion="add1", **opts)))
        add("Greedy x100 projects", n, timed(lambda: count(
            ballots, method="greedy", budget=budget, costs=costs, vote_type="approval"), 3))

    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    print(markdown(rows))


def file_rows(rankings, add) -> None:
    """Reading a 1M-ballot BLT and CSV, against the csv module merely splitting the rows."""
    import csv

    from pbapp.tally.formats.blt import read_blt
    from pbapp.tally.formats.csvcvr import read_csv

    n = len(rankings)
    number = {c: str(i + 1) for i, c in enumerate(CANDIDATES)}
    with tempfile.TemporaryDirectory() as tmp:
        blt, csv_path = Path(tmp, "big.blt"), Path(tmp, "big.csv")
        with open(blt, "w") as fh:  # one line per ballot, as counting centres export them
            fh.write(f"{len(CANDIDATES)} 3\n")
            fh.writelines("1 " + " ".join(number[c] for c in r) + " 0\n" for r in rankings)
            fh.write("0\n" + "".join(f'"{c}"\n' for c in CANDIDATES) + '"Benchmark"\n')
        with open(csv_path, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["ballot_id"] + [f"Rank {i}" for i in range(1, 7)])
            w.writerows([i] + list(r) + [""] * (6 - len(r)) for i, r in enumerate(rankings))

        def naive():
            with open(csv_path, newline="") as fh:
                return list(csv.reader(fh))
        peer = timed(naive)
        add("read BLT file", n, timed(lambda: read_blt(blt)), "csv.reader (split only)", peer)
        add("read CSV file", n, timed(lambda: read_csv(csv_path)), "csv.reader (split only)", peer)


def markdown(rows: list[dict]) -> str:
    out = ["| task | ballots | pbapp (s) | peer | peer (s) | peer ÷ pbapp |",
           "|---|---:|---:|---|---:|---:|"]
    for r in rows:
        out.append(f"| {r['task']} | {r['ballots']:,} | {r['ours_s'] or ''} | {r['peer'] or ''} | "
                   f"{r['peer_s'] or ''} | {('%.1f×' % r['speedup']) if r['speedup'] else r['note']} |")
    return "\n".join(out)


if __name__ == "__main__":
    main()
