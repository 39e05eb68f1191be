"""Rows as the API's JSON documents. The shapes are the schemas in ``openapi.py``; a test checks
every response against them, so change both together.

Money is in cents, as stored (a result keeps the whole units it was counted in); times are
UTC in ISO 8601; Markdown fields are the source text, except where ``*_html`` is the
sanitised rendering the site itself shows. No person's name or email is ever included.
"""
from __future__ import annotations

from datetime import date, datetime

from flask import url_for

from ..agreements.serialize import metric_fields as agreement_fields
from ..cycles.exports import FORMATS
from ..cycles.models import Cycle, Neighbourhood, Result
from ..metrics.models import Metric
from ..metrics.progress import Progress
from ..models_base import StatusHistory, site_today
from ..projects.models import Project
from ..proposals.models import TRANSLATED_FIELDS, TRANSLATION_LOCALES, Proposal
from ..text import render_markdown


def when(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


def place(hood: Neighbourhood) -> dict:
    return {"slug": hood.slug, "name": hood.name}


def history(changes: list[StatusHistory]) -> list[dict]:
    """Public status changes with their reasons; who made them stays on the site."""
    return [{"from_status": h.from_status, "to_status": h.to_status, "reason": h.reason or "",
             "at": when(h.at)} for h in changes]


def cycle(c: Cycle, result: Result | None) -> dict:
    return {
        "slug": c.slug, "name": c.name, "description": c.description or "", "phase": c.phase,
        "method": c.method, "budget_cents": c.budget_cents, "max_ranks": c.max_ranks,
        "seats": c.seats, "proposals_open": when(c.proposals_open),
        "voting_opens": when(c.voting_opens), "voting_closes": when(c.voting_closes),
        "close_changes": [{"old_closes": when(x.old_closes), "new_closes": when(x.new_closes),
                           "reason": x.reason, "changed_at": when(x.changed_at)}
                          for x in c.close_changes],
        "neighbourhoods": [place(n) for n in sorted(c.neighbourhoods, key=lambda n: n.slug)],
        "requires_address": bool(c.require_address),
        "address_register_size": _register_size(c),
        "result_published": result is not None,
        "links": {"self": url_for("api.cycle", slug=c.slug),
                  "proposals": url_for("api.cycle_proposals", slug=c.slug),
                  "results": url_for("api.cycle_results", slug=c.slug) if result else None,
                  "html": url_for("cycles.show", slug=c.slug)},
    }


def _register_size(c: Cycle) -> int:
    """How many addresses the cycle's register holds: never which."""
    from ..addresses.register import register_size

    return register_size(c)


def neighbourhoods(rows: list[tuple[Neighbourhood, list | None]]) -> dict:
    """Every neighbourhood as a GeoJSON (RFC 7946) Feature: its outline as a MultiPolygon in
    WGS 84 longitude and latitude, or a null geometry where staff imported none."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": hood.slug,
         "geometry": {"type": "MultiPolygon", "coordinates": polygons} if polygons else None,
         "properties": {"slug": hood.slug, "name": hood.name}}
        for hood, polygons in rows]}


def _translations(p: Proposal) -> dict:
    out = {}
    for locale in TRANSLATION_LOCALES:
        texts = (p.translations or {}).get(locale) or {}
        given = {f: texts[f] for f in TRANSLATED_FIELDS
                 if isinstance(texts.get(f), str) and texts[f].strip()}
        if given:
            out[locale] = given
    return out


def proposal(p: Proposal) -> dict:
    return {
        "id": p.id, "cycle": p.cycle.slug, "title": p.title, "summary": p.summary,
        "description": p.description or "", "problem": p.problem or "",
        "root_cause": p.root_cause or "", "metrics": p.metric_list,
        "cost_cents": p.cost_cents, "status": p.status,
        "board": {"slug": p.board.slug, "name": p.board.name},
        "neighbourhoods": [place(n) for n in sorted(p.neighbourhoods, key=lambda n: n.slug)],
        "feasibility_note": p.feasibility_note or "", "cost_note": p.cost_note or "",
        "translations": _translations(p), "history": history(p.history),
        "links": {"self": url_for("api.proposal", proposal_id=p.id),
                  "html": url_for("proposals.show", proposal_id=p.id)},
        "votes": _votes(p),
    }


def _votes(p: Proposal) -> dict | None:
    """None until the cycle's result is published (``cycles.votes``)."""
    from ..cycles.votes import cycle_votes

    found = cycle_votes(p.cycle_id).get(p.id)
    return found.as_json() if found else None


def timeline(proposal_id: int, project_id: int | None, entries) -> dict:
    return {"proposal": proposal_id, "project": project_id,
            "items": [e.as_json() for e in entries]}


def _tie_break(tie: dict | None) -> dict | None:
    if not tie:
        return None
    return {"among": list(tie.get("among", [])), "chosen": tie.get("chosen"),
            "rule": tie.get("rule", ""), "detail": tie.get("detail", ""),
            "keys": dict(tie.get("keys") or {})}


def _round(rnd: dict) -> dict:
    return {"round": rnd.get("round"), "tallies": dict(rnd.get("tallies") or {}),
            "threshold": rnd.get("threshold"), "elected": list(rnd.get("elected") or []),
            "eliminated": list(rnd.get("eliminated") or []),
            "transfers": dict(rnd.get("transfers") or {}),
            "exhausted": dict(rnd.get("exhausted") or {}),
            "tie_break": _tie_break(rnd.get("tie_break")), "note": rnd.get("note") or ""}


def result(c: Cycle, r: Result) -> dict:
    """The published count as stored, candidates named: anyone can recount the ballot files
    listed under ``ballot_files`` and compare round by round."""
    data = r.data
    names = data.get("names", {})
    projects = data.get("projects")
    return {
        "cycle": c.slug, "method": r.method, "ballots": r.ballots, "cvr_sha256": r.cvr_sha256,
        "counted_at": when(r.counted_at), "published_at": when(r.published_at),
        "seed": str(data.get("seed", "")), "options": dict(data.get("options") or {}),
        "candidates": [{"id": str(cid), "title": names.get(str(cid), str(cid))}
                       for cid in data.get("candidates", [])],
        "winners": [str(w) for w in data.get("winners", [])],
        "rounds": [_round(rnd) for rnd in data.get("rounds", [])],
        "projects": None if projects is None else [
            {"id": str(p["id"]), "title": names.get(str(p["id"]), p.get("name") or str(p["id"])),
             "cost": p.get("cost"), "score": p.get("score"), "funded": bool(p.get("funded")),
             "reason": p.get("reason") or "", "part_funded": p.get("part_funded")}
            for p in projects],
        **final_winners(r, names),
        "budget": data.get("budget"), "spent": data.get("spent"),
        "money_left": data.get("money_left"), "pairwise": data.get("pairwise"),
        "ballot_files": {fmt: url_for("cycles.ballots_file", slug=c.slug, fmt=fmt)
                         for fmt in FORMATS},
        "turnout": turnout(c),
        "polling_places": polling_places(c),
        "links": {"self": url_for("api.cycle_results", slug=c.slug),
                  "html": url_for("cycles.results", slug=c.slug)},
    }


def final_winners(r: Result, names: dict) -> dict:
    """The count's winners beside the final list after staff's overrides (issue 19), and each
    change with its reason, who made it (name and role) and when."""
    from ..cycles.overrides import describe

    found = describe(r, names)
    return {"computed_winners": found["computed"], "final_winners": found["final"],
            "overrides": [{"proposal": c["proposal"], "title": c["title"],
                           "action": c["action"], "reason": c["reason"], "by": c["by"],
                           "role": c["role"], "at": when(c["at"])} for c in found["changes"]]}


def turnout(c: Cycle) -> list[dict]:
    """Voters per channel and how many of them were checked against the voter roll, each cell
    under the small-cell rules (``value`` null and ``suppressed`` saying why when hidden)."""
    from ..cycles.stats import turnout_by_channel

    cells = turnout_by_channel(c.id).published()
    return [{"channel": channel,
             **{name: {"value": cells[name][channel][0], "suppressed": cells[name][channel][1]}
                for name in ("voters", "roll_checked", "roll_unchecked")}}
            for channel in cells["voters"]]


def polling_places(c: Cycle) -> list[dict]:
    """Paper ballots per polling place (issue 19) under the same small-cell rules as the
    results page: protected together with the channels, so no difference gives one back."""
    from ..cycles.stats import turnout_by_channel
    from ..paper.turnout import place_turnout

    found = place_turnout(c.id, turnout_by_channel(c.id))
    if found is None:
        return []
    return [{"place": row.key, "name": row.label,
             "ballots": {"value": None if row.hidden else row.ballots,
                         "suppressed": row.hidden}} for row in found.rows]


def project(p: Project, spent: int) -> dict:
    return {
        "id": p.id, "title": p.title, "summary": p.summary or "", "status": p.status,
        "cycle": p.cycle.slug, "proposal_id": p.proposal_id,
        "board": {"slug": p.board.slug, "name": p.board.name},
        "budget_cents": p.budget_cents, "spent_cents": spent, "created_at": when(p.created_at),
        "part_of_cents": p.part_of_cents,
        "links": {"self": url_for("api.project", project_id=p.id),
                  "html": url_for("projects.show", project_id=p.id),
                  "feed": url_for("feeds.project_updates_of", project_id=p.id)},
    }


def target(progress: Progress) -> dict:
    """A metric target with the latest value as the public tables show it (protected)."""
    t, latest = progress.target, progress.latest
    return {
        "metric": t.metric.key, "metric_name": t.metric.name, "unit": t.metric.unit,
        "better": t.metric.better,
        "neighbourhood": t.neighbourhood.slug if t.neighbourhood else None,
        "baseline": {"value": t.baseline_value, "period": t.baseline_period,
                     "on": when(t.baseline_on)},
        "target": {"value": t.target_value, "on": when(t.target_on)},
        "latest": None if latest is None else {
            "value": latest.total.value, "suppressed": latest.total.hidden,
            "scope": latest.scope, "scope_ref": latest.scope_ref,
            "period_start": when(latest.period_start), "period_end": when(latest.period_end)},
        "expected": progress.expected, "status": progress.status,
    }


def project_detail(p: Project, spent: int, progress: list[Progress]) -> dict:
    return {
        **project(p, spent),
        "history": history(p.history),
        "milestones": [{"id": m.id, "title": m.title, "due_on": when(m.due_on),
                        "done_on": when(m.done_on), "note": m.note or ""} for m in p.milestones],
        "updates": [{"id": u.id, "title": u.title, "published_at": when(u.published_at),
                     "body": u.body or "", "body_html": str(render_markdown(u.body))}
                    for u in p.updates],
        "targets": [target(pr) for pr in progress],
    }


def metric(m: Metric) -> dict:
    return {
        "key": m.key, "name": m.name, "definition": m.definition or "", "unit": m.unit or "",
        "kind": m.kind, "rate_per": m.rate_per, "better": m.better, "source": m.source,
        "supplier": m.supplier or "", "frequency": m.frequency,
        "data_sharing": {"what": m.sharing_what or "", "consent": m.sharing_consent or "",
                         "retention": m.sharing_retention or ""},
        **agreement_fields(m, site_today()),
        "links": {"self": url_for("api.metric", key=m.key),
                  "measurements": url_for("api.metric_measurements", key=m.key),
                  "html": url_for("metrics.show", key=m.key)},
    }


#: the fields of ``tables.public_rows`` the API publishes; ``display`` is left out because it
#: is written in the reader's language and the API speaks no language
MEASUREMENT_FIELDS = ("metric", "scope", "scope_ref", "period_start", "period_end", "breakdown",
                      "group", "value", "suppressed")


def measurement(row: dict) -> dict:
    return {k: row[k] for k in MEASUREMENT_FIELDS}


#: the collections a client can start from, in the order the index lists them
COLLECTIONS = (
    ("cycles", "api.cycles", "Budget cycles past their draft, newest first; each links to its "
                             "proposals and, once published, its result round by round."),
    ("projects", "api.projects", "Funded projects, with spending, milestones and updates."),
    ("metrics", "api.metrics", "The shared metrics catalogue and its published measurements "
                               "(small cells protected)."),
    ("neighbourhoods", "api.neighbourhoods", "The neighbourhoods and their outlines, as a "
                                             "GeoJSON FeatureCollection (the maps' data)."),
)


def index() -> dict:
    """The API's front door: where each collection and the OpenAPI document are."""
    return {
        "title": "pbapp open data API", "version": "1.0.0",
        "resources": [{"name": name, "href": url_for(endpoint), "description": text}
                      for name, endpoint, text in COLLECTIONS],
        "links": {"self": url_for("api.index"), "openapi": url_for("api.openapi"),
                  "html": url_for("main.open_data")},
    }
