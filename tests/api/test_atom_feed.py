"""The Atom feeds of project updates: valid Atom 1.0, no emails, sanitised HTML, cacheable."""
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

from pbapp.extensions import db
from pbapp.projects.models import ProjectUpdate

NS = {"a": "http://www.w3.org/2005/Atom"}


def parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.data)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    return root


def test_feed_has_every_update_newest_first_with_atom_essentials(client, world):
    root = parse(client.get("/feeds/project-updates.atom"))
    assert root.findtext("a:id", namespaces=NS) == "tag:localhost,2026:project-updates"
    assert root.findtext("a:title", namespaces=NS).endswith("project updates")
    assert root.findtext("a:updated", namespaces=NS) == "2026-06-01T10:30:00Z"
    self_link = root.find("a:link[@rel='self']", NS)
    assert self_link.get("href") == "http://localhost/feeds/project-updates.atom"
    entries = root.findall("a:entry", NS)
    assert [e.findtext("a:title", namespaces=NS) for e in entries] == [
        "Youth centre: Lamps are up", "Youth centre: Lease signed"]
    lamps = entries[0]
    assert lamps.findtext("a:id", namespaces=NS) == \
        f"tag:localhost,2026:project-update:{world.updates[1].id}"
    assert lamps.findtext("a:updated", namespaces=NS) == "2026-06-01T10:30:00Z"
    assert lamps.findtext("a:author/a:name", namespaces=NS) == "East board"
    link = lamps.find("a:link[@rel='alternate']", NS)
    assert link.get("href") == f"http://localhost/projects/{world.project.id}"
    content = lamps.find("a:content", NS)
    assert content.get("type") == "html"
    assert "<strong>Mill Lane</strong>" in content.text


def test_feed_never_carries_a_script_or_an_email(client, world):
    body = client.get("/feeds/project-updates.atom").data.decode()
    assert "<script" not in body and "&lt;script" not in body and "alert(" not in body
    assert "@" not in body and world.staff.email not in body and "Sam Staff" not in body


def test_feed_keeps_the_newest_fifty(client, world):
    start = datetime(2026, 7, 1, tzinfo=timezone.utc)
    db.session.add_all([ProjectUpdate(project=world.project, title=f"Week {i}", body="On track.",
                                      published_at=start + timedelta(days=i)) for i in range(55)])
    db.session.commit()
    entries = parse(client.get("/feeds/project-updates.atom")).findall("a:entry", NS)
    assert len(entries) == 50
    assert entries[0].findtext("a:title", namespaces=NS) == "Youth centre: Week 54"
    assert entries[-1].findtext("a:title", namespaces=NS) == "Youth centre: Week 5"


def test_feed_answers_if_none_match_with_304_and_changes_with_a_new_update(client, world):
    first = client.get("/feeds/project-updates.atom")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] in ("public, max-age=60", "max-age=60, public")
    again = client.get("/feeds/project-updates.atom", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    db.session.add(ProjectUpdate(project=world.project, title="Doors open", body="Come in."))
    db.session.commit()
    changed = client.get("/feeds/project-updates.atom", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_one_projects_feed_and_unknown_project(client, world):
    root = parse(client.get(f"/feeds/projects/{world.project.id}.atom"))
    assert [e.findtext("a:title", namespaces=NS) for e in root.findall("a:entry", NS)] == [
        "Lamps are up", "Lease signed"]
    assert client.get(f"/feeds/projects/{world.project.id + 99}.atom").status_code == 404


def test_an_empty_feed_is_still_valid_atom(client, app):
    root = parse(client.get("/feeds/project-updates.atom"))
    assert root.findall("a:entry", NS) == []
    assert root.findtext("a:author/a:name", namespaces=NS) == app.config["SITE_NAME"]
    assert root.findtext("a:updated", namespaces=NS) == "1970-01-01T00:00:00Z"


def test_pages_link_the_feed_in_their_head(client, world):
    page = client.get("/").data.decode()
    head = page.split("</head>")[0]
    assert ('<link rel="alternate" type="application/atom+xml" title="Project updates" '
            'href="/feeds/project-updates.atom">') in head
