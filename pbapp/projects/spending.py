"""Spending out of a funded project's budget, and the budget-vs-spent summary every page shows.

Entries are public, as the budget is. Going over budget is allowed (bills arrive) and flagged
wherever the project's money is shown. Same rules as the other project verbs (services.py):
check, validate, then write with an audit event in the caller's transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_decimal, gettext

from .. import numbers
from ..audit.services import record
from ..extensions import db
from ..labels import N_
from ..numbers import NumberRefused
from .models import SPENDING_CATEGORIES, Project, Spending
from .services import Invalid, NotAllowed, _actor_id, check_manage

#: one entry above this is a typing slip (and would overflow the column); 10 million units
MAX_AMOUNT_CENTS = 1_000_000_000


@dataclass
class SpendingFields:
    spent_on: date | None
    amount: str  # as typed: "1250" or "1250.50", whole currency units
    category: str
    payee: str
    note: str = ""


@dataclass(frozen=True)
class BudgetSummary:
    """Budget against spending, in cents; ``by_category`` lists only categories with spending."""

    budget_cents: int
    spent_cents: int
    by_category: list[tuple[str, int]]

    @property
    def remaining_cents(self) -> int:
        return max(self.budget_cents - self.spent_cents, 0)

    @property
    def over_cents(self) -> int:
        return max(self.spent_cents - self.budget_cents, 0)

    @property
    def percent_spent(self) -> int | None:
        """Whole percent, rounded down so 99.6% never reads as all spent; None without budget."""
        if self.budget_cents <= 0:
            return None
        return self.spent_cents * 100 // self.budget_cents


def parse_amount(text: str) -> int:
    """Cents from whole units with at most two decimals; exact, so no float ever rounds money."""
    text = (text or "").strip()
    if not text:
        raise Invalid(gettext("Give the amount."), "amount")
    try:  # ASCII digits only: Decimal("٥") is 5
        cents = int(numbers.decimal(text, 0, numbers.COUNT_MAX, places=2) * 100)
    except NumberRefused as refused:
        if refused.template != numbers.OUT_OF_RANGE or text.startswith("-"):
            raise Invalid(gettext("Write the amount in digits, with at most two decimals after "
                                  "a point (e.g. 1250 or 1250.50); no commas or currency "
                                  "signs."), "amount"
                          ) from None
        cents = MAX_AMOUNT_CENTS + 1  # far too large: refused below with the limit
    if cents <= 0:
        raise Invalid(gettext("The amount must be more than zero."), "amount")
    if cents > MAX_AMOUNT_CENTS:
        raise Invalid(gettext("One entry cannot be more than %(most)s; split it or check the "
                              "amount.", most=format_decimal(MAX_AMOUNT_CENTS // 100)), "amount")
    return cents


def budget_summary(project: Project) -> BudgetSummary:
    totals: dict[str, int] = {}
    for entry in project.spending:
        totals[entry.category] = totals.get(entry.category, 0) + entry.amount_cents
    order = {c: i for i, c in enumerate(SPENDING_CATEGORIES)}
    by_category = sorted(totals.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    return BudgetSummary(project.budget_cents, sum(totals.values()), by_category)


def add_spending(user, project: Project, fields: SpendingFields) -> Spending:
    """Record a payment. Going over budget is allowed, because the money has been spent and
    hiding it would be worse; the page flags the overspend instead."""
    check_manage(user, project, N_("Recording spending"))
    cents = parse_amount(fields.amount)
    if fields.spent_on is None:
        raise Invalid(gettext("Give the date of the payment."), "spent_on")
    if fields.spent_on > date.today():
        raise Invalid(gettext("Spending cannot be dated in the future; record it once it is "
                              "paid."),
                      "spent_on")
    if fields.category not in SPENDING_CATEGORIES:
        raise Invalid(gettext("Choose one of the categories listed."), "category")
    payee = (fields.payee or "").strip()
    if not payee:
        raise Invalid(gettext("Say who was paid."), "payee")
    if len(payee) > 160:
        raise Invalid(gettext("Keep the payee's name under 160 characters."), "payee")
    entry = Spending(project=project, spent_on=fields.spent_on, amount_cents=cents,
                     category=fields.category, payee=payee, note=(fields.note or "").strip(),
                     entered_by_id=_actor_id(user))
    db.session.add(entry)
    db.session.flush()
    record(user, "project.spending_add", f"project:{project.id}", spending_id=entry.id,
           amount_cents=cents, spent_on=fields.spent_on.isoformat(), category=fields.category,
           payee=payee)
    return entry


def delete_spending(user, project: Project, entry: Spending) -> None:
    """Staff only: undoing a board's record is an oversight task, and the audit log keeps
    what was removed."""
    check_manage(user, project, N_("Deleting spending"))
    if not getattr(user, "is_staff", False):
        raise NotAllowed(gettext("Only staff can delete a spending entry."))
    if entry.project_id != project.id:
        raise Invalid(gettext("That entry belongs to another project."))
    detail = dict(spending_id=entry.id, amount_cents=entry.amount_cents,
                  spent_on=entry.spent_on.isoformat(), category=entry.category,
                  payee=entry.payee)
    project.spending.remove(entry)
    db.session.delete(entry)
    db.session.flush()
    record(user, "project.spending_delete", f"project:{project.id}", **detail)


