"""Report sections shared by the cycle, board and project reports, each a list of table dicts.

Plain functions of the database's published records; see ``cells`` for the shapes. Numbers of
people only ever come through ``participation`` (protected counts) and the metrics' protected
tables, never from raw rows.
"""
from __future__ import annotations

from functools import lru_cache

from flask import url_for

from .. import dates, tally
from ..cycles.charts import outcome_words
from ..cycles.models import Cycle, Result
from ..cycles.views import describe_rounds, in_reader_language
from ..labels import FILTERS, N_
from ..metrics.progress import Progress
from ..metrics.tables import BREAKDOWN_LABELS, format_value, latest_breakdowns, series
from ..models_base import site_today
from ..projects.models import Project
from .cells import cell, column, day, from_metric, local_day, money, row, table
from .words import get_locale, gettext

PROGRESS_WORDS = {"achieved": N_("Achieved"), "on_track": N_("On track"),
                  "off_track": N_("Off track"), "no_data": N_("No data yet")}


def status_label(status: str) -> str:
    return label("project_status_label", status)


def label(kind: str, code) -> str:
    """``FILTERS[kind](code)``, looked up once per language and code: each lookup builds the
    kind's whole table of words afresh, and a report looks up hundreds."""
    return _label_in(str(get_locale()), kind, code)


@lru_cache(maxsize=512)
def _label_in(_locale: str, kind: str, code) -> str:
    return FILTERS[kind](code)


def result_tables(result: Result, data: dict | None = None) -> list[dict]:
    """The published count: what was counted, who won, and each round's tallies. ``data``: the
    stored count in the reader's language (``in_reader_language``), when the caller has it."""
    data = in_reader_language(result.data) if data is None else data
    names = data.get("names", {})
    pb = result.method in tally.PB_METHODS
    value = column("value", gettext("Value"))
    out = [table("count", gettext("The count"), [value], [
        row("method", gettext("Counting method"),
            {"value": cell(result.method, FILTERS["method_label"](result.method))}),
        row("ballots", gettext("Ballots counted"), {"value": cell(result.ballots)}),
        row("cvr_sha256", gettext("SHA-256 of the cast-vote record"),
            {"value": cell(result.cvr_sha256)}),
        row("seed", gettext("Tie-break seed"), {"value": cell(data.get("seed"))}),
        row("published", gettext("Published"), {"value": day(result.published_at)})],
        header=gettext("What"))]
    out.append(table("winners", gettext("Funded") if pb else gettext("Winners"),
                     [column("position", gettext("Position"), numeric=True)],
                     [row(w, names.get(w, w), {"position": cell(i)})
                      for i, w in enumerate(data.get("winners") or [], 1)],
                     header=gettext("Proposal")))
    out += override_tables(result, names)
    if data.get("projects"):
        out.append(table("proposals", gettext("Every proposal"), [
            column("cost", gettext("Cost"), numeric=True),
            column("score", gettext("Score"), numeric=True),
            column("funded", gettext("Funded")), column("reason", gettext("Why")),
            column("part_funded", gettext("Part-funded"), numeric=True)],
            [row(p["id"], names.get(p["id"], p.get("name") or p["id"]), {
                "cost": cell(p.get("cost")), "score": cell(p.get("score")),
                "funded": cell(bool(p.get("funded")), gettext("yes") if p.get("funded")
                               else gettext("no")),
                "reason": cell(p.get("reason"), label("reason_label", p.get("reason"))),
                "part_funded": cell(p.get("part_funded"), "" if p.get("part_funded") is None else
                                    gettext("part-funded: %(amount)s of %(cost)s",
                                            amount=_units(p["part_funded"]),
                                            cost=_units(p.get("cost"))))})
             for p in data["projects"]], header=gettext("Proposal")))
    words = outcome_words()
    for raw, rnd in zip(data.get("rounds") or [], describe_rounds(data)):
        ids = list((raw.get("tallies") or {}).keys())
        out.append(table(
            f"round-{rnd['number']}", gettext("Round %(num)s", num=rnd["number"]),
            [column("tally", gettext("Tally"), numeric=True),
             column("outcome", gettext("This round"))],
            [row(c, name, {"tally": cell(v),
                           "outcome": cell(outcome, words.get(outcome, "") if outcome else "")})
             for c, (name, v, outcome) in zip(ids, rnd["tallies"])], header=gettext("Proposal")))
    return out


