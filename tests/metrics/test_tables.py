"""The public metric tables read from real rows: every table a number appears in hides it the
same way, and nothing a reader can fetch gives a hidden number away."""
from __future__ import annotations

import inspect
from datetime import date

import pytest

from pbapp.cycles.models import Neighbourhood
from pbapp.extensions import db
from pbapp.metrics.models import Measurement, Metric
from pbapp.metrics.protection import COMPLEMENTARY, SMALL
from pbapp.metrics.published import SMALL_DENOMINATOR, SMALL_NUMERATOR
from pbapp.metrics.tables import (latest_total, public_rows, scopes_of, series, tables_for)

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
Q2 = (date(2026, 4, 1), date(2026, 6, 30))


@pytest.fixture(autouse=True)
def in_a_request(app):
    """Numbers are formatted in the reader's locale, as on a page."""
    with app.test_request_context():
        yield


@pytest.fixture()
def metric(app) -> Metric:
    return new_metric("injuries")


def new_metric(key: str, kind: str = "count", **kw) -> Metric:
    m = Metric(key=key, name=key.capitalize(), kind=kind, **kw)
    db.session.add(m)
    db.session.commit()
    return m


def put(metric: Metric, value=None, scope: str = "city", ref: str = "", breakdown: str = "",
        group: str = "", period=Q1, **kw) -> Measurement:
    m = Measurement(metric_id=metric.id, scope=scope, scope_ref=ref, period_start=period[0],
                    period_end=period[1], value=value, breakdown=breakdown, group_name=group,
                    **kw)
    db.session.add(m)
    db.session.commit()
    return m


def put_table(metric, total, breakdown, cells: dict, **kw):
    if total is not None:
        put(metric, total, **kw)
    for group, value in cells.items():
        put(metric, value, breakdown=breakdown, group=group, **kw)


def hoods(*slugs):
    for slug in slugs:
        db.session.add(Neighbourhood(slug=slug, name=slug.capitalize()))
    db.session.commit()


def table(metric, breakdown, scope="city", ref="", period=Q1):
    found = [t for t in tables_for(metric, scope, ref)
             if t.breakdown == breakdown and (t.period_start, t.period_end) == period]
    assert len(found) == 1, found
    return found[0]


def shown(t) -> dict:
    """group -> value or the hidden reason, total under ""."""
    return {c.group: c.value if c.hidden is None else c.hidden for c in [t.total, *t.cells]}


def api_rows(client, key: str) -> list[dict]:
    body = client.get(f"/api/v1/metrics/{key}/measurements").get_json()
    assert body["pages"] == 1
    return body["items"]


def assert_not_derivable(rows: list[dict]) -> None:
    """Within every published table (and the by-neighbourhood link to each neighbourhood's
    own tables), each hidden count must keep at least two possible values for a reader who
    knows only what is published: "<11" is 1..10, "—" at least 11 (interval reasoning over
    one table at a time, the simplest attack)."""
    tables: dict[tuple, list[dict]] = {}
    totals = {}
    for r in rows:
        key = (r["scope"], r["scope_ref"], r["period_start"], r["period_end"])
        if r["breakdown"] == "":
            totals[key] = r
        else:
            tables.setdefault(key + (r["breakdown"],), []).append(r)
    for key, cells in tables.items():
        total = totals.get(key[:4])
        if total is None or total["suppressed"]:
            continue
        hidden = [c for c in cells if c["suppressed"]]
        if not hidden:
            continue
        rest = total["value"] - sum(c["value"] or 0 for c in cells if not c["suppressed"])
        bounds = [(1, 10) if c["suppressed"] == SMALL else (11, rest) for c in hidden]
        low, high = sum(b[0] for b in bounds), sum(b[1] for b in bounds)
        for lo, hi in bounds:
            at_least, at_most = max(lo, rest - (high - hi)), min(hi, rest - (low - lo))
            assert at_least < at_most, f"a hidden cell of {key} can only be {at_least}"


def test_a_total_one_breakdown_must_hide_is_hidden_in_every_table(metric, client):
    # by age the 20 people are 10 and 10: with the total shown both "<11" would be 10
    put_table(metric, 20, "age_band", {"18-24": 10, "25-34": 10})
    put_table(metric, None, "gender", {"man": 20, "woman": 0})
    assert shown(table(metric, "")) == {"": COMPLEMENTARY}
    assert shown(table(metric, "age_band")) == {"": COMPLEMENTARY, "18-24": SMALL,
                                                 "25-34": SMALL}
    # and the gender table must not add up to the hidden total
    assert shown(table(metric, "gender")) == {"": COMPLEMENTARY, "man": COMPLEMENTARY,
                                               "woman": 0}
    assert latest_total(metric) is None
    rows = api_rows(client, metric.key)
    assert all(r["value"] is None for r in rows if r["suppressed"])
    assert [r["value"] for r in rows if not r["suppressed"]] == [0]
    page = client.get(f"/metrics/{metric.key}").get_data(as_text=True)
    assert "&lt;11" in page and ">20<" not in page


