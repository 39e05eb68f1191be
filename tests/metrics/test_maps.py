"""Neighbourhood maps (issue 19, item 7).

The GeoJSON reader refuses a bad file in words and as a whole, through the staff page and
``flask neighbourhoods boundaries`` alike (nothing stored, no audit event); fuzzed, it raises
nothing but its own error and every projected point lies in the SVG box. On the demo city the
cycle page, the project list and each metric page draw a map with its table, in English and
Spanish, and a metric's choropleth never colours a hidden cell nor writes a hidden number
(checked against the raw measurements behind each suppressed cell).
"""
from __future__ import annotations

import io
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import and_, func, or_, select

from pbapp.audit.models import AuditEvent
from pbapp.cycles.models import Neighbourhood
from pbapp.extensions import db
from pbapp.maps import geometry
from pbapp.maps.demo_outlines import feature_collection
from pbapp.maps.geometry import OutlinesInvalid, project, read_outlines
from pbapp.maps.models import Boundary
from pbapp.security import CSP

NAMES = {"riverside": "riverside", "hillside": "hillside"}
SQUARE = [[[0.0, 51.0], [0.01, 51.0], [0.01, 51.01], [0.0, 51.01], [0.0, 51.0]]]


def _feature(name, coordinates=SQUARE, kind="Polygon"):
    return {"type": "Feature", "properties": {"name": name},
            "geometry": {"type": kind, "coordinates": coordinates}}


def _doc(*features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


GOOD = _doc(_feature("Riverside"), _feature("hillside", [[[[0.01, 51.0], [0.02, 51.0],
                                                          [0.02, 51.01], [0.01, 51.0]]]],
                                            "MultiPolygon"))

#: (file, words the refusal must hold); each is refused whole
BAD = [
    (_doc(_feature("riverside"), {"type": "Feature", "properties": {"name": "hillside"},
                                  "geometry": {"type": "Point", "coordinates": [0, 51]}}),
     "'Point', not a Polygon or MultiPolygon"),
    (_doc(_feature("riverside"), _feature("Atlantis")), "no neighbourhood has this name"),
    (_doc(_feature("riverside"), _feature("Riverside ")), "already has an outline"),
    (_doc(_feature("riverside", [[[0, 51], [1, 51], [1, 52], [0, 52]]])),
     "does not end where it starts"),
    (_doc(_feature("riverside", [[[0, 51], [200, 51], [1, 52], [0, 51]]])),
     "is not a longitude (-180 to 180)"),
    (_doc(_feature("riverside", [[[0, 51], [10 ** 400, 51], [1, 52], [0, 51]]])),
     "is not a longitude"),
    (_doc(_feature("riverside")).replace("0.01, 51.0]", "NaN, 51.0]", 1),
     "not [longitude, latitude] in numbers"),
    (_doc(_feature("riverside")).replace("0.01, 51.0]", "1e999, 51.0]", 1),
     "not [longitude, latitude] in numbers"),
    (_doc(_feature("river\x00side")), "no neighbourhood has this name"),
    (_doc(_feature("river\u200bside"), _feature("²")), "no neighbourhood has this name"),
    (_doc(_feature("\ud800")), "no neighbourhood has this name"),
    (_doc({"type": "Feature", "properties": {}, "geometry": None}), "has no \"name\" property"),
    (_doc(), "has no features"),
    ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
    ("[" * 100_000, "not JSON"),
    ("riverside,0,51", "not JSON"),
    ("{\"type\": \"FeatureCollection\", \"features\": []}\x00", "NUL byte"),
    (b"\xff\xfe{}", "not UTF-8"),
]


@pytest.mark.parametrize("data, words", BAD, ids=range(len(BAD)))
def test_the_reader_refuses_bad_files_in_words(data, words):
    with pytest.raises(OutlinesInvalid) as refused:
        read_outlines(data, NAMES)
    assert any(words in problem for problem in refused.value.problems), refused.value.problems


def test_oversize_files_are_refused_before_reading(monkeypatch):
    monkeypatch.setattr(geometry, "MAX_BYTES", 1000)
    with pytest.raises(OutlinesInvalid, match="problem") as big:
        read_outlines(GOOD.encode() + b" " * 1000, NAMES)
    assert "larger than" in big.value.problems[0]
    monkeypatch.setattr(geometry, "MAX_POINTS", 6)
    with pytest.raises(OutlinesInvalid) as many:
        read_outlines(GOOD.encode(), NAMES)
    assert "more than 6 positions; simplify them first" in many.value.problems[0]


def test_every_problem_is_listed_by_feature():
    doc = _doc(_feature("Atlantis"), _feature("riverside", [[[0, 51], [1, 51]]]))
    with pytest.raises(OutlinesInvalid) as refused:
        read_outlines(doc, NAMES)
    assert [p.split(":")[0] for p in refused.value.problems] == [
        "Feature 1 ('Atlantis')", "Feature 2 ('riverside')"]


# --- fuzzing the reader and the projection ----------------------------------------------------

_coordinate = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                        st.floats(-180, 180), st.integers(-10 ** 30, 10 ** 30),
                        st.booleans(), st.none(), st.text(max_size=3))
