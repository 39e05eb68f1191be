"""Editing the ranking with buttons (add, move up, move down, remove): the ballot's one way to rank.

Each button posts the whole ballot with ``op`` set; the server applies the edit and shows the
ballot again. Without JavaScript that is a page load; with htmx only the ballot area is swapped
and a live region says what changed. The ranking travels in the form, and a copy is kept in the
session until cast (``draft``), so leaving the ballot does not lose it.
"""
from __future__ import annotations

from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from ..numbers import NumberRefused, whole
from .forms import choice_label, submitted_ranks


def _position(text: str, length: int) -> int | None:
    """The 1-based place an op names as the form writes it, or None for anything else ("²",
    "0", "99", "02": the buttons never send those, so they change nothing)."""
    try:
        place = whole(text, 1, length) if length else None
    except NumberRefused:
        return None
    return place if str(place) == text else None


def chosen_ids(formdata) -> list[str]:
    """The proposal ids the form ranks, in rank order, empty ranks closed up; BallotRejected
    for rank fields no ballot of ours has (``submitted_ranks``)."""
    ranks = submitted_ranks(formdata)
    return [ranks[n].strip() for n in sorted(ranks) if ranks[n].strip()]


def apply_op(formdata, max_ranks: int, titles: dict[str, str]) -> tuple[MultiDict, str]:
    """The form data after the edit named by ``op``, and a sentence for screen readers.
    An op that names nothing on the ballot changes nothing; unreadable rank fields raise
    BallotRejected (``submitted_ranks``)."""
    order = chosen_ids(formdata)
    verb, _, arg = (formdata.get("op") or "").partition(":")
    message = ""
    if verb == "add" and arg in titles and arg not in order and len(order) < max_ranks:
        order.append(arg)
        message = gettext("%(title)s added as your %(choice)s.", title=titles[arg],
                          choice=choice_label(len(order)))
    elif verb == "add" and len(order) >= max_ranks:
        message = gettext("Your ranking is full: remove a choice first.")
    elif verb in ("up", "down", "remove") and _position(arg, len(order)):
        i = _position(arg, len(order)) - 1
        title = titles.get(order[i], order[i])
        if verb == "remove":
            order.pop(i)
            message = gettext("%(title)s removed from your ranking.", title=title)
        else:
            j = i - 1 if verb == "up" else i + 1
            if 0 <= j < len(order):
                order[i], order[j] = order[j], order[i]
                message = gettext("%(title)s is now your %(choice)s.", title=title,
                                  choice=choice_label(j + 1))
    out = MultiDict({"csrf_token": formdata.get("csrf_token", "")})
    for n in range(1, max_ranks + 1):
        out[f"rank_{n}"] = order[n - 1] if n <= len(order) else ""
    return out, message