def _units(amount) -> str:
    """Whole units as the site shows money (``money`` filter), from an amount as counted."""
    from decimal import Decimal

    from ..projects.views import money as money_text

    return money_text(int(Decimal(str(amount or 0)) * 100))


def override_tables(result: Result, names: dict) -> list[dict]:
    """The computed winners beside the final ones, and each staff change (issue 19)."""
    from ..cycles.overrides import describe

    found = describe(result, names, get_locale())
    words = {True: gettext("funded"), False: gettext("not funded")}
    out = [table("computed-final", gettext("Computed and final"), [
        column("computed", gettext("Computed by the count")), column("final", gettext("Final"))],
        [row(r["proposal"], r["title"], {"computed": cell(r["computed"], words[r["computed"]]),
                                          "final": cell(r["final"], words[r["final"]])})
         for r in found["rows"]], header=gettext("Proposal"))]
    out.append(table("overrides", gettext("Changes made by staff"), [
        column("action", gettext("Change")), column("reason", gettext("Reason")),
        column("by", gettext("By")), column("role", gettext("Role")), column("at", gettext("When"))],
        [row(f"{i}-{c['proposal']}", c["title"], {
            "action": cell(c["action"], gettext("funded") if c["action"] == "fund"
                           else gettext("not funded")),
            "reason": cell(c["reason"]), "by": cell(c["by"]),
            "role": cell(c["role"], c["role_label"] or ""),
            "at": cell(c["at"].isoformat(), dates.moment(c["at"]))})
         for i, c in enumerate(found["changes"], 1)], header=gettext("Proposal")))
    return out


def projects_table(projects: list[Project], spent: dict[int, int], by: str) -> dict:
    """Funded projects with budget against spending; ``by`` is "board" or "cycle"."""
    first = column(by, gettext("Board") if by == "board" else gettext("Cycle"))
    locale = get_locale()
    rows = [row(p.id, p.text("title", locale), {
        by: cell((p.board if by == "board" else p.cycle).text("name", locale)),
        "budget": money(p.budget_cents), "spent": money(spent.get(p.id, 0)),
        "status": cell(p.status, status_label(p.status))},
        url=url_for("reports.project", project_id=p.id)) for p in projects]
    total = row("total", gettext("Total"), {
        "budget": money(sum(p.budget_cents for p in projects)),
        "spent": money(sum(spent.get(p.id, 0) for p in projects))})
    return table("projects", gettext("Funded projects"), [
        first, column("budget", gettext("Budget"), numeric=True),
        column("spent", gettext("Spent"), numeric=True), column("status", gettext("Status"))],
        rows, total, header=gettext("Project"))


def target_scope(p: Progress) -> tuple[str, str]:
    """Where a target's numbers come from: where its latest value was read, else its place."""
    if p.latest is not None:
        return p.latest.scope, p.latest.scope_ref
    if p.target.neighbourhood is not None:
        return "neighbourhood", p.target.neighbourhood.slug
    return "city", ""


def _withheld(metric) -> dict | None:
    """A metric's latest figure hidden because its data-sharing agreement's retention date
    passed (``pbapp.agreements``): said in the cell, with ``suppressed`` "retention"."""
    from ..agreements.rules import withheld

    gone = withheld(metric, site_today())
    if gone is None:
        return None
    return cell(None, gettext("hidden since %(day)s: the data-sharing agreement's retention "
                              "date has passed", day=gone.since.isoformat()), "retention")


def progress_table(project: Project, progress: list[Progress]) -> dict:
    rows = []
    for p in progress:
        t, m = p.target, p.target.metric
        latest = p.latest.total if p.latest else None
        rows.append(row(m.key, m.text("name", get_locale()), {
            "baseline": cell(t.baseline_value, format_value(m, t.baseline_value)),
            "baseline_period": cell(t.text("baseline_period", get_locale())),
            "latest": (cell(latest.value, latest.display, latest.hidden) if latest
                       else _withheld(m) or cell(None, "–")),
            "latest_period": cell(p.latest.period_label if p.latest else None),
            "target": cell(t.target_value, format_value(m, t.target_value)),
            "target_on": day(t.target_on),
            "status": cell(p.status, gettext(PROGRESS_WORDS[p.status]))}))
    title = gettext("Progress: %(title)s", title=project.text("title", get_locale()))
    return table(f"progress-{project.id}", title, [
        column("baseline", gettext("Baseline"), numeric=True),
        column("baseline_period", gettext("Baseline period")),
        column("latest", gettext("Latest"), numeric=True),
        column("latest_period", gettext("Latest period")),
        column("target", gettext("Target"), numeric=True),
        column("target_on", gettext("Target date")), column("status", gettext("Status"))], rows,
        header=gettext("Metric"))