def test_one_small_cell_takes_a_complement_and_the_total_stays(metric, client):
    put_table(metric, 62, "age_band", {"18-24": 1, "25-34": 1, "35-44": 60, "45-54": 0})
    assert shown(table(metric, "age_band")) == {"": 62, "18-24": SMALL, "25-34": SMALL,
                                                 "35-44": COMPLEMENTARY, "45-54": 0}
    assert shown(table(metric, "")) == {"": 62}
    cell = table(metric, "age_band").cells[0]
    assert (cell.display, cell.label) == ("<11", "18-24")
    assert table(metric, "age_band").cells[2].display == "—"
    assert_not_derivable(api_rows(client, metric.key))


def test_people_not_recorded_protect_a_small_cell_for_free(metric):
    put_table(metric, 50, "disability", {"yes": 5, "no": 30})
    assert shown(table(metric, "disability")) == {"": 50, "yes": SMALL, "no": 30}


def test_a_small_total_is_hidden_everywhere(metric, client):
    put_table(metric, 7, "gender", {"man": 7, "woman": 0})
    assert shown(table(metric, "")) == {"": SMALL}
    assert shown(table(metric, "gender")) == {"": SMALL, "man": SMALL, "woman": 0}
    assert all(r["value"] in (None, 0) for r in api_rows(client, metric.key))


def test_a_neighbourhood_hidden_in_the_city_table_is_hidden_on_its_own_pages(metric, client):
    hoods("eastgate", "northside", "riverside")
    put(metric, 75)
    for slug, value in (("northside", 5), ("riverside", 30), ("eastgate", 40)):
        put(metric, value, scope="neighbourhood", ref=slug)
    # Riverside's own age table adds up to its total: left whole it would give the 30 away
    put_table(metric, None, "age_band", {"18-24": 12, "25-34": 18}, scope="neighbourhood",
              ref="riverside")
    city = table(metric, "neighbourhood")
    assert shown(city) == {"": 75, "eastgate": 40, "northside": SMALL,
                           "riverside": COMPLEMENTARY}
    assert [c.label for c in city.cells] == ["Eastgate", "Northside", "Riverside"]
    assert shown(table(metric, "", "neighbourhood", "riverside")) == {"": COMPLEMENTARY}
    assert shown(table(metric, "", "neighbourhood", "northside")) == {"": SMALL}
    assert shown(table(metric, "", "neighbourhood", "eastgate")) == {"": 40}
    own = shown(table(metric, "age_band", "neighbourhood", "riverside"))
    assert own == {"": COMPLEMENTARY, "18-24": COMPLEMENTARY, "25-34": 18}
    assert series(metric, "neighbourhood", "riverside")[0].total.value is None
    rows = api_rows(client, metric.key)
    riverside = [r for r in rows if r["scope_ref"] == "riverside" or r["group"] == "riverside"]
    assert riverside and all(r["value"] in (None, 18) for r in riverside)
    assert_not_derivable(rows)


def test_a_neighbourhood_total_its_own_breakdown_hides_is_hidden_in_the_city_table(metric,
                                                                                  client):
    hoods("eastgate", "northside", "riverside")
    put(metric, 95)
    for slug, value in (("riverside", 20), ("eastgate", 40), ("northside", 35)):
        put(metric, value, scope="neighbourhood", ref=slug)
    # within Riverside, 10 and 10: its total must go, so the city table cannot show it either
    put_table(metric, None, "age_band", {"18-24": 10, "25-34": 10}, scope="neighbourhood",
              ref="riverside")
    assert shown(table(metric, "age_band", "neighbourhood", "riverside")) == {
        "": COMPLEMENTARY, "18-24": SMALL, "25-34": SMALL}
    assert shown(table(metric, "", "neighbourhood", "riverside")) == {"": COMPLEMENTARY}
    # and then 95 - 40 - 35 would give Riverside's 20 away: the next smallest cell goes too
    assert shown(table(metric, "neighbourhood")) == {"": 95, "eastgate": 40,
                                                     "northside": COMPLEMENTARY,
                                                     "riverside": COMPLEMENTARY}
    assert shown(table(metric, "", "neighbourhood", "northside")) == {"": COMPLEMENTARY}
    rows = api_rows(client, metric.key)
    assert not [r for r in rows if r["value"] in (10, 20, 35)]
    assert_not_derivable(rows)


def test_without_neighbourhood_totals_the_city_rows_make_the_city_table(metric):
    hoods("eastgate", "riverside")
    put_table(metric, 50, "neighbourhood", {"eastgate": 46, "riverside": 4})
    put(metric, 12, scope="neighbourhood", ref="riverside", breakdown="gender", group="woman",
        period=Q2)
    assert shown(table(metric, "neighbourhood")) == {"": 50, "eastgate": COMPLEMENTARY,
                                                     "riverside": SMALL}
    # the neighbourhood's page takes its cell there as its total
    assert shown(table(metric, "", "neighbourhood", "riverside")) == {"": SMALL}
    assert shown(table(metric, "gender", "neighbourhood", "riverside", Q2)) == {
        "": None, "woman": 12}


