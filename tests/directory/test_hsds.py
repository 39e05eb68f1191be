"""The directory in HSDS 3.0 (issue 20, part 4): export → import gives the same directory, a
re-import updates in place, a file with bad records changes nothing and names each, and the
reader, fuzzed, raises nothing but its own refusal."""
from __future__ import annotations

import copy
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.directory.hsds import (MAX_BYTES, DirectoryImportInvalid, export_document,
                                  import_document, read_document)
from pbapp.directory.models import Service
from pbapp.extensions import db


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_export_then_import_gives_the_same_directory(client, runner, world, tmp_path):
    doc = client.get("/directory/hsds.json").get_json()
    assert doc["hsds_version"] == "3.0"
    for table in ("organizations", "services", "locations", "service_at_locations", "phones",
                  "schedules", "languages", "service_areas"):
        assert doc[table], table
    shelter = next(s for s in doc["services"] if s["name"] == "Riverside Night Shelter")
    assert shelter["url"] == "https://shelter.example.org/"
    assert {a["name"] for a in doc["service_areas"] if a["service_id"] == shelter["id"]} == {
        "Riverside"}
    assert client.get("/directory/hsds.json").get_json() == doc  # the same file each time
    spanish = world.shelter.translations
    for service in db.session.scalars(select(Service)):
        db.session.delete(service)
    db.session.commit()
    path = tmp_path / "city.json"
    path.write_text(json.dumps(doc))
    result = runner.invoke(args=["directory", "import", str(path), "--board", "east-side"])
    assert result.exit_code == 0, result.output
    assert "4 new entries, 0 updated" in result.output
    assert client.get("/directory/hsds.json").get_json() == doc
    assert {s.board_id for s in db.session.scalars(select(Service))} == {world.east.id}
    # the same file again: nothing new, nothing changed; an edited name updates in place
    result = runner.invoke(args=["directory", "import", str(path)])
    assert "0 new entries, 0 updated" in result.output
    ids = {s.hsds_id: s.id for s in db.session.scalars(select(Service))}
    shelter["name"] = "Riverside Night Shelter and Day Centre"
    path.write_text(json.dumps(doc))
    assert "0 new entries, 1 updated" in runner.invoke(
        args=["directory", "import", str(path)]).output
    db.session.expire_all()
    assert {s.hsds_id: s.id for s in db.session.scalars(select(Service))} == ids
    renamed = db.session.get(Service, ids[shelter["id"]])
    assert renamed.name == "Riverside Night Shelter and Day Centre"
    assert client.get("/directory/hsds.json").get_json() == doc
    assert [e.action for e in db.session.scalars(select(AuditEvent))] == [
        "directory.import"] * 3
    assert spanish  # Spanish texts are the site's own: HSDS does not carry them


def _bad(doc, table, index, **changes):
    doc = copy.deepcopy(doc)
    doc[table][index].update(changes)
    return doc


