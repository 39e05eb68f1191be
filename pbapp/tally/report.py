"""A plain-text, round-by-round account of a result, for the terminal and for printing."""
from __future__ import annotations

from decimal import Decimal

from .result import Result, Round


def _fmt(x) -> str:
    if x is None:
        return ""
    if isinstance(x, Decimal):  # money, exactly as published
        return f"{x:,f}"
    x = float(x)
    return f"{x:,.0f}" if x.is_integer() else f"{x:,.5f}".rstrip("0").rstrip(".")


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    line = lambda cells: "  ".join(  # noqa: E731
        str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def _rounds_table(result: Result) -> str:
    rounds = result.rounds
    names = list(result.candidates)
    header = ["Candidate"] + [f"Round {r.number}" for r in rounds]
    rows = [[n] + [_fmt(r.tallies.get(n)) for r in rounds] for n in names
            if any(n in r.tallies for r in rounds)]
    reasons = sorted({k for r in rounds for k in r.exhausted})
    for reason in reasons:
        rows.append([f"inactive: {reason.replace('_', ' ')}"]
                    + [_fmt(r.exhausted.get(reason, 0)) for r in rounds])
    if any(r.threshold is not None for r in rounds):
        rows.append(["threshold"] + [_fmt(r.threshold) for r in rounds])
    return _table(header, rows)


def _decisions(rounds: list[Round]) -> list[str]:
    out = []
    for r in rounds:
        parts = []
        if r.elected:
            parts.append("elected " + ", ".join(r.elected))
        if r.eliminated:
            parts.append("eliminated " + ", ".join(r.eliminated))
        if r.tie_break:
            parts.append(f"tie between {', '.join(r.tie_break.among)} broken by "
                         f"{r.tie_break.rule}: {r.tie_break.detail}")
        if r.note:
            parts.append(r.note)
        if parts:
            out.append(f"Round {r.number}: " + "; ".join(parts))
    return out


def _projects_table(result: Result) -> str:
    rows = [[p.id, p.name[:40], _fmt(p.cost), _fmt(p.score),
             (f"part-funded: {_fmt(p.part)} of {_fmt(p.cost)}" if p.part is not None
              else "yes" if p.funded else "no"), p.reason] for p in result.projects or []]
    return _table(["Project", "Name", "Cost", "Score", "Funded", "Why"], rows)


def _pairwise_table(result: Result) -> str:
    names = result.candidates
    rows = [[a] + [_fmt(v) if i != j else "-" for j, v in enumerate(row)]
            for i, (a, row) in enumerate(zip(names, result.pairwise or []))]
    return _table(["prefer row over column"] + names, rows)


def render_text(result: Result, title: str = "") -> str:
    """Everything a scrutineer needs to follow the count, without the JSON."""
    lines = []
    if title:
        lines += [title, "=" * len(title)]
    opts = ", ".join(f"{k}={v}" for k, v in sorted(result.options.items())
                     if k not in ("projects", "costs") and v is not None)
    lines.append(f"Method: {result.method}" + (f" ({opts})" if opts else ""))
    lines.append(f"Ballots: {_fmt(result.ballots)}   Tie-break seed: {result.seed}")
    lines.append("")
    if result.projects is not None:
        lines += [_projects_table(result), "",
                  f"Budget {_fmt(result.budget)}, spent {_fmt(result.spent)}, "
                  f"left {_fmt((result.budget or 0) - (result.spent or 0))}"]
    elif result.rounds:
        lines.append(_rounds_table(result))
    if result.pairwise is not None:
        lines += ["", _pairwise_table(result)]
    decisions = _decisions(result.rounds)
    if decisions:
        lines += [""] + decisions
    lines += ["", "Winners (in order): " + (", ".join(result.winners) or "none")]
    lines += _ties(result) + _published(result)
    lines += [f"Warning: {w['message']}" for w in result.warnings]
    return "\n".join(lines)


def _ties(result: Result) -> list[str]:
    out = []
    for tie in result.ties():
        decisive = tie.get("decides_funding")
        note = "" if decisive is None else (": it decided who is funded" if decisive
                                            else ": it changed only the order")
        out.append(f"Tie between {', '.join(tie['among'])} (round {tie['round']}): "
                   f"{tie['chosen']} first by {tie['rule']} ({tie['detail']}){note}")
    return out


def _published(result: Result) -> list[str]:
    if "published_winners" not in result.extra:
        return []
    extra = result.extra
    unclear = "".join(f"; {p} marked {v!r}, not compared"
                      for p, v in extra["published_unclear"].items())
    agree = "agrees" if extra["agrees_with_published"] else "differs"
    return [f"Published winners: {', '.join(extra['published_winners']) or 'none'} "
            f"(this count {agree}{unclear})"]