_position = st.one_of(st.lists(_coordinate, max_size=4),
                      st.tuples(st.floats(-180, 180), st.floats(-90, 90)).map(list))
_ring = st.one_of(st.lists(_position, max_size=7),
                  st.lists(st.tuples(st.floats(-180, 180), st.floats(-90, 90)).map(list),
                           min_size=3, max_size=7).map(lambda r: r + [r[0]]))
_geometry = st.one_of(
    st.none(), st.integers(), st.text(max_size=5),
    st.fixed_dictionaries({"type": st.sampled_from(["Polygon", "MultiPolygon", "Point", 3]),
                           "coordinates": st.one_of(st.lists(_ring, max_size=3),
                                                    st.lists(st.lists(_ring, max_size=2),
                                                             max_size=2),
                                                    st.integers(), st.text(max_size=3))}))
_feature_strategy = st.one_of(
    st.none(), st.integers(),
    st.fixed_dictionaries({"type": st.just("Feature"),
                           "properties": st.one_of(st.none(), st.fixed_dictionaries(
                               {"name": st.one_of(st.sampled_from(["riverside", "Hillside",
                                                                   " RIVERSIDE", "x"]),
                                                  st.text(max_size=8), st.integers())})),
                           "geometry": _geometry}))
_document = st.one_of(
    st.fixed_dictionaries({"type": st.sampled_from(["FeatureCollection", "Feature"]),
                           "features": st.one_of(st.lists(_feature_strategy, max_size=4),
                                                 st.integers())}),
    st.lists(st.integers(), max_size=3), st.text(max_size=10))


def _check_projection(outlines) -> None:
    drawn = project(outlines)
    assert drawn.height >= 0 and {a.key for a in drawn.areas} == set(outlines)
    for area in drawn.areas:
        numbers = [float(n) for n in re.findall(r"-?[\d.]+(?:e[-+]?\d+)?", area.path)]
        xs, ys = numbers[0::2], numbers[1::2]
        assert all(0 <= x <= drawn.width for x in xs + [area.label_x]), area
        assert all(0 <= y <= drawn.height for y in ys + [area.label_y]), area
        assert re.fullmatch(r"(M[-\d.,eL]+Z)+", area.path), area.path


@settings(max_examples=150, deadline=None)
@given(_document)
def test_reading_any_json_raises_only_its_own_error_and_projects_into_the_box(doc):
    text = json.dumps(doc)
    try:
        outlines = read_outlines(text, NAMES)
    except OutlinesInvalid as refused:
        assert refused.problems and all(isinstance(p, str) and p for p in refused.problems)
        return
    assert set(outlines) <= set(NAMES.values())
    _check_projection(outlines)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_reading_any_bytes_raises_only_its_own_error(data):
    try:
        read_outlines(data, NAMES)
    except OutlinesInvalid:
        pass


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.lists(st.lists(
    st.lists(st.tuples(st.floats(-180, 180), st.floats(-90, 90)).map(list), min_size=4,
             max_size=8), min_size=1, max_size=2), min_size=1, max_size=2), min_size=1))
def test_any_valid_outline_projects_inside_the_box(outlines):
    _check_projection(outlines)


def test_the_demo_outlines_read_back_and_fit():
    names = {slug: slug for row in (("hillcrest", "northgate", "eastfield"),
                                    ("riverside", "old-town", "southbank")) for slug in row}
    outlines = read_outlines(json.dumps(feature_collection()), names)
    assert len(outlines) == 6
    _check_projection(outlines)


# --- the staff page and the command: all or nothing, audited ----------------------------------

@pytest.fixture()
def hoods(app):
    db.session.add_all([Neighbourhood(slug="riverside", name="Riverside"),
                        Neighbourhood(slug="hillside", name="Hillside")])
    db.session.commit()


def _stored():
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(Boundary)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)))


def _upload(client, csrf, data, name="outlines.geojson"):
    token = csrf("/maps/boundaries")
    body = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return client.post("/maps/boundaries", content_type="multipart/form-data",
                       data={"csrf_token": token, "file": (io.BytesIO(body), name)})


