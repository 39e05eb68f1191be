"""Each counting round said in plain sentences, in the reader's language.

The counting package writes a note per round for programs and auditors, in English and with raw
numbers ("rho 13.0863"). The public pages say instead what happened and why, from the round's own
data (who was decided, the tallies, the costs and the budget), with every number written as the
reader's language writes it. Only the supporter count of an equal-shares round is read from the
note, because the result holds it nowhere else; without it the sentence does without it.
"""
from __future__ import annotations

import re

from flask_babel import gettext, ngettext

from .charts import number

GREEDY = ("greedy", "greedy-no-skip", "greedy-threshold")
VOTES = ("irv", "stv")
_SUPPORTERS = re.compile(r"\bits ([\d,.]+) supporters\b")


def round_sentences(data: dict) -> list[list[str]]:
    """For each round of ``data`` (a stored result), its sentences: one per decision."""
    names = data.get("names", {})
    method = data.get("method")
    projects = {p["id"]: p for p in data.get("projects") or []}
    left = data.get("budget")
    out = []
    for rnd in data.get("rounds") or []:
        said = []
        tallies = rnd.get("tallies") or {}
        elected, eliminated = rnd.get("elected") or [], rnd.get("eliminated") or []
        name = lambda c: names.get(c, c)  # noqa: E731
        if projects:
            for c in elected:
                cost = projects.get(c, {}).get("cost") or 0
                reason = projects.get(c, {}).get("reason")
                if method == "equal-shares" and reason != "completion":
                    said.append(_equal_shares(name(c), cost, tallies.get(c), rnd.get("note"),
                                              data.get("options") or {}))
                else:
                    after = None if left is None else left - cost
                    said.append(gettext(
                        "%(name)s was funded: it had the highest score left (%(score)s) and its "
                        "cost of %(cost)s fitted in the %(left)s left, leaving %(after)s.",
                        name=name(c), score=number(tallies.get(c)), cost=number(cost),
                        left=number(left), after=number(after)))
                if left is not None:
                    left -= cost
            for c in eliminated:
                cost = projects.get(c, {}).get("cost") or 0
                if method == "greedy-no-skip":
                    said.append(gettext(
                        "%(name)s costs %(cost)s, more than the %(left)s left, so the count "
                        "stopped here.", name=name(c), cost=number(cost), left=number(left)))
                else:
                    said.append(gettext(
                        "%(name)s was passed over: it costs %(cost)s, more than the %(left)s "
                        "left.", name=name(c), cost=number(cost), left=number(left)))
        else:
            said += _ranked(method, rnd, name)
        if not said:
            said.append(gettext("No proposal was decided in this round."))
        out.append(said)
    return out


def _equal_shares(name: str, cost, price, note: str | None, options: dict) -> str:
    """Method of Equal Shares: every voter holds an equal share of the budget; a proposal is
    funded when the residents who backed it can pay for it from their shares, the one asking
    the least of them first."""
    found = _SUPPORTERS.search(note or "")
    supporters = found and found.group(1).replace(",", "")
    if supporters and supporters.isdigit():
        return gettext("%(name)s was funded: its %(supporters)s supporters could pay its "
                       "%(cost)s from their equal shares of the budget.", name=name,
                       supporters=number(int(supporters)), cost=number(cost))
    if options.get("utility") == "points" and price is not None:
        return gettext("%(name)s was funded: the residents who ranked it could pay its %(cost)s "
                       "from their equal shares of the budget, %(price)s for each point they "
                       "gave it, less than any other proposal still affordable would ask.",
                       name=name, cost=number(cost), price=number(price))
    return gettext("%(name)s was funded: its supporters could pay its %(cost)s from their equal "
                   "shares of the budget.", name=name, cost=number(cost))


def _ranked(method: str | None, rnd: dict, name) -> list[str]:
    tallies = rnd.get("tallies") or {}
    threshold = rnd.get("threshold")
    elected, eliminated = rnd.get("elected") or [], rnd.get("eliminated") or []
    said = []
    for c in elected:
        value = tallies.get(c)
        if method not in VOTES:
            said.append(gettext("%(name)s was elected, with the highest tally left (%(value)s).",
                                name=name(c), value=number(value)))
        elif threshold is not None and value is not None and value >= threshold:
            said.append(gettext("%(name)s was elected with %(votes)s votes, reaching the "
                                "%(threshold)s needed.", name=name(c), votes=number(value),
                                threshold=number(threshold)))
        else:
            said.append(gettext("%(name)s was elected with %(votes)s votes.", name=name(c),
                                votes=number(value)))
    if eliminated and method in VOTES:
        if len(eliminated) == 1:
            said.append(gettext(
                "%(name)s had the fewest votes (%(votes)s) and was eliminated; its ballots go "
                "to their next choice still in the count.", name=name(eliminated[0]),
                votes=number(tallies.get(eliminated[0]))))
        else:
            said.append(ngettext(
                "%(names)s had the fewest votes and was eliminated.",
                "%(names)s had the fewest votes and were eliminated together; their ballots go "
                "to their next choice still in the count.", len(eliminated),
                names=", ".join(name(c) for c in eliminated)))
    elif eliminated:
        said += [gettext("%(name)s was eliminated, with the lowest tally left (%(value)s).",
                         name=name(c), value=number(tallies.get(c))) for c in eliminated]
    return said
