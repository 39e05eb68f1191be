"""Conditional requests: a strong ETag from the body, 304 when it still matches, a new one
when the data changes."""
import hashlib

from pbapp.extensions import db
from pbapp.projects.models import ProjectUpdate


def test_every_200_has_a_strong_body_etag_and_public_caching(api, world):
    for url in ("/api/v1/cycles", "/api/v1/cycles/spring/results", "/api/v1/openapi.json",
                f"/api/v1/projects/{world.project.id}", "/api/v1/metrics/injuries/measurements"):
        response = api.get(url)
        etag, weak = response.get_etag()
        assert not weak and etag == hashlib.sha256(response.data).hexdigest()
        assert response.headers["ETag"] == f'"{etag}"'
        assert response.headers["Cache-Control"] in ("public, max-age=60", "max-age=60, public")
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_if_none_match_gives_304_without_a_body(api, world, client):
    first = api.get("/api/v1/cycles/spring")
    etag = first.headers["ETag"]
    again = api.get("/api/v1/cycles/spring", 304, headers={"If-None-Match": etag})
    assert again.data == b"" and again.headers["ETag"] == etag
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    listed = api.get("/api/v1/cycles", 304, headers={"If-None-Match": f'"x", {etag}, '
                                                       + api.get("/api/v1/cycles").headers["ETag"]})
    assert listed.data == b""
    other = client.get("/api/v1/cycles/spring", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200 and other.data == first.data


def test_etag_changes_when_the_data_changes(api, world):
    url = f"/api/v1/projects/{world.project.id}"
    before = api.get(url).headers["ETag"]
    assert api.get(url).headers["ETag"] == before  # same data, same tag
    db.session.add(ProjectUpdate(project=world.project, title="Doors open", body="Come in."))
    db.session.commit()
    after = api.get(url, 200, headers={"If-None-Match": before})
    assert after.headers["ETag"] != before
    assert after.get_json()["updates"][0]["title"] == "Doors open"


def test_errors_carry_no_etag(api, world):
    response = api.get("/api/v1/cycles/autumn", 404)
    assert "ETag" not in response.headers
    assert api.get("/api/v1/cycles?page=0", 400).get_etag() == (None, None)


def test_any_site_may_read_the_api_and_revalidate_it(client, world):
    preflight = client.options("/api/v1/cycles/spring", headers={
        "Origin": "https://example.net", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "ETag" not in preflight.headers
    response = client.get("/api/v1/cycles/spring", headers={"Origin": "https://example.net"})
    assert response.headers["Access-Control-Expose-Headers"] == "ETag"
