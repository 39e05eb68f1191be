"""The demo city's metrics: every one passes the audit, what is published survives our own
reader's programme, and no page, download or API answer runs the solver."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from pbapp import page_memory
from pbapp.boards.models import Board
from pbapp.demo import seed_demo
from pbapp.extensions import db
from pbapp.metrics import protection
from pbapp.metrics.models import Measurement, Metric, MetricAudit, ProjectMetric, PublishedCell
from pbapp.projects.models import Project

from attacker import COMPLEMENTARY_MARK, SMALL_MARK, solve, structural_sums, weaknesses


@pytest.fixture()
def demo(app):
    lines = list(seed_demo(ballots=200, seed=1))
    db.session.commit()
    assert "8 shared metrics" in lines[1]
    return list(db.session.scalars(select(Metric).order_by(Metric.key)))


def test_every_demo_metric_passes_its_audit(demo):
    for metric in demo:
        audit = db.session.get(MetricAudit, metric.id)
        assert audit is not None and audit.passed, (metric.key, audit and audit.problems)
        assert audit.problems == "" and audit.audited_at is not None
        measured = db.session.scalar(select(func.count()).where(
            Measurement.metric_id == metric.id))
        stored = db.session.scalar(select(func.count()).where(
            PublishedCell.metric_id == metric.id))
        assert audit.cells == measured == stored > 0, metric.key
        assert audit.small > 0 or metric.key == "violent-incidents", metric.key
        assert audit.relations["counts"], metric.key


def test_the_demo_keeps_its_project_targets(demo):
    """Targets are fitted to the published numbers as the demo is seeded, so those must be
    there before the targets are made (before the commit that publishes them)."""
    assert db.session.scalar(select(func.count()).select_from(ProjectMetric)) >= 5


def _demo_urls(demo) -> list[str]:
    urls = ["/metrics/", "/metrics/small-numbers", "/api/v1/metrics"]
    for m in demo:
        urls += [f"/metrics/{m.key}", f"/api/v1/metrics/{m.key}",
                 f"/api/v1/metrics/{m.key}/measurements"]
    urls += ["/reports/cycles/2026-spring", "/reports/cycles/2026-spring.csv",
             "/reports/cycles/2026-spring.json"]
    for b in db.session.scalars(select(Board)):
        urls += [f"/reports/boards/{b.slug}", f"/reports/boards/{b.slug}.csv"]
    for p in db.session.scalars(select(Project).order_by(Project.id)):
        urls += [f"/projects/{p.id}", f"/api/v1/projects/{p.id}"]
        if p.cycle.slug == "2026-spring":
            urls += [f"/reports/projects/{p.id}", f"/reports/projects/{p.id}.csv",
                     f"/reports/projects/{p.id}.json"]
    return urls


def test_pages_downloads_and_the_api_run_no_solver(demo, client, monkeypatch):
    def no_solver(*_a, **_k):
        raise AssertionError("a request ran the protection's solver")

    monkeypatch.setattr(protection, "linprog", no_solver)
    page_memory.forget()
    for url in _demo_urls(demo):
        response = client.get(url)
        assert response.status_code == 200, url
    assert db.session.scalar(select(func.count()).select_from(PublishedCell)) > 0


def _written_decimals(doc) -> list[int]:
    if isinstance(doc, dict):
        return [d for v in doc.values() for d in _written_decimals(v)]
    if isinstance(doc, list):
        return [d for v in doc for d in _written_decimals(v)]
    if isinstance(doc, Decimal):
        return [max(0, -doc.as_tuple().exponent)]
    return []


def test_no_demo_rate_is_published_beyond_one_decimal(demo, client):
    """repeat-victimisation's Q1-2025 "not recorded" once went out as 15.384615384615385 (2 of
    13 people). In the reports, the metric sections (a count's tally of weighted votes may
    well have decimals)."""
    for metric in demo:
        body = client.get(f"/api/v1/metrics/{metric.key}/measurements?per_page=100")
        pages = json.loads(body.data)["pages"]
        for page in range(1, pages + 1):
            raw = client.get(f"/api/v1/metrics/{metric.key}/measurements"
                             f"?per_page=100&page={page}").data
            assert max(_written_decimals(json.loads(raw, parse_float=Decimal)), default=0) <= 1, \
                metric.key
    for url in ("/reports/cycles/2026-spring.json",
                *(f"/reports/projects/{p.id}.json" for p in db.session.scalars(
                    select(Project).join(Project.cycle).where(Project.cycle.has(
                        slug="2026-spring"))))):
        doc = json.loads(client.get(url).data, parse_float=Decimal)
        metric_sections = [s for s in doc["sections"] if s["id"] in ("progress", "equity")]
        assert max(_written_decimals(metric_sections), default=0) <= 1, url


def _cell(m) -> tuple:
    return (m.scope, m.scope_ref, m.period_start, m.period_end, m.breakdown, m.group_name)


def test_no_demo_number_falls_to_our_own_programme(demo):
    """Our reader's programme over each demo metric's stored, published set (every cell, as
    the API lists them), with every sum the true numbers obey (medians: only their counts of
    cases are protected, and those are not published)."""
    for metric in [m for m in demo if m.kind in ("count", "percent")]:
        kind = metric.kind
        truth = {_cell(m): m for m in db.session.scalars(
            select(Measurement).where(Measurement.metric_id == metric.id))}
        shown = {_cell(c): c for c in db.session.scalars(
            select(PublishedCell).where(PublishedCell.metric_id == metric.id))}
        assert shown.keys() == truth.keys()
        systems = ("count",) if kind == "count" else ("numerator", "denominator")
        values = {}
        for cell, m in truth.items():
            counts = (int(m.value),) if kind == "count" else (m.numerator, m.denominator)
            values.update({(s, *cell): v for s, v in zip(systems, counts)})
        published, hidden, small, within = {}, {}, set(), []
        for cell, c in shown.items():
            keys = [(s, *cell) for s in systems]
            if kind == "percent":
                within.append(tuple(keys))
            if c.hidden is None:
                published.update({k: values[k] for k in keys})
                if kind == "count":
                    assert c.value == values[keys[0]]
                else:
                    expected = 100 * values[keys[0]] / values[keys[1]]
                    assert c.value == round(expected, 1), (cell, c.value)
                continue
            if kind == "count":
                hidden[keys[0]] = SMALL_MARK if c.hidden == "small" else COMPLEMENTARY_MARK
                small |= {keys[0]} if c.hidden == "small" else set()
            elif c.hidden == "small-numerator":
                hidden[keys[0]], hidden[keys[1]] = SMALL_MARK, (11, None)
                small.add(keys[0])
            elif c.hidden == "small-denominator":
                hidden[keys[0]], hidden[keys[1]] = (0, 10), SMALL_MARK
                small.add(keys[1])
            else:
                hidden[keys[0]], hidden[keys[1]] = (0, None), (11, None)
        sums = [s for system in systems
                for s in structural_sums({k: v for k, v in values.items() if k[0] == system})]
        assert weaknesses(solve(published, hidden, sums, within), small) == [], metric.key

