"""Issue 15's three attacks, tried as a reader would: from the public API and the report
downloads only, with a linear programme of our own (``attacker``) over everything published.

Each of them gave a hidden number away exactly under the old per-table protection."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest

from pbapp.cycles.services import count_cycle, publish_result
from pbapp.extensions import db
from pbapp.metrics.models import Measurement, ProjectMetric
from pbapp.projects.models import Project
from pbapp.voting.services import cast_ballot, voter_key

from attacker import COMPLEMENTARY_MARK, SMALL_MARK, Sum, solve, structural_sums, weaknesses

JAN = (date(2026, 1, 1), date(2026, 1, 31))
FEB = (date(2026, 2, 1), date(2026, 2, 28))
MAR = (date(2026, 3, 1), date(2026, 3, 31))
Q1 = (date(2026, 1, 1), date(2026, 3, 31))
HOODS = {"riverside": "Riverside", "eastfield": "Eastfield"}


# Setting up -------------------------------------------------------------------------------------

def put(metric, cells: dict[tuple, object]) -> None:
    """``{(scope, ref, (start, end), breakdown, group): value or (numerator, denominator)}``"""
    for (scope, ref, (start, end), breakdown, group), value in cells.items():
        amount = dict(numerator=value[0], denominator=value[1]) if isinstance(value, tuple) \
            else dict(value=value)
        db.session.add(Measurement(metric_id=metric.id, scope=scope, scope_ref=ref,
                                   period_start=start, period_end=end, breakdown=breakdown,
                                   group_name=group, **amount))
    db.session.commit()


@pytest.fixture()
def funded(make_cycle, make_proposal, make_user):
    """``funded(n)``: a published cycle with ``n`` funded projects, for the report downloads."""
    def make(n: int) -> tuple:
        staff = make_user("staff")
        cycle = make_cycle(slug="2026-spring", phase="voting", budget=1000)
        props = [make_proposal(cycle, f"Project {i}", cost=100) for i in range(n)]
        for i in range(3):
            cast_ballot(cycle, voter_key("test", i), "online", [p.id for p in props][:3])
        cycle.phase = "counting"
        publish_result(count_cycle(cycle, staff), staff)
        db.session.commit()
        return cycle, list(db.session.scalars(Project.listed(cycle.id).order_by(None)
                                              .order_by(Project.id)))
    return make


def aim(project, metric, hood=None, baseline=50.0, target=40.0) -> None:
    db.session.add(ProjectMetric(project_id=project.id, metric=metric, neighbourhood=hood,
                                 baseline_value=baseline, baseline_period="2025",
                                 baseline_on=date(2025, 12, 31), target_value=target,
                                 target_on=date(2027, 6, 30)))
    db.session.commit()


# Reading what is published ----------------------------------------------------------------------

def csv_rows(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def api_cells(client, key: str) -> dict[tuple, tuple]:
    """key -> (value, suppressed) from the API, as a reader gets it."""
    body = client.get(f"/api/v1/metrics/{key}/measurements").get_json()
    assert body["pages"] == 1
    return {(r["scope"], r["scope_ref"], date.fromisoformat(r["period_start"]),
             date.fromisoformat(r["period_end"]), r["breakdown"], r["group"]):
            (r["value"], r["suppressed"]) for r in body["items"]}


def _period(label: str) -> tuple[date, date]:
    if re.fullmatch(r"\d{4}", label):
        return date(int(label), 1, 1), date(int(label), 12, 31)
    start, end = re.fullmatch(r"(\S+) – (\S+)", label).groups()
    return date.fromisoformat(start), date.fromisoformat(end)


def csv_cells(body: bytes, key: str, period=Q1) -> dict[tuple, tuple]:
    """key -> (value, suppressed) from a report's CSV: its trend (totals over time) and equity
    (latest breakdowns) tables of metric ``key``."""
    names = {v: k for k, v in HOODS.items()}
    out = {}
    for r in csv_rows(body):
        mine = r["table"].startswith(f"equity-{key}-") or (
            r["table"].startswith("trend-") and r["table"].endswith(f"-{key}"))
        if r["column"] != "value" or not mine:
            continue
        value = None if r["suppressed"] or not r["value"] else float(r["value"])
        if r["table"].startswith(f"equity-{key}-"):
            rest = r["table"][len(f"equity-{key}-"):]
            where, breakdown = rest.rsplit("-", 1)
            scope, _, ref = where.partition("-")
            group = "" if r["row"] == "Total" else names.get(r["row"], r["row"]) \
                if breakdown == "neighbourhood" else r["row"]
            out[(scope, ref, *period, "" if group == "" else breakdown, group)] = \
                (value, r["suppressed"] or None)
        elif r["table"].startswith("trend-") and r["table"].endswith(f"-{key}"):
            out[("city", "", *_period(r["row"]), "", "")] = (value, r["suppressed"] or None)
    return out


def count_attack(seen: dict[tuple, tuple], truth: dict[tuple, int]) -> list[str]:
    """What the reader learns of the hidden counts in ``seen``, using every sum the true
    numbers obey among the cells seen."""
    marks = {"small": SMALL_MARK, "complementary": COMPLEMENTARY_MARK}
    published = {k: v for k, (v, why) in seen.items() if why is None and v is not None}
    hidden = {k: marks[why] for k, (_, why) in seen.items() if why}
    assert published.keys() | hidden.keys() <= truth.keys()
    for k, v in published.items():
        assert v == truth[k], f"{k} is published as {v}, not its true {truth[k]}"
    sums = structural_sums({k: truth[k] for k in seen})
    small = {k for k, (_, why) in seen.items() if why == "small"}
    return weaknesses(solve(published, hidden, sums), small) if hidden else []


def cells_of(raw: dict) -> dict[tuple, object]:
    return {(scope, ref, *period, breakdown, group): v
            for (scope, ref, period, breakdown, group), v in raw.items()}


# (a) Overlapping periods -------------------------------------------------------------------------

PERIODS = {("city", "", JAN, "", ""): 3, ("city", "", FEB, "", ""): 20,
           ("city", "", MAR, "", ""): 30, ("city", "", Q1, "", ""): 53}


def test_a_month_is_not_the_quarter_less_the_other_months(make_metric, funded, client):
    metric = make_metric("violent-incidents")
    put(metric, PERIODS)
    _, (project,) = funded(1)
    aim(project, metric)
    truth = cells_of(PERIODS)
    jan = ("city", "", *JAN, "", "")
    api = api_cells(client, metric.key)
    assert api[jan] == (None, "small")
    assert count_attack(api, truth) == []
    report = client.get(f"/reports/projects/{project.id}.csv")
    assert report.status_code == 200
    from_csv = csv_cells(report.data, metric.key)
    assert from_csv.keys() == truth.keys()  # the trend table lists every period
    assert from_csv[jan] == (None, "small")
    assert count_attack(from_csv, truth) == []


# (b) The city's breakdowns against the neighbourhoods' -------------------------------------------

AGES = {"riverside": {"under 18": 3, "18-64": 40, "65+": 37},
        "eastfield": {"under 18": 22, "18-64": 60, "65+": 28}}


def _age_cells() -> dict[tuple, int]:
    raw = {}
    for slug, bands in AGES.items():
        raw[("neighbourhood", slug, Q1, "", "")] = sum(bands.values())
        raw.update({("neighbourhood", slug, Q1, "age_band", b): v for b, v in bands.items()})
    city = {b: sum(AGES[s][b] for s in AGES) for b in AGES["riverside"]}
    raw[("city", "", Q1, "", "")] = sum(city.values())
    raw.update({("city", "", Q1, "age_band", b): v for b, v in city.items()})
    return raw


def test_a_neighbourhood_group_is_not_the_city_less_the_other_neighbourhood(
        make_metric, make_hood, funded, client):
    hoods = {slug: make_hood(slug, name) for slug, name in HOODS.items()}
    metric = make_metric("violent-incidents")
    raw = _age_cells()
    assert raw[("city", "", Q1, "age_band", "under 18")] == 25
    assert raw[("city", "", Q1, "age_band", "65+")] == 65
    put(metric, raw)
    _, projects = funded(3)
    aim(projects[0], metric)
    aim(projects[1], metric, hoods["riverside"])
    aim(projects[2], metric, hoods["eastfield"])
    truth = cells_of(raw)
    # the city's by-neighbourhood table repeats each neighbourhood's total
    truth.update({("city", "", *Q1, "neighbourhood", s): raw[("neighbourhood", s, Q1, "", "")]
                  for s in HOODS})
    api = api_cells(client, metric.key)
    assert api[("neighbourhood", "riverside", *Q1, "age_band", "under 18")] == (None, "small")
    assert count_attack(api, truth) == []
    report = client.get("/reports/cycles/2026-spring.csv")
    assert report.status_code == 200
    from_csv = csv_cells(report.data, metric.key)
    assert ("neighbourhood", "riverside", *Q1, "age_band", "under 18") in from_csv
    assert ("city", "", *Q1, "age_band", "65+") in from_csv
    assert count_attack(from_csv, truth) == []


# (c) Rates ---------------------------------------------------------------------------------------

#: trust in institutions, Q1, by gender: (yes, asked). 2 of 13 would be 15.384615384615385%;
#: "another gender" is 2 of 5
GENDER = {"woman": (40, 60), "man": (35, 55), "prefer not to say": (2, 13),
          "another gender": (2, 5)}


def _rate_cells() -> dict[tuple, tuple]:
    raw = {("city", "", Q1, "gender", g): v for g, v in GENDER.items()}
    raw[("city", "", Q1, "", "")] = (sum(v[0] for v in GENDER.values()),
                                     sum(v[1] for v in GENDER.values()))
    return raw


def _decimals(text: str) -> int:
    return -Decimal(text).as_tuple().exponent if "." in text or "e" in text.lower() else 0


def _floats(doc) -> list[str]:
    """Every number in a JSON document written with a fraction, as written."""
    if isinstance(doc, dict):
        return [f for v in doc.values() for f in _floats(v)]
    if isinstance(doc, list):
        return [f for v in doc for f in _floats(v)]
    return [doc.text] if isinstance(doc, _Written) else []


class _Written:
    def __init__(self, text: str):
        self.text = text


@pytest.fixture()
def trust(make_metric, funded):
    metric = make_metric("trust-institutions", kind="percent", better="higher")
    put(metric, _rate_cells())
    _, (project,) = funded(1)
    aim(project, metric, baseline=55.0, target=65.0)
    return metric, project


def test_rates_are_published_to_one_decimal_everywhere(trust, client):
    metric, project = trust
    api = client.get(f"/api/v1/metrics/{metric.key}/measurements")
    written = _floats(json.loads(api.data, parse_float=_Written))
    assert written and all(_decimals(f) <= 1 for f in written), written
    rows = {r["group"]: r for r in api.get_json()["items"]}
    assert rows["woman"]["value"] == 66.7  # 40/60, never 66.66666666666667
    assert rows[""]["value"] == 59.4  # 79/133
    for url in (f"/reports/projects/{project.id}.json", "/reports/cycles/2026-spring.json"):
        doc = json.loads(client.get(url).data, parse_float=_Written)
        metric_sections = [s for s in doc["sections"] if s["id"] in ("progress", "equity")]
        written = _floats(metric_sections)
        assert written and all(_decimals(f) <= 1 for f in written), (url, written)
    for url in (f"/reports/projects/{project.id}.csv", "/reports/cycles/2026-spring.csv"):
        values = [r["value"] for r in csv_rows(client.get(url).data)
                  if metric.key in r["table"] and not r["suppressed"]]
        assert values and all(_decimals(v) <= 1 for v in values), (url, values)
    page = client.get(f"/metrics/{metric.key}").data
    assert b"66.66" not in page and b"63.63" not in page and b"15.38" not in page
    assert b"59.39" not in page  # the total, 79/133


def test_a_rate_of_few_people_or_over_few_people_is_hidden(trust, client):
    metric, _ = trust
    rows = {r["group"]: r for r in api_cells_rows(client, metric.key)}
    assert (rows["prefer not to say"]["value"], rows["prefer not to say"]["suppressed"]) == \
        (None, "small-numerator")
    assert (rows["another gender"]["value"], rows["another gender"]["suppressed"]) == \
        (None, "small-denominator")


def api_cells_rows(client, key: str) -> list[dict]:
    body = client.get(f"/api/v1/metrics/{key}/measurements").get_json()
    return body["items"]


def rate_attack(seen: dict[tuple, tuple], truth: dict[tuple, tuple]) -> list[str]:
    """The strongest reader of rates: one who knows the counts behind every published rate
    (as the full floats gave away) and works on numerators and denominators together, each
    numerator within its denominator."""
    published, hidden, small = {}, {}, set()
    for cell, (value, why) in seen.items():
        num, den = ("numerator", *cell), ("denominator", *cell)
        if why is None:
            published[num], published[den] = truth[cell]
            continue
        if why == "small-numerator":
            hidden[num], hidden[den] = SMALL_MARK, (11, None)
            small.add(num)
        elif why == "small-denominator":
            hidden[num], hidden[den] = (0, 10), SMALL_MARK
            small.add(den)
        else:
            hidden[num], hidden[den] = (0, None), (11, None)
    counts = {(s, *c): truth[c][i] for c in seen for i, s in enumerate(("numerator",
                                                                        "denominator"))}
    sums = structural_sums(counts)
    within = [(("numerator", *c), ("denominator", *c)) for c in seen]
    return weaknesses(solve(published, hidden, sums, within), small)


def test_a_hidden_rate_is_not_its_total_less_its_siblings(trust, client):
    metric, project = trust
    truth = cells_of(_rate_cells())
    api = api_cells(client, metric.key)
    another = ("city", "", *Q1, "gender", "another gender")
    assert api[another] == (None, "small-denominator")
    assert rate_attack(api, truth) == []
    from_csv = csv_cells(client.get("/reports/cycles/2026-spring.csv").data, metric.key)
    assert from_csv[another][0] is None
    assert rate_attack(from_csv, truth) == []


def test_the_attacker_sees_the_old_leak():
    """The reader's programme is sharp enough: shown the old tables (only "another gender"
    hidden) it works out 2 of 5 exactly."""
    truth = cells_of(_rate_cells())
    seen = {k: (None, "small-denominator" if k[-1] == "another gender" else None)
            for k in truth}
    assert rate_attack(seen, truth) != []
    periods = {k: (None, "small" if k[2:4] == JAN else None) for k in cells_of(PERIODS)}
    assert count_attack({k: (cells_of(PERIODS)[k] if why is None else None, why)
                         for k, (_, why) in periods.items()}, cells_of(PERIODS)) != []


def test_sums_are_exact_only_where_the_numbers_obey_them():
    truth = {("city", "", *Q1, "", ""): 10, ("city", "", *Q1, "g", "a"): 4,
             ("city", "", *Q1, "g", "b"): 3}
    assert structural_sums(truth) == [Sum(("city", "", *Q1, "", ""),
                                          (("city", "", *Q1, "g", "a"),
                                           ("city", "", *Q1, "g", "b")), False)]
