"""Ballots per polling place, protected together with turnout by channel.

The results page and the cycle report publish voters per channel (``cycles.stats.Turnout``) and,
here, the paper ballots per polling place, whose sum is the paper channel. Both are one family:
the places are protected with ``metrics.suppression.protect_linked`` over the total, every
channel and every place at once, keeping what the channel table already hides, so a place of
1 to 10 ballots reads "<11" and no difference of published numbers gives it (or a hidden channel)
back. Should the family need a channel hidden that the channel table shows, every place is
hidden instead.

The same decision coarsens the ballots file (``ballot_groups``): a ballot's polling place, and its
channel, are written only where the group of ballots sharing them has at least 11; otherwise
"withheld", so knowing where someone voted never narrows their ballot to fewer than 11.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import func, select

from ..cycles.stats import Turnout, _text
from ..extensions import db
from ..metrics.suppression import COMPLEMENTARY, THRESHOLD, narrowed, protect_linked
from ..voting.models import Ballot
from .models import PollingPlace

NOT_RECORDED = "not-recorded"
WITHHELD = "withheld"


@dataclass(frozen=True)
class PlaceRow:
    key: str  # the place's id, or NOT_RECORDED
    label: str
    ballots: int
    hidden: str | None  # why the count is not published (SMALL or COMPLEMENTARY), or None

    @property
    def display(self) -> str:
        return _text((None if self.hidden else self.ballots, self.hidden))


@dataclass(frozen=True)
class PlaceTurnout:
    rows: list[PlaceRow]
    paper: tuple[int | None, str | None]  # the paper channel's cell, as the channel table shows
    total: int  # every voter
    #: too few ballots to publish any per-place number: the page names the places only
    withheld: bool = False

    @property
    def paper_display(self) -> str:
        return _text(self.paper)

    def share(self, row: PlaceRow) -> str:
        """The place's share of all voters, one decimal; hidden with its count."""
        if row.hidden or not self.total:
            return row.display if row.hidden else "0"
        from flask_babel import format_decimal
        return format_decimal(round(100 * row.ballots / self.total, 1), format="#,##0.0") + "%"


def _counts(cycle_id: int) -> dict[int | None, int]:
    return dict(db.session.execute(
        select(Ballot.polling_place_id, func.count()).where(
            Ballot.cycle_id == cycle_id, Ballot.channel == "paper")
        .group_by(Ballot.polling_place_id)).all())


def place_turnout(cycle_id: int, turnout: Turnout) -> PlaceTurnout | None:
    """None when the cycle lists no polling place and no paper ballot names one."""
    counts = _counts(cycle_id)
    places = list(db.session.scalars(PollingPlace.for_cycle(cycle_id)))
    if not places and not any(k is not None for k in counts):
        return None
    published = turnout.published()["voters"]
    groups = [(str(p.id), p.name, counts.get(p.id, 0)) for p in places]
    groups.append((NOT_RECORDED, gettext("Not recorded"), counts.get(None, 0)))
    hidden = protect_places(turnout.total, {c: n for c, _, n in turnout.rows},
                            {c: why for c, (_, why) in published.items() if why},
                            {k: n for k, _, n in groups})
    withheld = hidden is None
    rows = [PlaceRow(k, label, n, COMPLEMENTARY if withheld else hidden.get(k))
            for k, label, n in groups]
    return PlaceTurnout(rows, published.get("paper", (0, None)), turnout.total, withheld)


def protect_places(total: int, channels: dict[str, int], channels_hidden: dict[str, str],
                   places: dict[str, int]) -> dict[str, str] | None:
    """Which places to hide, and why, given the channel table's own decision (pure); None when
    no per-place table can be published without giving away a number the channel table
    hides (then the page says so and shows no per-place numbers)."""
    values = {"total": total, **{("channel", c): n for c, n in channels.items()},
              **{("place", k): n for k, n in places.items()}}
    given = {("channel", c): why for c, why in channels_hidden.items()}
    sums = [("total", [("channel", c) for c in channels]),
            (("channel", "paper"), [("place", k) for k in places])]
    hidden = protect_linked(values, sums, given)
    if any(k not in given and k[0] != "place" for k in hidden):
        return None  # it would hide more of the channel table than that table hides
    # a hidden cell is known to hold at least 1: places could still pin a hidden channel
    alone = narrowed(values, sums[:1], given)
    ranges = narrowed(values, sums, hidden)
    for key in hidden:
        if ranges[key][0] >= ranges[key][1] and not (
                key in alone and alone[key][0] >= alone[key][1]):
            return None
    return {k[1]: why for k, why in hidden.items() if k[0] == "place"}


def ballot_groups(cycle_id: int, turnout: Turnout) -> dict[tuple[str, int | None], tuple[str, str]]:
    """(channel, polling place id) -> (channel, polling place) as the ballots file writes them.

    Channels the channel table hides, and places the place table hides, are "withheld"; then,
    while a withheld group of one channel (or of channels) holds 1 to 10 ballots, the smallest
    shown one joins it. A place's name is written only for paper ballots."""
    by_channel = dict(db.session.execute(
        select(Ballot.channel, func.count()).where(Ballot.cycle_id == cycle_id)
        .group_by(Ballot.channel)).all())
    published = turnout.published()["voters"]
    shown_channels = _coarsen({c: n for c, n in by_channel.items()},
                              {c for c in by_channel if published.get(c, (0, "x"))[1]})
    out: dict[tuple[str, int | None], tuple[str, str]] = {}
    places = place_turnout(cycle_id, turnout)
    counts = _counts(cycle_id)
    names = {p.id: p.name for p in db.session.scalars(PollingPlace.for_cycle(cycle_id))}
    place_hidden = {int(r.key) if r.key != NOT_RECORDED else None
                    for r in (places.rows if places else []) if r.hidden}
    shown_places = _coarsen(counts, place_hidden)
    for channel in by_channel:
        if channel not in shown_channels:
            for place in (counts if channel == "paper" else [None]):
                out[(channel, place)] = (WITHHELD, WITHHELD)
            continue
        if channel != "paper":
            out[(channel, None)] = (channel, "")
            continue
        for place in counts:
            label = (names.get(place, "") if place is not None else "not recorded")
            out[(channel, place)] = (channel, label if place in shown_places else WITHHELD)
    return out


def _coarsen(counts: dict, withheld: set) -> set:
    """The keys left shown once every withheld group holds 0 or at least 11 ballots."""
    withheld = {k for k in withheld if counts.get(k)} | {
        k for k, n in counts.items() if 0 < n < THRESHOLD}
    shown = {k for k, n in counts.items() if n and k not in withheld}
    while 0 < sum(counts[k] for k in withheld) < THRESHOLD and shown:
        smallest = min(shown, key=lambda k: (counts[k], str(k)))
        shown.discard(smallest)
        withheld.add(smallest)
    return shown
