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
    #: per channel, (voters matched to the voter roll, voters who were not)
    roll: dict[str, tuple[int, int]]

    @property
    def shown(self) -> dict[str, str]:
        """What the public page prints per channel: a channel of 1 to 10 voters reads "<11",
        and a second cell is hidden ("—") when the total would give the small one away."""
        return {c: _text(cell) for c, cell in self.published()["voters"].items()}

    def published(self) -> dict:
        """Every public cell as (value, why hidden): the voters per channel, protected against
        the total, and within each channel the ballots checked against the roll and those that
        could not be, protected against the channel's count (hidden with it when it is)."""
        from ..metrics.suppression import protect_counts

        decision = protect_counts([n for _, _, n in self.rows], self.total)
        voters, checked, unchecked = {}, {}, {}
        for i, (channel, _, n) in enumerate(self.rows):
            voters[channel] = (None, decision.hidden[i]) if i in decision.hidden else (n, None)
            split = self.roll.get(channel, (0, 0))
            if voters[channel][0] is None:
                inner = {j: decision.hidden[i] for j, k in enumerate(split) if k}
            else:
                inner = protect_counts(list(split), n).hidden
            checked[channel], unchecked[channel] = (
                (None, inner[j]) if j in inner else (k, None) for j, k in enumerate(split))
        return {"voters": voters, "roll_checked": checked, "roll_unchecked": unchecked}

    @property
    def shown_roll(self) -> dict[str, tuple[str, str]]:
        cells = self.published()
        return {c: (_text(cells["roll_checked"][c]), _text(cells["roll_unchecked"][c]))
                for c, _, _ in self.rows}


def _text(cell: tuple[int | None, str | None]) -> str:
    from ..metrics.tables import HIDDEN_TEXT

    value, why = cell
    return HIDDEN_TEXT[why] if why else number(value)


def turnout_by_channel(cycle_id: int) -> Turnout:
    """Voters per channel, and whether each was matched to the voter roll, from the
    participation rows (who voted, never what), in one query."""
    counts: dict[str, list[int]] = {}
    for channel, checked, n in db.session.execute(
            select(Participation.channel, Participation.roll_checked, func.count())
            .where(Participation.cycle_id == cycle_id)
            .group_by(Participation.channel, Participation.roll_checked)):
        counts.setdefault(channel, [0, 0])[0 if checked else 1] += n
    channels = list(CHANNELS) + sorted(set(counts) - set(CHANNELS))
    rows = [(c, gettext(CHANNEL_LABELS[c]) if c in CHANNEL_LABELS else c, sum(counts.get(c, ())))
            for c in channels]
    return Turnout(rows, sum(n for _, _, n in rows),
                   {c: tuple(counts.get(c, (0, 0))) for c in channels})


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
