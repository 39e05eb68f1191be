"""What a marked ballot means under the rules of certified US tabulators (RCTab semantics).

Voters skip ranks, mark two candidates at one rank (an overvote) or rank a candidate twice. The
law of each jurisdiction says what happens then, and RCTab implements each variant; we do the same.
Almost every rule fires at a fixed place on the ballot (the count stops there whenever it gets
there), so ``apply_rules`` writes it into the ranking once, as an ``EXHAUST_*`` marker, and the
count itself only walks rows. The one exception is ``overvote="exhaust_if_multiple"``, which
depends on who is still in the count: those ranks stay ``OVERVOTE`` for the count to decide.

Rules, checked in RCTab's order at each rank the count reaches:
1. ``max_skipped``: more consecutive blank ranks than allowed before this mark exhausts the
   ballot ("skipped_rankings"). Blank ranks at the end of a ballot never do.
2. ``duplicate="exhaust"``: a candidate already marked higher exhausts it ("repeated_rankings");
   with ``"skip"`` the repeat is passed over like any candidate no longer in the count.
3. ``overvote``: ``"exhaust"`` stops the ballot ("overvote"), ``"skip"`` goes on to the next rank
   (the overvoted rank still counts as marked for rule 1), ``"exhaust_if_multiple"`` stops it only
   if two or more of the overvoted candidates are still continuing, counts it for the one if one
   is, and goes on if none is.
``max_rankings`` reads only the first N ranks, as if the ballot had no more.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .errors import BallotError
from .options import positive_int
from .profile import (EXHAUST_DUPLICATE, EXHAUST_OVERVOTE, EXHAUST_SKIPPED, OVERVOTE, PAD, SKIP,
                      Profile)

OVERVOTE_RULES = ("exhaust", "skip", "exhaust_if_multiple")
DUPLICATE_RULES = ("skip", "exhaust")


@dataclass(frozen=True)
class BallotRules:
    """Validated ballot rules; ``check_rules`` builds one from user options."""

    overvote: str = "exhaust"
    max_skipped: int | None = None
    duplicate: str = "skip"
    max_rankings: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def _choice(name: str, value, allowed: tuple[str, ...]) -> str:
    text = str(value).strip().lower().replace("-", "_")
    if text not in allowed:
        raise BallotError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return text


def check_rules(overvote="exhaust", max_skipped=None, duplicate="skip",
                max_rankings=None) -> BallotRules:
    """Validate the rule options; ``"unlimited"`` and ``"max"`` are read as no limit."""
    if max_skipped is not None and str(max_skipped).lower() != "unlimited":
        max_skipped = positive_int("max_skipped", max_skipped, minimum=0)
    else:
        max_skipped = None
    if max_rankings is not None and str(max_rankings).lower() != "max":
        max_rankings = positive_int("max_rankings", max_rankings)
    else:
        max_rankings = None
    return BallotRules(_choice("overvote", overvote, OVERVOTE_RULES), max_skipped,
                       _choice("duplicate", duplicate, DUPLICATE_RULES), max_rankings)


def rows_any(mask: np.ndarray) -> np.ndarray:
    """``mask.any(axis=1)``, column by column: several times faster for narrow rankings."""
    out = np.zeros(mask.shape[0], dtype=bool)
    for col in range(mask.shape[1]):
        out |= mask[:, col]
    return out


def has_marks(profile: Profile, max_rankings: int | None = None) -> np.ndarray:
    """Per row: does the ballot mark anything in the ranks read? Rows without are undervotes,
    which RCTab reports apart from inactive ballots."""
    r = profile.rankings[:, :max_rankings] if max_rankings else profile.rankings
    return rows_any((r >= 0) | (r <= OVERVOTE))


def _needs_work(r: np.ndarray) -> np.ndarray:
    """Rows that are not already plain: skips, overvotes, markers, gaps or repeats."""
    dirty = np.zeros(len(r), dtype=bool)
    if r.size == 0:
        return dirty
    special = r < PAD
    if special.any():
        dirty |= rows_any(special)
    filled = r != PAD
    gaps = filled[:, 1:] & ~filled[:, :-1]
    if gaps.any():
        dirty |= rows_any(gaps)
    width = r.shape[1]
    if width <= 8:  # pairwise column checks beat sorting each row
        for i in range(width - 1):
            for j in range(i + 1, width):
                same = (r[:, i] == r[:, j]) & (r[:, j] >= 0)
                if same.any():
                    dirty |= same
    else:
        srt = np.sort(r, axis=1)
        dirty |= rows_any((srt[:, 1:] == srt[:, :-1]) & (srt[:, 1:] >= 0))
    return dirty


def _rewrite(row: list[int], sets: dict[int, frozenset[int]], rules: BallotRules
             ) -> tuple[list[int], dict[int, frozenset[int]]]:
    """One ranking under the rules: candidates, kept overvotes and at most one final marker."""
    out: list[int] = []
    kept: dict[int, frozenset[int]] = {}
    seen: set[int] = set()
    passed_live: set[int] = set()  # marked in an overvote the count skipped while still in it
    gap = 0
    for col, code in enumerate(row):
        if code == PAD:
            break
        if code == SKIP:
            gap += 1
            continue
        if code < OVERVOTE:  # a marker written by an earlier pass
            out.append(code)
            break
        if rules.max_skipped is not None and gap > rules.max_skipped:
            out.append(EXHAUST_SKIPPED)
            break
        gap = 0
        marks = sets[col] if code == OVERVOTE else frozenset((code,))
        repeated = marks & seen
        if repeated and rules.duplicate == "exhaust":
            out.append(EXHAUST_DUPLICATE)
            break
        seen |= marks
        if code != OVERVOTE:
            if code in repeated and code not in passed_live:
                continue  # the count only gets here once this candidate is out
            out.append(code)
            passed_live.discard(code)
        elif rules.overvote == "exhaust":
            out.append(EXHAUST_OVERVOTE)
            break
        elif rules.overvote == "skip":
            passed_live |= marks
        else:
            kept[len(out)] = marks
            out.append(OVERVOTE)
    return out, kept


def apply_rules(profile: Profile, *, overvote="exhaust", max_skipped=None, duplicate="skip",
                max_rankings=None) -> Profile:
    """The profile with the ballot rules written in (see the module docstring).

    Rows keep their order and counts, one output row per input row, so ``has_marks`` of the
    input still tells which rows are undervotes. Plain rows are copied as they are; only rows with
    skips, overvotes or repeats are rewritten one by one.
    """
    rules = check_rules(overvote, max_skipped, duplicate, max_rankings)
    r = profile.rankings
    if rules.max_rankings is not None and rules.max_rankings < r.shape[1]:
        r = r[:, :rules.max_rankings]
    out = np.array(r, dtype=np.int32, copy=True)
    overvotes: dict[tuple[int, int], frozenset[int]] = {}
    by_row: dict[int, dict[int, frozenset[int]]] = {}
    for (row, col), marks in profile.overvotes.items():
        by_row.setdefault(row, {})[col] = marks
    for i in np.flatnonzero(_needs_work(r)).tolist():
        new, kept = _rewrite(r[i].tolist(), by_row.get(i, {}), rules)
        out[i, :len(new)] = new
        out[i, len(new):] = PAD
        overvotes.update({(i, col): marks for col, marks in kept.items()})
    if out.shape[1] > 1:
        used = (out != PAD).any(axis=0)
        width = int(np.flatnonzero(used)[-1]) + 1 if used.any() else 1
        out = out[:, :width]
    return Profile(list(profile.candidates), out, profile.counts.copy(), overvotes)