def test_rates_and_percents_need_11_behind_them(app, client):
    pct = new_metric("felt-safe", "percent", better="higher")
    put(pct, numerator=3, denominator=8)
    put(pct, numerator=30, denominator=60, breakdown="gender", group="woman")
    put(pct, 45.0, breakdown="gender", group="man", denominator=10)
    put(pct, 45.0, breakdown="gender", group="other")
    t = table(pct, "gender")
    assert shown(t) == {"": SMALL_DENOMINATOR, "woman": 50.0, "man": SMALL_DENOMINATOR,
                        "other": 45.0}
    assert {c.group: c.display for c in t.cells}["woman"] == "50%"
    assert t.total.display == "—"
    rate = new_metric("admissions", "rate", rate_per=1000)
    put(rate, numerator=50, denominator=2000)
    assert shown(table(rate, "")) == {"": 25.0}
    # 5 people in 2,000 is a rate over many, but it counts 5 people: hidden (issue 15)
    put(rate, numerator=5, denominator=2000, period=Q2)
    assert shown(table(rate, "", period=Q2)) == {"": SMALL_NUMERATOR}
    rows = api_rows(client, pct.key)
    assert {r["group"]: r["value"] for r in rows} == {"": None, "woman": 50.0, "man": None,
                                                       "other": 45.0}


def test_a_count_from_numerator_alone_is_not_a_value(metric):
    put(metric, numerator=4, denominator=None)
    assert shown(table(metric, "")) == {"": None}
    assert table(metric, "").total.display == "–"


def test_periods_and_projects_are_protected_apart(metric):
    put_table(metric, 20, "gender", {"man": 10, "woman": 10})
    put_table(metric, 44, "gender", {"man": 20, "woman": 24}, period=Q2)
    put_table(metric, 30, "age_band", {"18-24": 3, "25-34": 27}, scope="project", ref="7")
    assert [t.total.value for t in series(metric)] == [None, 44]
    assert latest_total(metric).period_start == Q2[0]
    assert shown(table(metric, "age_band", "project", "7")) == {
        "": 30, "18-24": SMALL, "25-34": COMPLEMENTARY}
    assert scopes_of(metric) == [("city", ""), ("project", "7")]


def test_public_rows_list_every_published_cell_once(metric):
    hoods("riverside")
    put_table(metric, 62, "age_band", {"18-24": 1, "35-44": 61})
    put(metric, 62, scope="neighbourhood", ref="riverside")
    rows = public_rows(metric)
    keys = [(r["scope"], r["scope_ref"], r["breakdown"], r["group"]) for r in rows]
    assert len(keys) == len(set(keys))
    assert set(keys) == {("city", "", "", ""), ("city", "", "age_band", "18-24"),
                         ("city", "", "age_band", "35-44"),
                         ("city", "", "neighbourhood", "riverside"),
                         ("neighbourhood", "riverside", "", "")}
    assert set(rows[0]) == {"metric", "scope", "scope_ref", "period_start", "period_end",
                            "breakdown", "group", "value", "display", "suppressed"}
    for r in rows:
        assert (r["value"] is None) == (r["suppressed"] is not None)
        if r["suppressed"]:
            assert r["display"] in ("<11", "—")


def test_no_free_form_filters(metric, client):
    put_table(metric, 62, "age_band", {"18-24": 1, "25-34": 1, "35-44": 60})
    assert list(inspect.signature(tables_for).parameters) == ["metric", "scope", "scope_ref"]
    assert list(inspect.signature(public_rows).parameters) == ["metric"]
    plain = client.get(f"/api/v1/metrics/{metric.key}/measurements").get_json()
    for query in ("group=18-24", "breakdown=age_band&group=25-34", "min=1&max=10",
                  "where=value<11"):
        assert client.get(f"/api/v1/metrics/{metric.key}/measurements?{query}").get_json() \
            == plain


def test_building_tables_changes_nothing_in_the_session(metric):
    hoods("eastgate", "riverside")
    put(metric, 95)
    put(metric, 20, scope="neighbourhood", ref="riverside")
    put(metric, 75, scope="neighbourhood", ref="eastgate")
    put_table(metric, None, "age_band", {"18-24": 10, "25-34": 10}, scope="neighbourhood",
              ref="riverside")
    pct = new_metric("felt-safe", "percent")
    put(pct, numerator=3, denominator=8)
    db.session.expire_all()
    for m in (metric, pct):
        for scope, ref in scopes_of(m):
            tables_for(m, scope, ref)
        public_rows(m)
    assert not db.session.dirty and not db.session.new and not db.session.deleted
    raw = {(r.scope, r.scope_ref, r.group_name): (r.value, r.numerator) for r in
           db.session.query(Measurement)}
    assert raw[("neighbourhood", "riverside", "")] == (20, None)
    assert (None, 3) in raw.values() and raw[("neighbourhood", "riverside", "18-24")] == (10, None)
