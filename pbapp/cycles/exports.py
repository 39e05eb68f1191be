"""The counted ballots for download, so anyone can recount a published result elsewhere.

Each file lists every counted ballot once, in an order shuffled from the result's CVR hash: the
order says nothing about who voted when, and the same result always gives the same file (so its
SHA-256, shown beside the link, stays true). Candidates are proposal ids; the results page gives
the titles. The ``.pb`` file also carries costs, the budget and the counting rule, so
``pbapp-tally ballots.pb`` alone repeats a budget count.
"""
from __future__ import annotations

import csv
import hashlib
import io
import random

import numpy as np
from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..tally import Election, Profile, Project
from ..tally.formats import write_election
from ..tally.money import from_minor
from ..tally.profile import PAD
from ..voting.models import Ballot
from ..voting.services import ballot_choices
from .models import Cycle, Result

FORMATS = {"csv": "text/csv", "blt": "text/plain", "pb": "text/plain"}
#: our method and completion as a pabulib META rule
PB_RULES = {("greedy", None): "greedy", ("greedy-no-skip", None): "greedy-no-skip",
            ("greedy-threshold", None): "greedy-threshold", ("equal-shares", None): "equalshares",
            ("equal-shares", "add1"): "equalshares/add1",
            ("equal-shares", "add1-then-greedy"): "equalshares/add1/greedy"}

_cache: dict[tuple[int, str, str], bytes] = {}


def shuffled_rankings(cycle: Cycle, result: Result) -> list[list[str]]:
    """Every counted ranking once, sorted (storage order hidden) then shuffled from the hash."""
    rankings = sorted([str(i) for i in r] for r in db.session.scalars(
        select(Ballot.ranking).where(Ballot.cycle_id == cycle.id)))
    random.Random(result.cvr_sha256).shuffle(rankings)
    return rankings


def export_election(cycle: Cycle, result: Result) -> Election:
    proposals = ballot_choices(cycle)
    rankings = shuffled_rankings(cycle, result)
    width = max((len(r) for r in rankings), default=1)
    ids = [str(p.id) for p in proposals]
    index = {pid: i for i, pid in enumerate(ids)}
    matrix = np.full((len(rankings), width), PAD, dtype=np.int32)
    for row, ranking in enumerate(rankings):
        matrix[row, :len(ranking)] = [index[pid] for pid in ranking]
    meta = {"description": cycle.name, "unit": cycle.slug, "max_length": str(cycle.max_ranks),
            "scoring_fn": cycle.scoring, "currency_note": "whole currency units"}
    rule = PB_RULES.get((cycle.method, cycle.completion if cycle.method == "equal-shares" else None))
    if rule:
        meta["rule"] = rule
    return Election(title=cycle.name, candidates=ids, profile=Profile(ids, matrix,
                    np.ones(len(rankings))), seats=cycle.seats,
                    budget=from_minor(cycle.budget_cents, 100),
                    projects=[Project(str(p.id), from_minor(p.cost_cents, 100), p.title)
                              for p in proposals],
                    vote_type="ordinal", meta=meta)


def ballots_csv(cycle: Cycle, result: Result) -> str:
    """One ballot a line with its channel and polling place (never its voter), shuffled from the
    CVR hash like the other files. ``pbapp-tally`` reads the rank columns and ignores the rest.

    A channel or place is written only where the ballots sharing it number 0 or at least 11
    (``paper.turnout.ballot_groups``), else "withheld": knowing where a person voted then never
    narrows their ballot to fewer than 11."""
    from ..paper.turnout import ballot_groups
    from .stats import turnout_by_channel

    groups = ballot_groups(cycle.id, turnout_by_channel(cycle.id))
    rows = sorted(([str(i) for i in ranking], *groups.get((channel, place),
                                                          ("withheld", "withheld")))
                  for ranking, channel, place in db.session.execute(
                      select(Ballot.ranking, Ballot.channel, Ballot.polling_place_id)
                      .where(Ballot.cycle_id == cycle.id)))
    random.Random(result.cvr_sha256).shuffle(rows)
    width = max((len(r[0]) for r in rows), default=1)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Ballot", "Channel", "Polling place"]
                    + [f"Rank {i}" for i in range(1, width + 1)])
    for number, (ranking, channel, place) in enumerate(rows, 1):
        writer.writerow([number, channel, place] + ranking + [""] * (width - len(ranking)))
    return out.getvalue()


def cvr_file(cycle: Cycle, result: Result, fmt: str) -> bytes:
    """The download in ``fmt`` (csv, blt or pb); built once per result and format."""
    key = (result.id, result.cvr_sha256, fmt)
    if key not in _cache:
        if fmt == "csv":
            _cache[key] = ballots_csv(cycle, result).encode("utf-8")
        else:
            out = io.StringIO()
            write_election(export_election(cycle, result), out, fmt)
            _cache[key] = out.getvalue().encode("utf-8")
    return _cache[key]


def file_hashes(cycle: Cycle, result: Result) -> dict[str, str | None]:
    """Each download's SHA-256, or None for one that cannot be built: the results page shows
    "not available" beside it and stays up (the download itself fails on its own), and the
    error goes to the log for someone to fix."""
    hashes = {}
    for fmt in FORMATS:
        try:
            hashes[fmt] = hashlib.sha256(cvr_file(cycle, result, fmt)).hexdigest()
        except Exception:  # any failure in any writer; the page must not go down with it
            current_app.logger.exception("cannot build the %s ballots file of %s", fmt,
                                         cycle.slug)
            hashes[fmt] = None
    return hashes
