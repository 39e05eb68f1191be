"""What the results page shows beside the count: turnout by channel, and what each round moved."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import func, select

from ..extensions import db
from ..labels import N_
from ..voting.models import CHANNELS, Participation
from .charts import number

#: English texts, shown with ``gettext`` in the reader's language
CHANNEL_LABELS = {"online": N_("Online with an account"), "code": N_("With a voting code"),
                  "paper": N_("On paper")}
#: why a ballot stopped counting (``pbapp.tally.profile.REASONS``), in words
INACTIVE_REASONS = {"exhausted_choices": N_("no choices left"),
                    "overvote": N_("two choices at one rank"),
                    "skipped_rankings": N_("too many ranks skipped"),
                    "repeated_rankings": N_("a choice repeated")}
TIE_RULES = {"previous-round": N_("Broken by the earlier rounds, most recent first."),
             "draw": N_("Broken by the seeded draw: each tied proposal's key is the SHA-256 of "
                        "“seed|decision|proposal number”, and the smallest key is chosen. Anyone "
                        "can recompute these keys.")}


@dataclass(frozen=True)
class Turnout:
    rows: list[tuple[str, str, int]]  # (channel, label, voters), every channel, zeros included
    total: int

    @property
    def shown(self) -> dict[str, str]:
        """What the public page prints per channel: a channel of 1 to 10 voters reads "<11",
        and a second cell is hidden ("—") when the total would give the small one away."""
        from ..metrics.suppression import protect_counts
        from ..metrics.tables import HIDDEN_TEXT

        decision = protect_counts([n for _, _, n in self.rows], self.total)
        return {channel: HIDDEN_TEXT[decision.hidden[i]] if i in decision.hidden else number(n)
                for i, (channel, _, n) in enumerate(self.rows)}


def turnout_by_channel(cycle_id: int) -> Turnout:
    """Voters per channel from the participation rows (who voted, never what), in one query."""
    counts = dict(db.session.execute(
        select(Participation.channel, func.count()).where(Participation.cycle_id == cycle_id)
        .group_by(Participation.channel)).all())
    channels = list(CHANNELS) + sorted(set(counts) - set(CHANNELS))
    rows = [(c, gettext(CHANNEL_LABELS[c]) if c in CHANNEL_LABELS else c, counts.get(c, 0))
            for c in channels]
    return Turnout(rows, sum(n for _, _, n in rows))


def round_changes(data: dict) -> list[dict]:
    """Per round: each tally's transfer when the round's decision is carried out, the ballots
    that transfer exhausted, the inactive ballots so far by reason, and a tie-break's keys.

    Transfers and tallies are listed in the order of ``describe_rounds`` so they line up.
    """
    names = data.get("names", {})
    out = []
    for rnd in data.get("rounds") or []:
        transfers = rnd.get("transfers") or {}
        tallies = rnd.get("tallies") or {}
        moved = sum(transfers.get(c, 0) for c in tallies)
        inactive = {k: v for k, v in (rnd.get("exhausted") or {}).items() if v}
        tie = rnd.get("tie_break") or {}
        out.append({
            "changes": [_signed(transfers.get(c)) for c in tallies],
            "has_transfers": any(transfers.values()),
            "exhausted_now": _signed(-moved) if moved < 0 else "",
            "inactive": number(sum(inactive.values())) if inactive else "",
            "inactive_reasons": [(gettext(INACTIVE_REASONS[k]) if k in INACTIVE_REASONS
                                  else k.replace("_", " "), number(v))
                                 for k, v in inactive.items()],
            "tie_shown": bool(tie) and tie.get("rule") != "none",
            "tie_rule": gettext(TIE_RULES[tie["rule"]]) if tie.get("rule") in TIE_RULES else "",
            "tie_keys": [(names.get(c, c), c, key, c == tie.get("chosen"))
                         for c, key in sorted((tie.get("keys") or {}).items(),
                                              key=lambda item: item[1])],
        })
    return out


def _signed(value) -> str:
    if not value:
        return ""
    return ("+" if value > 0 else "−") + number(abs(value))
