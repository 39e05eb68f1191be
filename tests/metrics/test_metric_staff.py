"""Staff keep the catalogue and enter measurements by hand; nobody else can."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pbapp.audit.models import AuditEvent
from pbapp.extensions import db
from pbapp.metrics.models import Measurement, Metric
from tests.conftest import main_of

METRIC_FORM = {"key": "feel-safe", "name": "Residents who feel safe",
               "definition": "Share answering *safe* or *very safe*.", "unit": "%",
               "kind": "percent", "rate_per": "", "better": "higher", "source": "survey",
               "supplier": "Council survey team", "frequency": "yearly",
               "sharing_what": "Answers by age band.", "sharing_consent": "Opt-in survey.",
               "sharing_retention": "Two years."}
STAFF_PAGES = ["/metrics/new", "/metrics/violent-injuries/edit",
               "/metrics/violent-injuries/measurements",
               "/metrics/violent-injuries/measurements/new", "/metrics/import"]


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_anonymous_is_sent_to_sign_in(client, make_metric, session_token, counts, path):
    make_metric()
    before = counts()
    pages = [client.get(path)]
    if not path.endswith("/measurements"):  # the raw list is read-only
        pages.append(client.post(path, data={"csrf_token": session_token()}))
    for page in pages:
        assert page.status_code == 302 and "/login" in page.headers["Location"]
    assert counts() == before


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_residents_are_refused(client, make_metric, make_user, login, session_token, counts,
                               path):
    make_metric()
    login(make_user("resident"))
    before = counts()
    assert client.get(path).status_code == 403
    if not path.endswith("/measurements"):
        assert client.post(path, data={**METRIC_FORM, "csrf_token": session_token()}
                           ).status_code == 403
    assert counts() == before


def test_staff_create_a_metric_with_every_field(client, staff, csrf, counts):
    page = client.post("/metrics/new", data={**METRIC_FORM, "csrf_token": csrf("/metrics/new")})
    assert page.status_code == 303 and page.headers["Location"].endswith("/metrics/feel-safe")
    metric = db.session.scalar(select(Metric).where(Metric.key == "feel-safe"))
    for name, value in METRIC_FORM.items():
        assert getattr(metric, name) == (value or None if name == "rate_per" else value), name
    event = _audit("metric.create")[0]
    assert event.actor_id == staff.id and event.target == "metric:feel-safe"
    assert "sharing_consent" in event.detail["changed"]
    html = main_of(client.get("/metrics/feel-safe").data).decode()
    assert "Opt-in survey." in html and "Edit metric" in html


@pytest.mark.parametrize("key, error", [
    ("Violent Injuries", "lowercase"), ("violent--injuries", "lowercase"), ("", "key"),
    ("new", "reserved"), ("import", "reserved"), ("violent-injuries", "already has the key")])
def test_bad_or_taken_keys_are_refused(client, staff, csrf, make_metric, counts, key, error):
    make_metric("violent-injuries")
    before = counts()
    page = client.post("/metrics/new", data={**METRIC_FORM, "key": key,
                                             "csrf_token": csrf("/metrics/new")})
    assert page.status_code == 200
    assert error in page.data.decode()
    assert counts() == before


def test_a_rate_needs_what_it_is_per(client, staff, csrf, counts):
    before = counts()
    page = client.post("/metrics/new", data={**METRIC_FORM, "kind": "rate",
                                             "csrf_token": csrf("/metrics/new")})
    assert "A rate needs what it is per" in page.data.decode()
    assert counts() == before


def test_staff_edit_a_metric_and_the_change_is_audited(client, staff, csrf, make_metric):
    metric = make_metric("violent-injuries", name="Violent injuries", unit="injuries")
    form = client.get("/metrics/violent-injuries/edit").data.decode()
    assert 'value="Violent injuries"' in form
    page = client.post("/metrics/violent-injuries/edit", data={
        **METRIC_FORM, "key": "violent-injuries", "name": "Assault injuries",
        "kind": "count", "csrf_token": csrf("/metrics/violent-injuries/edit")})
    assert page.status_code == 303
    db.session.expire_all()
    assert db.session.get(Metric, metric.id).name == "Assault injuries"
    event = _audit("metric.update")[0]
    assert "name" in event.detail["changed"] and "key" not in event.detail["changed"]


def test_staff_give_the_metric_in_spanish_and_it_is_audited(client, staff, csrf, make_metric):
    """Issue 18: optional Spanish words; Spanish readers see them, English ones and the API
    the originals; a Spanish unit too long is refused and changes nothing."""
    metric = make_metric("violent-injuries", name="Violent injuries", unit="injuries")
    url, es = "/metrics/violent-injuries/edit", {"Accept-Language": "es"}
    data = {**METRIC_FORM, "key": "violent-injuries", "name": "Violent injuries",
            "unit": "injuries", "kind": "count", "name_es": " Lesiones por violencia ",
            "unit_es": "lesiones", "definition_es": "Cuenta *todas* las lesiones."}
    too_long = client.post(url, data={**data, "unit_es": "x" * 41, "csrf_token": csrf(url)})
    assert too_long.status_code == 200
    db.session.expire_all()
    assert db.session.get(Metric, metric.id).translations == {}
    assert client.post(url, data={**data, "csrf_token": csrf(url)}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Metric, metric.id).translations == {"es": {
        "name": "Lesiones por violencia", "unit": "lesiones",
        "definition": "Cuenta *todas* las lesiones."}}
    changed = _audit("metric.update")[-1].detail["changed"]
    assert {"name_es", "unit_es", "definition_es"} <= set(changed) and "name" not in changed
    assert 'value="Lesiones por violencia"' in client.get(url).data.decode()
    spanish = client.get("/metrics/violent-injuries", headers=es).data.decode()
    assert "<h1>Lesiones por violencia</h1>" in spanish and "<em>todas</em>" in spanish
    assert "Violent injuries" not in spanish
    assert "<h1>Violent injuries</h1>" in client.get("/metrics/violent-injuries").data.decode()
    # emptied, the English shows again
    assert client.post(url, data={**data, "name_es": "", "unit_es": "", "definition_es": "",
                                  "csrf_token": csrf(url)}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Metric, metric.id).translations == {}


def test_editing_to_another_metrics_key_is_refused(client, staff, csrf, make_metric):
    make_metric("violent-injuries")
    make_metric("feel-safe", kind="percent")
    page = client.post("/metrics/violent-injuries/edit", data={
        **METRIC_FORM, "kind": "count", "csrf_token": csrf("/metrics/violent-injuries/edit")})
    assert "Another metric already has the key" in page.data.decode()
    db.session.expire_all()
    assert db.session.scalar(select(Metric.name).where(Metric.key == "violent-injuries")) \
        == "Violent injuries"


def test_staff_edit_of_unknown_metric_is_404(client, staff):
    assert client.get("/metrics/nope/edit").status_code == 404
    assert client.get("/metrics/nope/measurements/new").status_code == 404


# Measurements ----------------------------------------------------------------------------------

ENTRY = {"scope": "city", "neighbourhood": "", "project": "", "period_start": "2026-01-01",
         "period_end": "2026-03-31", "value": "42", "numerator": "", "denominator": "",
         "breakdown": "", "group": "", "source": "A&E monthly return", "note": ""}
NEW = "/metrics/violent-injuries/measurements/new"


def _enter(client, csrf, **changes):
    return client.post(NEW, data={**ENTRY, **changes, "csrf_token": csrf(NEW)})


def test_staff_enter_a_city_total(client, staff, csrf, make_metric):
    make_metric()
    page = _enter(client, csrf)
    assert page.status_code == 303
    assert page.headers["Location"].endswith("/metrics/violent-injuries/measurements")
    m = db.session.scalar(select(Measurement))
    assert (m.scope, m.scope_ref, m.value, m.period_start, m.source, m.entered_by_id) == (
        "city", "", 42, date(2026, 1, 1), "A&E monthly return", staff.id)
    assert _audit("measurement.add")[0].detail["scope"] == "city"


def test_staff_enter_neighbourhood_and_project_cells(client, staff, csrf, make_metric,
                                                     make_hood, make_user):
    from pbapp.boards.models import Board
    from pbapp.cycles.models import Cycle
    from pbapp.projects.models import Project
    from pbapp.proposals.models import Proposal

    make_metric()
    hood = make_hood("northside", "Northside")
    board = Board(slug="east", name="East")
    cycle = Cycle(slug="c1", name="C1", budget_cents=100, phase="implementation")
    project = Project(proposal=Proposal(cycle=cycle, board=board, title="Lights", summary="",
                                        cost_cents=100, status="funded"),
                      cycle=cycle, board=board, title="Lights", budget_cents=100)
    db.session.add(project)
    db.session.commit()
    assert _enter(client, csrf, scope="neighbourhood", neighbourhood="northside",
                  breakdown="age_band", group="18-24", value="3").status_code == 303
    assert _enter(client, csrf, scope="project", project=str(project.id)).status_code == 303
    cells = {m.scope: m for m in db.session.scalars(select(Measurement))}
    assert cells["neighbourhood"].neighbourhood_id == hood.id
    assert (cells["neighbourhood"].breakdown, cells["neighbourhood"].group_name) == (
        "age_band", "18-24")
    assert cells["project"].project_id == project.id
    assert cells["project"].scope_ref == str(project.id)


@pytest.mark.parametrize("changes, error", [
    ({"period_end": "2025-12-31"}, "Period end (2025-12-31) is before the start of the period"),
    ({"period_start": "31/01/2026"}, "is not a date written YYYY-MM-DD"),
    ({"period_start": ""}, "Period start is missing"),
    ({"value": "-3"}, "is negative"),
    ({"value": "4.5"}, "is not a whole number"),
    ({"value": ""}, "Value is missing"),
    ({"numerator": "3", "denominator": "20"}, "is not used for a count"),
    ({"breakdown": "gender"}, "Group is missing"),
    ({"group": "women"}, "must be empty for a total"),
    ({"breakdown": "neighbourhood", "group": "atlantis"}, "not a known neighbourhood"),
    ({"scope": "neighbourhood"}, "give the neighbourhood"),
    ({"scope": "region"}, "Scope “region” is not a scope"),
    ({"scope": "project", "project": "9999"}, "Project “9999” is not the id of a funded project"),
    ({"breakdown": "religion", "group": "x"}, "Breakdown “religion” is not a breakdown"),
])
def test_bad_entries_are_refused_with_a_clear_error(client, staff, csrf, make_metric, counts,
                                                    changes, error):
    make_metric()
    before = counts()
    page = _enter(client, csrf, **changes)
    assert page.status_code == 200
    assert error in page.data.decode().replace("&#39;", "'")
    assert counts() == before


@pytest.mark.parametrize("changes, error", [
    ({"value": ""}, "needs a value, or a numerator and denominator"),
    ({"value": "", "numerator": "5"}, "Denominator is missing"),
    ({"value": "", "numerator": "30", "denominator": "20"}, "cannot be over 100"),
    ({"value": "", "numerator": "3", "denominator": "0"}, "must be at least 1"),
    ({"value": "40", "numerator": "3", "denominator": "10"}, "cannot both be given"),
    ({"value": "140"}, "is over 100"),
])
def test_percent_needs_numerator_and_denominator_or_a_value(client, staff, csrf, make_metric,
                                                            counts, changes, error):
    make_metric("violent-injuries", kind="percent")
    before = counts()
    page = _enter(client, csrf, **changes)
    assert error in page.data.decode()
    assert counts() == before


def test_percent_from_numerator_and_denominator(client, staff, csrf, make_metric):
    make_metric("violent-injuries", kind="percent")
    assert _enter(client, csrf, value="", numerator="30", denominator="40").status_code == 303
    m = db.session.scalar(select(Measurement))
    assert (m.value, m.numerator, m.denominator, m.effective_value) == (None, 30, 40, 75.0)


def test_an_existing_cell_is_refused_and_left_alone(client, staff, csrf, make_metric, measure,
                                                    counts):
    metric = make_metric()
    measure(metric, 42, date(2026, 1, 1), date(2026, 3, 31))
    before = counts()
    page = _enter(client, csrf, value="50")
    assert page.status_code == 200
    assert "There is already a measurement for this cell" in page.data.decode()
    assert counts() == before
    db.session.expire_all()
    assert db.session.scalar(select(Measurement.value)) == 42


def test_staff_see_raw_values_that_the_public_page_hides(client, staff, make_metric, measure,
                                                         make_user, login):
    metric = make_metric()
    measure(metric, 7, note="seven exactly")
    page = client.get("/metrics/violent-injuries/measurements")
    assert page.status_code == 200
    html = main_of(page.data).decode()
    assert '<td class="num">7</td>' in html and "seven exactly" in html
    public = client.get("/metrics/violent-injuries").data.decode()
    assert "&lt;11" in public and "seven exactly" not in public
    login(make_user("resident"))
    assert client.get("/metrics/violent-injuries/measurements").status_code == 403