def test_the_staff_page_refuses_bad_files_in_words_and_imports_good_ones(
        hoods, client, login, make_user, csrf):
    login(make_user("staff"))
    for data, words in BAD[:6] + BAD[8:10] + BAD[-3:]:
        page = _upload(client, csrf, data)
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and "Nothing was imported:" in html, words
        assert words.replace("'", "&#39;").replace('"', "&#34;") in html, words
        assert _stored() == (0, 0)
    wrong_kind = _upload(client, csrf, GOOD, name="outlines.kml").get_data(as_text=True)
    assert "Upload a .geojson or .json file." in wrong_kind and _stored() == (0, 0)
    done = _upload(client, csrf, GOOD)
    assert done.status_code == 303 and _stored() == (2, 1)
    event = db.session.scalar(select(AuditEvent))
    assert event.action == "neighbourhoods.boundaries" and event.actor_id is not None
    page = client.get("/maps/boundaries").get_data(as_text=True)
    assert "Imported the outlines of 2 neighbourhoods." in page and "<svg" in page
    again = _upload(client, csrf, BAD[3][0])  # a bad file later changes no stored outline
    assert again.status_code == 200 and _stored() == (2, 1)
    client.set_cookie("lang", "es")
    spanish = _upload(client, csrf, BAD[1][0]).get_data(as_text=True)
    assert "Elemento 2 (&#39;Atlantis&#39;): ningún barrio tiene este nombre" in spanish
    assert _stored() == (2, 1)


def test_the_command_refuses_bad_files_and_imports_good_ones(hoods, runner, tmp_path):
    path = tmp_path / "outlines.geojson"
    for data, words in (BAD[0], BAD[2], BAD[6], BAD[9], BAD[-1]):
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        result = runner.invoke(args=["neighbourhoods", "boundaries", str(path)])
        assert result.exit_code != 0 and words in result.output, result.output
        assert "no outline was imported" in result.output
        assert _stored() == (0, 0)
    missing = runner.invoke(args=["neighbourhoods", "boundaries", str(tmp_path / "none")])
    assert missing.exit_code != 0 and _stored() == (0, 0)
    path.write_text(GOOD)
    result = runner.invoke(args=["neighbourhoods", "boundaries", str(path)])
    assert result.exit_code == 0 and "outlines of 2 neighbourhoods" in result.output
    assert _stored() == (2, 1)
    event = db.session.scalar(select(AuditEvent))
    assert event.action == "neighbourhoods.boundaries" and event.actor_id is None


# --- the demo city's maps ---------------------------------------------------------------------

@pytest.fixture()
def demo(app):
    from pbapp.demo import seed_demo

    list(seed_demo(ballots=200, seed=1))
    db.session.commit()


def _panel(html: str, map_id: str) -> str:
    found = re.search(r'<section class="nmap-panel" aria-labelledby="' + map_id
                      + r'-heading">.*?</section>', html, re.S)
    assert found, map_id
    return found.group(0)


def _words(panel: str) -> str:
    """What a panel says: its text nodes (titles, labels, legend, table), not path geometry."""
    return " ".join(re.sub(r"<[^>]*>", " ", panel).split())


def _table(panel: str) -> dict[str, list[str]]:
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', panel)
    return {re.sub(r"<.*", "", name, flags=re.S).strip():  # the name, not links beside it
            re.findall(r'<td class="num">(.*?)</td>', cells) for name, cells in rows}


def test_every_demo_choropleth_hatches_hidden_cells_and_never_writes_their_numbers(
        demo, client):
    from pbapp.metrics.tables import format_value
    from pbapp.metrics.models import Measurement, Metric
    from pbapp.metrics.tables import tables_for

    hoods = dict(db.session.execute(select(Neighbourhood.slug, Neighbourhood.name)).all())
    checked_hidden = 0
    for metric in db.session.scalars(select(Metric).order_by(Metric.key)).all():
        html = client.get(f"/metrics/{metric.key}").get_data(as_text=True)
        panel = _panel(html, f"map-metric-{metric.id}")
        table = max((t for t in tables_for(metric) if t.breakdown == "neighbourhood"),
                    key=lambda t: (t.period_end, t.period_start))
        words, rows = _words(panel), _table(panel)
        assert set(rows) == set(hoods.values()) and 'role="img"' in panel
        shown = {c.display for c in table.cells if c.hidden is None}
        for cell in table.cells:
            area = re.search(r'<path [^>]*fill="([^"]+)"[^>]*data-area="' + cell.group
                             + r'"[^>]*>', panel)
            assert area, cell.group
            assert rows[hoods[cell.group]] == [cell.display.replace("<", "&lt;")]
            if cell.hidden is None:
                assert "hatch" not in area.group(1) and "data-hatched" not in area.group(0)
                continue
            assert area.group(1) == f"url(#map-metric-{metric.id}-hatch)", cell
            assert "data-hatched" in area.group(0)
            raws = db.session.scalars(select(Measurement).where(
                Measurement.metric_id == metric.id,
                Measurement.period_start == table.period_start,
                Measurement.period_end == table.period_end,
                or_(and_(Measurement.scope == "neighbourhood",
                         Measurement.scope_ref == cell.group, Measurement.breakdown == ""),
                    and_(Measurement.scope == "city", Measurement.breakdown == "neighbourhood",
                         Measurement.group_name == cell.group)))).all()
            assert raws, (metric.key, cell.group)
            secrets = set()
            for raw in raws:
                secrets |= {str(n) for n in (raw.numerator, raw.denominator) if n is not None}
                if raw.value is not None:
                    value = int(raw.value) if metric.is_count else raw.value
                    secrets |= {format_value(metric, value), str(value)}
            for secret in secrets - shown - {s.rstrip("%") for s in shown}:
                assert not re.search(r"(?<![\d.])" + re.escape(secret) + r"(?![\d.])", words), \
                    (metric.key, cell.group, secret)
                checked_hidden += 1
        if any(c.hidden for c in table.cells):
            assert "hidden to protect small numbers" in words
    assert checked_hidden >= 10