def _scope_words(scope: str, ref: str) -> str:
    if scope == "project":
        return gettext("for the project")
    if scope == "neighbourhood":
        return gettext("in %(place)s", place=ref)
    return gettext("city-wide")


def equity_tables(progress: list[Progress]) -> list[dict]:
    """For each metric targeted, the breakdown tables of its latest period that has any."""
    out, seen, locale = [], set(), get_locale()
    for p in progress:
        metric = p.target.metric
        scope, ref = target_scope(p)
        if (metric.id, scope, ref) in seen:
            continue
        seen.add((metric.id, scope, ref))
        for t in latest_breakdowns(metric, scope, ref):
            title = gettext("%(metric)s by %(breakdown)s, %(where)s, %(period)s",
                            metric=metric.text("name", locale),
                            breakdown=gettext(BREAKDOWN_LABELS[t.breakdown]).lower(),
                            where=_scope_words(scope, ref), period=t.period_label)
            out.append(from_metric(t, f"equity-{metric.key}-{scope}{'-' + ref if ref else ''}"
                                   f"-{t.breakdown}", title,
                                   gettext(BREAKDOWN_LABELS[t.breakdown]),
                                   metric.text("unit", locale) or gettext("Value"),
                                   gettext("Total")))
    return out


def trend_table(p: Progress) -> dict:
    """A target's metric over time (protected totals) with its baseline and target."""
    t, m, locale = p.target, p.target.metric, get_locale()
    scope, ref = target_scope(p)
    points = series(m, scope, ref)
    rows = [row(f"{s.period_start.isoformat()}..{s.period_end.isoformat()}", s.period_label,
                {"value": cell(s.total.value, s.total.display, s.total.hidden)}) for s in points]
    out = table(f"trend-{p.target.project_id}-{m.key}",
                gettext("%(metric)s over time, %(where)s", metric=m.text("name", locale),
                        where=_scope_words(scope, ref)),
                [column("value", m.text("unit", locale) or gettext("Value"), numeric=True)], rows,
                caption=gettext("Baseline %(baseline)s (%(period)s); target %(target)s by "
                                "%(date)s.", baseline=format_value(m, t.baseline_value),
                                period=t.text("baseline_period", locale),
                                target=format_value(m, t.target_value),
                                date=day(t.target_on)["display"]),
                header=gettext("Period"))
    out["baseline"] = {"value": t.baseline_value, "period": t.baseline_period,
                       "on": t.baseline_on.isoformat()}
    out["target"] = {"value": t.target_value, "on": t.target_on.isoformat()}
    return out


def timeline_table(cycle: Cycle, result: Result | None, projects: list[Project]) -> dict:
    """The cycle's key dates, then each funded project's status changes, milestones done and
    updates, oldest first."""
    events = []
    for when, what in ((cycle.proposals_open, gettext("Proposals opened")),
                       (cycle.voting_opens, gettext("Voting opened")),
                       (cycle.voting_closes, gettext("Voting closed")),
                       (result.published_at if result else None, gettext("Result published"))):
        if when is not None:
            events.append((when, what, None))
    reader = get_locale()
    for p in projects:
        for change in p.history:
            what = gettext("Status: %(status)s", status=status_label(change.to_status))
            if change.reason:
                what += f" ({change.text('reason', reader)})"
            events.append((change.at, what, p))
        for m in p.milestones:
            if m.done_on is not None:
                events.append((m.done_on, gettext("Milestone done: %(title)s",
                                                  title=m.text("title", reader)), p))
        for u in p.updates:
            events.append((u.published_at, gettext("Update: %(title)s",
                                                   title=u.text("title", reader)), p))
    events.sort(key=lambda e: (local_day(e[0]), e[2].id if e[2] else 0))
    locale = get_locale()
    rows = [row(i, what, {"date": day(when),
                          "project": cell(p.text("title", locale) if p else "")})
            for i, (when, what, p) in enumerate(events, 1)]
    return table("timeline", gettext("Timeline"), [
        column("date", gettext("Date")), column("project", gettext("Project"))], rows,
        header=gettext("What happened"))
