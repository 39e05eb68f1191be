"""One dated timeline from a resident's idea to the project's impact (issue 19, Decidim #13067).

``proposal_timeline`` is the only builder: the proposal page, the project page and both API
endpoints call it, so they always agree. It returns plain dated entries, oldest first, made only
of what those pages already publish: the ideas behind the proposal, its status changes with
their public reasons (submission, review, withdrawal, the count's outcome), the ballot's voting
period, the round of the published count that decided it, and, once funded, the project's
status changes, milestones, spending entries, updates and the metrics it aims to move as they
were measured. Metric values come from the protected published tables only: a hidden cell
("<11" or "—") is never an entry. Callers decide who may see the proposal or project; this
module adds nothing a visitor of those pages could not read.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import url_for
from flask_babel import format_decimal, get_locale, gettext, to_user_timezone
from sqlalchemy import select

from .extensions import db
from .labels import FILTERS

#: every kind of entry, in the order of a day's events
KINDS = ("idea", "submitted", "review", "withdrawn", "ballot", "count", "project", "status",
         "milestone", "spending", "update", "baseline", "measurement")


@dataclass(frozen=True)
class Entry:
    on: date  # the day, in the site's time zone
    kind: str  # one of KINDS
    title: str
    detail: str = ""
    url: str | None = None
    at: datetime | None = None  # the exact time, when there is one

    def as_json(self) -> dict:
        return {"date": self.on.isoformat(), "at": self.at.isoformat() if self.at else None,
                "kind": self.kind, "title": self.title, "detail": self.detail,
                "url": self.url}


def _day(when: date | datetime) -> date:
    return to_user_timezone(when).date() if isinstance(when, datetime) else when


def _entry(when, kind, title, detail="", url=None) -> Entry:
    return Entry(_day(when), kind, title, detail, url,
                 when if isinstance(when, datetime) else None)


def _status_word(status: str) -> str:
    return FILTERS["status_label"](status)


def proposal_timeline(proposal) -> list[Entry]:
    """Everything dated about one proposal and the project it became, oldest first."""
    entries = [_entry(i.created_at, "idea", gettext("A resident's idea"),
                      f"{i.problem[:200]} ({i.place})",
                      url_for("proposals.idea", idea_id=i.id)) for i in proposal.ideas]
    for h in proposal.history:
        if h.to_status == "draft":
            continue
        kind = ("submitted" if h.to_status == "submitted" else
                "withdrawn" if h.to_status == "withdrawn" else
                "count" if h.to_status in ("funded", "not_funded") else "review")
        title = (gettext("Submitted for review") if kind == "submitted" else
                 gettext("Status: %(status)s", status=_status_word(h.to_status)))
        entries.append(_entry(h.at, kind, title, h.text("reason", get_locale()) or ""))
    from .cycles.votes import cycle_votes, published_result

    cycle = proposal.cycle
    on_ballot = proposal.status in ("accepted", "funded", "not_funded") or any(
        h.from_status == "accepted" for h in proposal.history)
    if on_ballot and cycle.voting_opens and cycle.phase not in ("draft", "proposals", "review"):
        detail = (gettext("Voting from %(opens)s to %(closes)s.",
                          opens=_day(cycle.voting_opens).isoformat(),
                          closes=_day(cycle.voting_closes).isoformat())
                  if cycle.voting_closes else "")
        entries.append(_entry(cycle.voting_opens, "ballot", gettext("On the ballot"), detail,
                              url_for("cycles.show", slug=cycle.slug)))
    result = published_result(cycle.id)
    votes = cycle_votes(cycle.id).get(proposal.id) if result else None
    if votes is not None:
        entries.append(_entry(result.published_at, "count", _count_title(votes),
                              gettext("%(num)s first preferences.",
                                      num=format_decimal(votes.first_preferences)),
                              url_for("cycles.results", slug=cycle.slug)))
    project = _project_of(proposal)
    if project is not None:
        entries.extend(_project_entries(project))
    order = {k: n for n, k in enumerate(KINDS)}
    return sorted(entries, key=lambda e: (e.on, order.get(e.kind, 99)))


def project_timeline(project) -> list[Entry]:
    return proposal_timeline(project.proposal)


def _count_title(votes) -> str:
    if votes.outcome == "funded" and votes.decided_round:
        return gettext("Funded in round %(round)s of the count", round=votes.decided_round)
    if votes.outcome == "elected" and votes.decided_round:
        return gettext("Elected in round %(round)s of the count", round=votes.decided_round)
    if votes.outcome == "eliminated" and votes.decided_round:
        return gettext("Eliminated in round %(round)s of the count", round=votes.decided_round)
    if votes.outcome in ("funded", "elected"):
        return gettext("Funded in the count")
    return gettext("Not funded in the count")


def _project_of(proposal):
    from .projects.models import Project
    return db.session.scalar(select(Project).where(Project.proposal_id == proposal.id))


def _project_entries(project) -> list[Entry]:
    from .projects.views import money

    page = url_for("projects.show", project_id=project.id)
    out = [_entry(project.created_at, "project", gettext("Became a funded project"),
                  gettext("Budget %(budget)s.", budget=money(project.budget_cents)), page)]
    status_label = FILTERS.get("project_status_label", lambda s: s)
    for h in project.history:
        out.append(_entry(h.at, "status", gettext("Project status: %(status)s",
                                                   status=status_label(h.to_status)),
                          h.text("reason", get_locale()) or "", page))
    reader = get_locale()
    for m in project.milestones:
        title, note = m.text("title", reader), m.text("note", reader)
        if m.done_on:
            out.append(_entry(m.done_on, "milestone",
                              gettext("Milestone reached: %(title)s", title=title), note, page))
        else:
            out.append(_entry(m.due_on, "milestone",
                              gettext("Milestone due: %(title)s", title=title), note, page))
    for s in project.spending:
        out.append(_entry(s.spent_on, "spending",
                          gettext("Spent %(amount)s", amount=money(s.amount_cents)),
                          f"{s.payee}" + (f": {s.note}" if s.note else ""), page))
    for u in project.updates:
        out.append(_entry(u.published_at, "update", u.text("title", reader), "",
                          f"{page}#update-{u.id}"))
    out.extend(_metric_entries(project))
    return out


def _metric_entries(project) -> list[Entry]:
    """The baseline of each metric the project aims to move, then each published total of the
    scope its progress is read from, from the baseline on; hidden totals are left out."""
    from .metrics.models import ProjectMetric
    from .metrics.tables import series

    out = []
    for target in db.session.scalars(select(ProjectMetric).where(
            ProjectMetric.project_id == project.id).order_by(ProjectMetric.id)):
        metric = target.metric
        name = metric.text("name", get_locale())
        url = url_for("metrics.show", key=metric.key)
        out.append(_entry(target.baseline_on, "baseline",
                          gettext("Baseline of %(metric)s: %(value)s", metric=name,
                                  value=format_decimal(target.baseline_value)),
                          target.text("baseline_period", get_locale()), url))
        scopes = [("project", str(project.id)),
                  ("neighbourhood", target.neighbourhood.slug) if target.neighbourhood
                  else ("city", "")]
        for scope, ref in scopes:
            points = [t for t in series(metric, scope, ref) if t.total.value is not None]
            if not points:
                continue
            for t in points:
                if t.period_end > target.baseline_on:
                    out.append(_entry(t.period_end, "measurement",
                                      gettext("%(metric)s measured: %(value)s",
                                              metric=name, value=t.total.display),
                                      gettext("Period %(start)s to %(end)s.",
                                              start=t.period_start.isoformat(),
                                              end=t.period_end.isoformat()), url))
            break
    return out