def test_a_file_with_bad_records_changes_nothing(client, login, csrf, runner, world,
                                                tmp_path):
    doc = export_document()
    before = export_document()
    shelter = next(i for i, s in enumerate(doc["services"]) if s["name"].startswith("River"))
    bad = _bad(doc, "services", shelter, url="javascript:alert(1)", name="Renamed")
    bad["services"][(shelter + 1) % 4]["email"] = "nobody"
    bad["service_areas"][0]["name"] = "Atlantis"
    bad["phones"][0]["number"] = "ring ring"
    bad["languages"].append({"id": "x1", "service_id": "no-such-service", "code": "en"})
    bad["services"].append(dict(bad["services"][0]))  # a repeated id
    with pytest.raises(DirectoryImportInvalid) as refused:
        import_document(json.dumps(bad), None)
    lines = refused.value.lines(lambda m, **v: m % v if v else m)
    text = "\n".join(lines)
    for words in ("url is not a web address", "email is not an email address",
                  "no neighbourhood is called “Atlantis”", "number is not a phone number",
                  "refers to service_id “no-such-service”", "repeats an id"):
        assert words in text, words
    assert f"services[{shelter}] ({doc['services'][shelter]['id']})" in text
    db.session.rollback()
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    result = runner.invoke(args=["directory", "import", str(path)])
    assert result.exit_code != 0 and "nothing was imported" in result.output
    login(world.staff)
    page = client.post("/directory/import", data={
        "csrf_token": csrf("/directory/import"), "board_id": "0",
        "file": (io.BytesIO(json.dumps(bad).encode()), "city.json")},
        content_type="multipart/form-data")
    assert page.status_code == 200 and "Nothing was imported" in page.get_data(True)
    assert "Atlantis" in page.get_data(True)
    spanish = client.post("/directory/import", headers={"Accept-Language": "es"}, data={
        "csrf_token": csrf("/directory/import"), "board_id": "0",
        "file": (io.BytesIO(json.dumps(bad).encode()), "city.json")},
        content_type="multipart/form-data")
    assert "Atlantis" in spanish.get_data(True)
    db.session.expire_all()
    assert export_document() == before and _count(AuditEvent) == 0


@pytest.mark.parametrize("data, words", [
    (b'{"services": []}\x00', "NUL"),
    (b"\xff\xfe{}", "not UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "not JSON"),
    (b'{"services": [{"id": "a", "name": NaN}]}', "not JSON"),
    (b'{"services": {}}', "needs a list"),
    (b'{"services": [{"id": "1' + b"9" * 5000 + b'"}]}', "id"),
    (b" " * (MAX_BYTES + 1), "larger than"),
])
def test_hostile_files_are_refused_clearly(data, words):
    with pytest.raises(DirectoryImportInvalid) as refused:
        read_document(data, {})
    assert words in "\n".join(refused.value.lines(lambda m, **v: m % v if v else m))


GOOD = {"organizations": [{"id": "o1", "name": "Org"}],
        "services": [{"id": "s1", "organization_id": "o1", "name": "Help", "url": "https://a.b/",
                      "email": "a@b.org", "description": "Text"}],
        "locations": [{"id": "l1"}], "addresses": [{"id": "a1", "location_id": "l1",
                                                      "address_1": "1 Road", "city": "Town"}],
        "service_at_locations": [{"id": "x", "service_id": "s1", "location_id": "l1"}],
        "phones": [{"id": "p", "service_id": "s1", "number": "555 0100"}],
        "schedules": [{"id": "h", "service_id": "s1", "description": "Mondays"}],
        "languages": [{"id": "g", "service_id": "s1", "code": "es"}],
        "service_areas": [{"id": "r", "service_id": "s1", "name": "Riverside"}]}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=3), max_leaves=8)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(table=st.sampled_from(sorted(GOOD)), field=st.sampled_from(
    ["id", "name", "url", "email", "number", "code", "service_id", "organization_id",
     "location_id", "description", "city", "address_1"]), value=json_values)
def test_fuzzed_records_raise_nothing_but_a_refusal(table, field, value):
    doc = copy.deepcopy(GOOD)
    doc[table][0][field] = value
    try:
        items = read_document(json.dumps(doc), {"riverside": 1})
    except DirectoryImportInvalid as error:
        assert error.problems
    else:
        assert len(items) == 1


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "replace")))
def test_fuzzed_bytes_raise_nothing_but_a_refusal(data):
    try:
        read_document(data, {})
    except DirectoryImportInvalid:
        pass


def test_the_good_document_reads():
    (item,) = read_document(json.dumps(GOOD), {"riverside": 7})
    assert item["neighbourhoods"] == [7] and item["languages"] == ["es"]
    assert (item["address"], item["city"], item["phone"]) == ("1 Road", "Town", "555 0100")
    bidi = copy.deepcopy(GOOD)
    bidi["services"][0]["name"] = "Help\u202egnp.exe"
    with pytest.raises(DirectoryImportInvalid, match="problem"):
        read_document(json.dumps(bidi), {"riverside": 7})
