"""Winner overrides (issue 19): after the count and before publishing, staff may fund or unfund
a proposal, each time with a public reason.

The count itself is never changed: ``Result.data`` keeps the computed winners, so the ballot
downloads still recount to them, and every override is a row beside it. The **final** list is
the computed winners with each override applied in the order made; publishing funds the final
list. A fund override that would take the final cost over the budget is refused (not merely
warned about): the budget is the council's decision, and a silent overspend is exactly what
residents cannot see, so staff must unfund something first, each step with its reason.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import format_decimal, gettext
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit.services import record
from ..extensions import db
from ..labels import FILTERS
from ..models_base import Translated, UTCDateTime, utcnow
from ..request_text import CONTROL_IN_TEXT
from .models import Result

ACTIONS = ("fund", "unfund")
MAX_REASON = 1000


class ResultOverride(Translated, db.Model):
    """One staff decision to fund or unfund a proposal against the count, with its reason
    (which may be given in Spanish too)."""

    __tablename__ = "result_override"
    __table_args__ = (CheckConstraint("action IN ('fund', 'unfund')", name="action_known"),)
    TRANSLATED_FIELDS = {"reason": MAX_REASON}

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("result.id", ondelete="CASCADE"),
                                           index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"))
    action: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User")

    def __repr__(self) -> str:
        return f"<ResultOverride result={self.result_id} {self.action} {self.proposal_id}>"


class OverrideRefused(ValueError):
    """Not done; the message says why. ``field`` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def clean_reason(text) -> str:
    """The reason as plain text: control characters (a NUL, which PostgreSQL cannot store)
    removed, spaces collapsed, at most ``MAX_REASON`` characters. Pages escape it on output."""
    text = CONTROL_IN_TEXT.sub("", str(text or ""))
    return " ".join(text.split())[:MAX_REASON]


def overrides_of(result: Result) -> list[ResultOverride]:
    return list(db.session.scalars(select(ResultOverride).where(
        ResultOverride.result_id == result.id).order_by(ResultOverride.id)))


def _costs(result: Result) -> dict[str, int]:
    """Each proposal's cost in cents as counted (a part-funded one at its part)."""
    out = {}
    for p in result.data.get("projects") or []:
        amount = p.get("part_funded") if p.get("part_funded") is not None else p.get("cost")
        out[str(p["id"])] = int(Decimal(str(amount or 0)) * 100)
    return out


@dataclass
class FinalList:
    computed: list[str]
    final: list[str]
    overrides: list[ResultOverride]
    cost_cents: int | None
    budget_cents: int | None

    @property
    def changed(self) -> bool:
        return bool(self.overrides)


def final_list(result: Result, overrides: list[ResultOverride] | None = None) -> FinalList:
    """The computed winners with every override applied in turn."""
    overrides = overrides_of(result) if overrides is None else overrides
    computed = [str(w) for w in result.data.get("winners", [])]
    final = list(computed)
    for o in overrides:
        pid = str(o.proposal_id)
        if o.action == "fund" and pid not in final:
            final.append(pid)
        elif o.action == "unfund" and pid in final:
            final.remove(pid)
    costs = _costs(result)
    budget = result.data.get("budget")
    return FinalList(computed, final, overrides,
                     sum(costs.get(p, 0) for p in final) if costs else None,
                     None if budget is None else int(Decimal(str(budget)) * 100))


def override_winner(result: Result, proposal_id, action: str, reason: str, actor
                    ) -> ResultOverride:
    """Fund or unfund one proposal of this count, with a reason residents will read.

    Refused, changing nothing: outside the counting phase, once the result is published, for
    a proposal that was not on this count's ballot (another cycle's id included), for a change
    that changes nothing, without a reason, or when funding would exceed the budget."""
    cycle = result.cycle
    if cycle.phase != "counting":
        raise OverrideRefused(gettext("Winners can be changed only after the count and before "
                                      "publishing; the cycle is in the %(phase)s phase.",
                                      phase=FILTERS["phase_label"](cycle.phase)))
    if result.published_at is not None:
        raise OverrideRefused(gettext("This result is published; its winners can no longer "
                                      "change."))
    if action not in ACTIONS:
        raise OverrideRefused(gettext("Choose to fund or to unfund."), "action")
    candidates = {str(c) for c in result.data.get("candidates", [])}
    pid = str(proposal_id).strip()
    if not pid.isascii() or not pid.isdigit() or pid not in candidates:
        raise OverrideRefused(gettext("Choose a proposal that was on this count's ballot."),
                              "proposal")
    reason = clean_reason(reason)
    if not reason:
        raise OverrideRefused(gettext("Give the reason: residents will read it beside the "
                                      "change."),
                              "reason")
    current = final_list(result)
    if action == "fund" and pid in current.final:
        raise OverrideRefused(gettext("This proposal is already in the final list."),
                              "proposal")
    if action == "unfund" and pid not in current.final:
        raise OverrideRefused(gettext("This proposal is not in the final list."), "proposal")
    if action == "fund" and current.budget_cents is not None:
        after = (current.cost_cents or 0) + _costs(result).get(pid, 0)
        if after > current.budget_cents:
            over = (after - current.budget_cents) / 100
            raise OverrideRefused(gettext(
                "Funding it would take the final list %(over)s over the budget. Unfund another "
                "proposal first (with its reason).", over=format_decimal(over, "#,##0.00")),
                "proposal")
    override = ResultOverride(result_id=result.id, proposal_id=int(pid), action=action,
                              reason=reason, actor_id=getattr(actor, "id", None))
    db.session.add(override)
    db.session.flush()
    record(actor, f"result.{action}", f"cycle:{cycle.id}", result_id=result.id,
           proposal_id=int(pid), reason=reason)
    return override


def describe(result: Result, names: dict, locale=None) -> dict:
    """What the pages, report and API show: both lists and every change, in plain data; each
    reason in ``locale`` where it was given in that language (the API keeps the original)."""
    found = final_list(result)
    changes = [{"proposal": str(o.proposal_id),
                "title": names.get(str(o.proposal_id), str(o.proposal_id)),
                "action": o.action, "reason": o.text("reason", locale),
                "by": (o.actor.name if o.actor else None),
                "role": (o.actor.role if o.actor else None),
                "role_label": (FILTERS["role_label"](o.actor.role) if o.actor else None),
                "at": o.created_at} for o in found.overrides]
    ids = list(dict.fromkeys(found.computed + found.final))
    rows = [{"proposal": p, "title": names.get(p, p), "computed": p in found.computed,
             "final": p in found.final} for p in ids]
    return {"computed": found.computed, "final": found.final, "changes": changes, "rows": rows,
            "final_cost_cents": found.cost_cents, "budget_cents": found.budget_cents}
