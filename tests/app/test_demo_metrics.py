"""``flask demo`` seeds shared metrics, targets, spending and turnout demographics worth showing."""
import random
from collections import Counter, defaultdict
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from pbapp.demo_metrics import quarters, split
from pbapp.extensions import db
from pbapp.metrics.models import Measurement, Metric, ProjectMetric
from pbapp.metrics.progress import progress_for
from pbapp.metrics.tables import public_rows
from pbapp.projects.models import SPENDING_CATEGORIES, Project, Spending, spent_cents
from pbapp.voting.models import Participation
from pbapp.voting.roll import AGE_BANDS

KEYS = {"violent-incidents": ("count", "lower", "police"),
        "assault-admissions": ("count", "lower", "hospital"),
        "ambulance-violence-responses": ("count", "lower", "ambulance"),
        "days-to-intervention": ("median", "lower", "partner"),
        "service-linkage-rate": ("percent", "higher", "partner"),
        "repeat-victimisation": ("percent", "lower", "police"),
        "feel-safe": ("percent", "higher", "survey"),
        "trust-institutions": ("percent", "higher", "survey")}


@pytest.fixture()
def demo(runner):
    out = runner.invoke(args=["demo", "--ballots", "300"])
    assert out.exit_code == 0, out.output
    return out.output


def test_quarters_run_from_2025_to_the_last_full_one():
    late = quarters(date(2026, 11, 29))
    assert late[0] == (date(2025, 1, 1), date(2025, 3, 31))
    assert late[-1] == (date(2026, 7, 1), date(2026, 9, 30)) and len(late) == 7
    assert quarters(date(2026, 10, 1))[-1][1] == date(2026, 9, 30)
    assert quarters(date(2025, 3, 31)) == []


def test_split_adds_up_and_keeps_under_its_caps():
    rng = random.Random(1)
    for total in (0, 7, 313):
        parts = split(total, [0.4, 0.3, 0.2, 0.1], rng)
        assert sum(parts) == total and min(parts) >= 0
    capped = split(50, [1, 1, 5], rng, caps=[20, 20, 10])
    assert sum(capped) == 50 and capped[2] <= 10


def test_demo_seeds_the_catalogue_and_consistent_measurements(demo, client):
    assert "8 shared metrics" in demo
    metrics = {m.key: m for m in db.session.scalars(select(Metric))}
    assert set(metrics) == set(KEYS)
    for key, (kind, better, source) in KEYS.items():
        m = metrics[key]
        assert (m.kind, m.better, m.source, m.frequency) == (kind, better, source, "quarterly")
        assert m.name and m.definition and m.unit and m.supplier
        assert m.sharing_what and m.sharing_consent and m.sharing_retention

    every_row = list(db.session.scalars(select(Measurement)))
    surveyed = [r for r in every_row if (r.note or "").startswith("Survey: ")]
    # the demo's closed survey adds one measurement of its own period to "feel-safe" (issue 20)
    assert surveyed and {r.metric.key for r in surveyed} == {"feel-safe"}
    assert len({(r.period_start, r.period_end) for r in surveyed}) == 1
    rows = [r for r in every_row if r not in surveyed]
    periods = sorted({(r.period_start, r.period_end) for r in rows if r.scope != "project"})
    assert periods == quarters(date.today())
    hoods = [r for r in rows if r.scope == "neighbourhood"]
    assert hoods and all(r.neighbourhood_id and r.scope_ref == r.neighbourhood.slug
                         for r in hoods)
    assert any(r.scope == "project" and r.project_id for r in rows)

    cells = defaultdict(list)
    for r in rows:
        cells[(r.metric.key, r.scope, r.period_start, r.breakdown)].append(r)
    last = periods[-1][0]
    assert {b for (_, s, start, b) in cells if s == "city" and start == last} >= {
        "", "age_band", "gender", "race_ethnicity", "disability"}
    assert {r.group_name for r in cells[("violent-incidents", "city", last, "age_band")]} \
        == set(AGE_BANDS)
    for (key, scope, start, breakdown), group in cells.items():
        if scope != "city" or breakdown == "":
            continue
        (total,) = cells[(key, "city", start, "")]
        if KEYS[key][0] == "count":
            assert sum(r.value for r in group) == total.value, (key, start, breakdown)
        else:
            assert sum(r.denominator for r in group) == total.denominator
        if KEYS[key][0] == "percent":
            assert sum(r.numerator for r in group) == total.numerator
            assert all(r.numerator <= r.denominator for r in group)
    for start, _ in periods:
        by_hood = cells[("violent-incidents", "neighbourhood", start, "")]
        (city,) = cells[("violent-incidents", "city", start, "")]
        assert len(by_hood) == 6 and sum(r.value for r in by_hood) == city.value
        assert 100 < city.value < 1000
    survey = [r for r in rows if r.metric.key == "feel-safe" and r.breakdown == ""]
    assert all(300 <= r.denominator <= 500 for r in survey if r.scope == "city")
    assert any(r.denominator < 11 for r in survey if r.scope == "neighbourhood")

    listing = client.get("/metrics/")
    assert listing.status_code == 200
    assert all(m.name.encode() in listing.data for m in metrics.values())
    page = client.get("/metrics/violent-incidents")
    assert page.status_code == 200 and b"&lt;11" in page.data