def test_demo_maps_on_the_cycle_page_project_list_and_metric_page_in_both_languages(
        demo, client):
    from pbapp.cycles.models import Cycle
    from pbapp.metrics.models import Metric

    autumn = db.session.scalar(select(Cycle).where(Cycle.slug == "2026-autumn"))
    metric = db.session.scalar(select(Metric).where(Metric.key == "violent-incidents"))
    pages = {"/cycles/2026-autumn": f"map-cycle-{autumn.id}", "/projects/": "map-projects",
             "/metrics/violent-incidents": f"map-metric-{metric.id}"}
    for url, map_id in pages.items():
        response = client.get(url)
        assert response.headers["Content-Security-Policy"] == CSP and "http" not in CSP
        html = response.get_data(as_text=True)
        panel = _panel(html, map_id)
        assert panel.count("<svg") >= 2 and "<table>" in panel and len(_table(panel)) == 6
        assert 'role="img"' in panel and f'aria-labelledby="{map_id}-title"' in panel
        assert "Map key" in panel and "http" not in panel.replace(
            'xmlns="http://www.w3.org/2000/svg"', "")  # no tile, script or font from elsewhere
    cycle_panel = _panel(client.get("/cycles/2026-autumn").get_data(as_text=True),
                         f"map-cycle-{autumn.id}")
    rows = _table(cycle_panel)
    labels = re.findall(r"<text [^>]*>(\d+)</text>", cycle_panel)
    assert sorted(labels) == sorted(cells[0] for cells in rows.values())
    client.set_cookie("lang", "es")
    spanish = {"/cycles/2026-autumn": ("Propuestas y proyectos por barrio", "Leyenda del mapa"),
               "/projects/": ("Proyectos por barrio",),
               "/metrics/violent-incidents": ("oculto para proteger números pequeños",
                                              "Leyenda del mapa")}
    for url, words in spanish.items():
        panel = _panel(client.get(url, headers={"Accept-Language": "es"})
                       .get_data(as_text=True), pages[url])
        for word in words:
            assert word in panel, (url, word)
        assert "Neighbourhood" not in panel and "Map key" not in panel, url


def test_value_maps_never_shade_a_hidden_cell_whatever_it_carries(app):
    """Even were a hidden cell handed its value, it is hatched and leaves the key's range."""
    from pbapp.maps.demo_outlines import LAYOUT, add_demo_outlines
    from pbapp.maps.services import value_map

    hoods = {slug: Neighbourhood(slug=slug, name=slug.title()) for row in LAYOUT for slug in row}
    db.session.add_all(hoods.values())
    db.session.flush()
    add_demo_outlines(hoods)
    db.session.commit()

    cells = {"hillcrest": (999.0, "small", "<11"), "riverside": (5.0, None, "5"),
             "eastfield": (7.0, None, "7"), "old-town": (-3.0, "complementary", "—")}
    view = value_map("m", "t", cells)
    by_key = {s.key: s for s in view.shapes}
    assert by_key["hillcrest"].hatched and by_key["hillcrest"].shade is None
    assert by_key["old-town"].hatched and by_key["old-town"].shade is None
    assert by_key["northgate"].shade is None and not by_key["northgate"].hatched
    legend = " ".join(text for text, _s, _h in view.legend)
    assert "999" not in legend and "-3" not in legend and "highest shown: 7" in legend
    assert all("999" not in s.title and s.label == "" for s in view.shapes)
