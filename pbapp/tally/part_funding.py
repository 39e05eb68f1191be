"""Part-funding: the money a budget rule leaves over may go to the next proposal in part.

Councils asked for it (Scottish PB rules; CONSUL's unmerged PR #5429): a rule stops where the
next proposal costs more than what is left, and that money is then lost to the area. With
``part_fund=SHARE`` (a fraction in (0, 1]; 0.5 means half), once the rule has finished:

* the **first proposal in the rule's own order that was not funded and costs more than the money
  left** is looked at, and only it (a proposal that would fit but that the rule chose not to
  fund, as equal shares may, keeps the rule's verdict: part-funding only spends what the rule
  could not);
* if the money left is at least ``SHARE`` of its cost, it is funded with exactly what is left
  (its reason ``"part-funded"``, its ``part_funded`` amount in the result), else no one is.

"The rule's own order":
  greedy rules   descending score, ties by the tie rule: the order they fund in. For
                 ``greedy-no-skip`` that is the proposal the count stopped at; for ``greedy``
                 the first one it skipped.
  equal shares   it funds by price (rho), which only projects its voters can still afford have;
                 the projects it leaves unfunded have none. Their order is the one the rule
                 itself uses for what its shares could not buy: its greedy completion's order
                 (descending score, ties by the tie rule), after any completion has run.

Projects left out before counting (withdrawn, below a threshold, or costing more than the whole
budget) are never part-funded. Money stays exact: the comparison ``left >= SHARE * cost`` is
made in whole minor units with ``Decimal`` arithmetic, and the part amount is the money left.
The part-funded proposal counts as funded (it is in ``winners``, last), so ``spent`` never
exceeds the budget and at most one proposal is part-funded.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from . import money
from .errors import BallotError
from .result import Round

_SHARE = re.compile(r"[0-9]{1,6}(?:\.[0-9]{1,6})?%?", re.ASCII)


def share(value) -> Decimal:
    """``value`` as a share in (0, 1]: a fraction (``0.5``, ``Decimal("0.5")``) or a percent
    written with ``%`` (``"50%"``). A bare number above 1 is refused rather than guessed at."""
    if isinstance(value, bool) or value is None:
        raise BallotError(f"part_fund must be a share such as 0.5 or 50%, not {value!r}")
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip()
    if not _SHARE.fullmatch(text):
        raise BallotError(f"part_fund must be a share such as 0.5 (a fraction) or 50% (a "
                          f"percent) in digits 0-9, not {value!r}")
    try:
        number = Decimal(text.rstrip("%"))
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
        raise BallotError(f"part_fund must be a share such as 0.5 or 50%, not {value!r}")
    if text.endswith("%"):
        number /= 100
    elif number > 1:
        raise BallotError(f"part_fund {text} is more than 1: write a fraction such as 0.5, or "
                          f"a percent with its sign such as {text}%")
    if not 0 < number <= 1:
        raise BallotError(f"part_fund must be more than 0 and at most 1 (100%), not {value!r}")
    return number.normalize()


def part_fund(pb, order: list[int], funded: list[int], reasons: dict[int, str],
              rounds: list[Round], note_prefix: str = "") -> int | None:
    """Give the money left to the first unfunded project of ``order`` if it covers the share.

    ``order`` is the rule's own order over the projects that took part (see the module
    docstring). Records the decision in ``pb.part`` and a last round, appends the project to
    ``funded`` and returns its index; returns None when no one is part-funded."""
    if getattr(pb, "share", None) is None:
        return None
    taken = set(funded)
    left = pb.budget - sum(int(pb.costs[c]) for c in funded)
    first = next((c for c in order if c not in taken and int(pb.costs[c]) > left), None)
    if first is None or left <= 0:
        return None
    cost = int(pb.costs[first])
    shown = f"{pb.show(left)} of {pb.show(cost)}"
    percent = money.show(money.whole_or_decimal(pb.share * 100))
    if Decimal(left) < pb.share * cost:
        return None
    rnd = Round(len(rounds) + 1, {pb.ids[first]: float(pb.scores[first])})
    pb.part[first] = left
    funded.append(first)
    reasons.pop(first, None)
    rnd.elected = [pb.ids[first]]
    rnd.note = (f"{note_prefix}{pb.ids[first]} is the first proposal not funded and the money "
                f"left is at least {percent}% of its cost: part-funded with {shown}")
    rounds.append(rnd)
    return first