def test_demo_tables_hide_small_and_complementary_cells(demo, app):
    with force_locale("en"):
        reasons = Counter(row["suppressed"] for m in db.session.scalars(select(Metric))
                          for row in public_rows(m))
    assert reasons["small"] and reasons["complementary"] and reasons["small-denominator"]
    assert reasons[None] > sum(n for reason, n in reasons.items() if reason)


def test_demo_projects_have_targets_spending_and_every_progress_status(demo, client):
    projects = list(db.session.scalars(select(Project).order_by(Project.id)))
    assert projects
    spent = spent_cents(p.id for p in projects)
    statuses = Counter()
    with force_locale("en"):
        for project in projects:
            progress = progress_for(project.id)
            assert 1 <= len(progress) <= 3
            statuses.update(p.status for p in progress)
            for p in progress:
                assert p.target.baseline_period and p.target.baseline_on < p.target.target_on
            assert len(project.spending) >= 2
            assert 0 < spent[project.id] <= project.budget_cents
            for entry in project.spending:
                assert entry.category in SPENDING_CATEGORIES and entry.payee
                assert project.created_at.date() <= entry.spent_on < date.today()
    assert {"achieved", "on_track", "off_track"} <= set(statuses)
    assert any(spent[p.id] >= 0.9 * p.budget_cents for p in projects)
    assert any(spent[p.id] <= 0.5 * p.budget_cents for p in projects)
    page = client.get(f"/projects/{projects[0].id}")
    assert page.status_code == 200
    assert projects[0].spending[0].payee.encode() in page.data


def test_demo_participation_records_neighbourhood_and_age_band(demo):
    rows = db.session.execute(select(Participation.channel, Participation.neighbourhood_id,
                                     Participation.age_band)).all()
    assert len(rows) == 300
    online = [r for r in rows if r.channel == "online"]
    assert online and all(r.neighbourhood_id and r.age_band in AGE_BANDS for r in online)
    assert all(r.age_band is None for r in rows if r.channel != "online")
    assert any(r.neighbourhood_id is None for r in rows)
    assert any(r.neighbourhood_id for r in rows if r.channel == "code")
    by_hood = Counter(r.neighbourhood_id for r in rows if r.neighbourhood_id)
    by_band = Counter(r.age_band for r in rows if r.age_band)
    assert len(by_hood) == 6
    assert any(1 <= n <= 10 for n in [*by_hood.values(), *by_band.values()])


def test_a_second_demo_run_changes_nothing(demo, runner):
    def counts():
        return [db.session.scalar(select(func.count()).select_from(model))
                for model in (Metric, Measurement, ProjectMetric, Spending, Participation)]

    before = counts()
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and "already there" in again.output
    assert "shared metrics" not in again.output
    assert counts() == before
