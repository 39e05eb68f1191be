"""Each proposal's votes once its cycle's result is published (issue 19, Decidim #14856).

Read from the newest published count only: before publication nothing is returned, so no page
can show a number early. First preferences are counted from the ballots (ballots name no voter,
and the shuffled ballots file already lets anyone count them); the final-round value and the
round that decided the proposal come from the stored rounds, as the results page shows them.
Pages sort by these with a ``sort`` GET parameter (``SORTS``); an unknown value is refused.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask import abort, make_response, render_template
from flask_babel import gettext
from sqlalchemy import select

from .. import tally
from ..extensions import db
from ..labels import N_
from .models import Result

#: ``?sort=`` values the proposal list and the cycle page accept, with their names for people
SORTS = {"first-preferences": N_("Most first preferences"),
         "final-round": N_("Furthest in the count, then its value there"),
         "outcome": N_("Funded first, by round")}

_cache: dict[tuple, dict] = {}


@dataclass(frozen=True)
class Votes:
    first_preferences: int
    final_value: float | None  # its tally in the last round it took part in
    final_round: int | None
    outcome: str  # "funded", "elected", "eliminated" or "not chosen"
    decided_round: int | None  # the round that funded, elected or eliminated it
    reason: str  # the count's reason (PB methods), "" otherwise

    def as_json(self) -> dict:
        return {"first_preferences": self.first_preferences, "final_round_value": self.final_value,
                "final_round": self.final_round, "outcome": self.outcome,
                "decided_in_round": self.decided_round}


def sort_choice(raw: str | None) -> str | None:
    """The ``sort`` parameter, or None; anything else is a 400 that says what is accepted."""
    if raw in (None, ""):
        return None
    if raw not in SORTS:
        reason = gettext("Unknown sort order. Use one of: %(choices)s.",
                         choices=", ".join(SORTS))
        abort(make_response(render_template("errors/error.html", code=400, title="Bad request",
                                            reason=reason), 400))
    return raw


def published_result(cycle_id: int) -> Result | None:
    return db.session.scalar(select(Result).where(
        Result.cycle_id == cycle_id, Result.published_at.is_not(None))
        .order_by(Result.published_at.desc()).limit(1))


def cycle_votes(cycle_id: int) -> dict[int, Votes]:
    """Proposal id -> its votes in the cycle's published count; {} before publication."""
    result = published_result(cycle_id)
    if result is None:
        return {}
    key = (result.id, result.cvr_sha256, str(result.published_at))
    if key not in _cache:
        _cache[key] = _votes(result)
    return _cache[key]


def votes_for(proposals) -> dict[int, Votes]:
    out: dict[int, Votes] = {}
    for cycle_id in {p.cycle_id for p in proposals}:
        out.update(cycle_votes(cycle_id))
    return {p.id: out[p.id] for p in proposals if p.id in out}


def _votes(result: Result) -> dict[int, Votes]:
    from ..voting.models import Ballot

    data = result.data or {}
    firsts = Counter(str(r[0]) for r in db.session.scalars(
        select(Ballot.ranking).where(Ballot.cycle_id == result.cycle_id)) if r)
    word = "funded" if data.get("method") in tally.PB_METHODS else "elected"
    last: dict[str, tuple[float, int]] = {}
    decided: dict[str, tuple[str, int]] = {}
    for i, rnd in enumerate(data.get("rounds") or []):
        number = rnd.get("round", i + 1)
        for c, value in (rnd.get("tallies") or {}).items():
            last[str(c)] = (value, number)
        for outcome, chosen in ((word, rnd.get("elected") or []),
                                ("eliminated", rnd.get("eliminated") or [])):
            for c in chosen:
                decided.setdefault(str(c), (outcome, number))
    winners = {str(w) for w in data.get("winners") or []}
    reasons = {str(p.get("id")): p.get("reason") or "" for p in data.get("projects") or []}
    out = {}
    for c in data.get("candidates") or list(data.get("names") or {}):
        c = str(c)
        if not c.isdigit():
            continue
        outcome, round_ = decided.get(c, (word if c in winners else "not chosen", None))
        value, final = last.get(c, (None, None))
        out[int(c)] = Votes(firsts.get(c, 0), value, final, outcome, round_, reasons.get(c, ""))
    return out


def sort_proposals(proposals: list, votes: dict[int, Votes], sort: str | None) -> list:
    """Stable: proposals without votes (not on a published ballot) keep their order, last."""
    if not sort:
        return proposals
    with_votes = [p for p in proposals if p.id in votes]
    rest = [p for p in proposals if p.id not in votes]
    if sort == "first-preferences":
        key = lambda p: -votes[p.id].first_preferences  # noqa: E731
    elif sort == "final-round":
        key = lambda p: (votes[p.id].final_value is None,  # noqa: E731
                         -(votes[p.id].final_round or 0), -(votes[p.id].final_value or 0))
    else:
        order = {"funded": 0, "elected": 0, "not chosen": 1, "eliminated": 2}
        key = lambda p: (order.get(votes[p.id].outcome, 3),  # noqa: E731
                         votes[p.id].decided_round or 0 if votes[p.id].outcome != "eliminated"
                         else -(votes[p.id].decided_round or 0))
    return sorted(with_votes, key=key) + rest
