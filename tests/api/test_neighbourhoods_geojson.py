"""The maps' data in the open data (issue 19, item 7): /api/v1/neighbourhoods is a GeoJSON
FeatureCollection of every neighbourhood and its outline, which the site's own importer reads
back unchanged; and a cycle says whether it requires an address and how big its register is,
never which addresses it holds."""
import json

from pbapp.addresses.register import import_register
from pbapp.extensions import db
from pbapp.maps.geometry import read_outlines
from pbapp.maps.models import Boundary


def test_neighbourhoods_are_geojson_that_reads_back(api, world):
    [RIVERSIDE_OUTLINE] = db.session.get(Boundary, world.riverside.id).polygons
    body = api.json("/api/v1/neighbourhoods")
    assert body["type"] == "FeatureCollection"
    by_id = {f["id"]: f for f in body["features"]}
    assert list(by_id) == ["hillside", "riverside"]
    assert by_id["hillside"]["geometry"] is None
    assert by_id["riverside"] == {
        "type": "Feature", "id": "riverside", "properties": {"slug": "riverside",
                                                            "name": "Riverside"},
        "geometry": {"type": "MultiPolygon", "coordinates": [RIVERSIDE_OUTLINE]}}
    outlined = {**body, "features": [by_id["riverside"]]}
    assert read_outlines(json.dumps(outlined), {"riverside": "riverside"}) == {
        "riverside": [RIVERSIDE_OUTLINE]}
    page = api.client.get("/open-data").get_data(as_text=True)
    assert '<a href="/api/v1/neighbourhoods">' in page and "GeoJSON" in page
    index = api.json("/api/v1/")
    assert {"name": "neighbourhoods", "href": "/api/v1/neighbourhoods"} in [
        {k: r[k] for k in ("name", "href")} for r in index["resources"]]


def test_a_cycle_gives_its_register_size_and_never_an_address(api, world):
    cycle = api.json("/api/v1/cycles/spring")
    assert cycle["requires_address"] is False and cycle["address_register_size"] == 0
    world.spring.require_address = True
    phase, world.spring.phase = world.spring.phase, "voting"  # a register changes until then
    import_register(world.spring, b"address,postcode,neighbourhood\n"
                                  b"12 Secret Street,AB1 2CD,riverside\n"
                                  b"14 Secret St,AB1 2CD,riverside\n"
                                  b"9 Hidden Lane,ZZ9 9ZZ,hillside\n", None)
    world.spring.phase = phase
    db.session.commit()
    for url in ("/api/v1/cycles/spring", "/api/v1/cycles"):
        text = api.get(url).get_data(as_text=True)
        assert "Secret" not in text and "Hidden" not in text and "AB1" not in text
    cycle = api.json("/api/v1/cycles/spring")
    assert cycle["requires_address"] is True and cycle["address_register_size"] == 3
