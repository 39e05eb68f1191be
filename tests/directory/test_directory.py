"""Help near you (issue 20, part 4): the public directory's search and filters, who may keep
which entries, and the audit of every change; on both databases."""
from __future__ import annotations

from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.directory.models import Service
from pbapp.extensions import db


def _listed(client, query: str) -> tuple[int, set[str]]:
    page = client.get(f"/directory{query}")
    text = page.get_data(as_text=True)
    names = {s.name for s in db.session.scalars(select(Service)) if f">{s.name}<" in text
             or f">{s.text('name', 'es')}<" in text}
    return page.status_code, names


def test_search_and_filters(client, world):
    assert _listed(client, "") == (200, {"Riverside Night Shelter", "Northgate Food Bank",
                                         "Legal 100% free advice", "Crisis line"})
    assert _listed(client, "?q=shelter")[1] == {"Riverside Night Shelter"}
    assert _listed(client, "?q=HARBOUR+trust")[1] == {"Riverside Night Shelter"}
    assert _listed(client, "?q=albergue")[1] == {"Riverside Night Shelter"}  # its Spanish name
    assert _listed(client, "?q=100%25")[1] == {"Legal 100% free advice"}  # % is not a wildcard
    assert _listed(client, "?q=_")[1] == set()
    assert _listed(client, "?neighbourhood=northgate")[1] == {"Northgate Food Bank",
                                                             "Legal 100% free advice"}
    assert _listed(client, "?language=es")[1] == {"Riverside Night Shelter", "Crisis line"}
    assert _listed(client, "?language=so&neighbourhood=northgate&category=food&q=")[1] == {
        "Northgate Food Bank"}
    assert _listed(client, "?category=legal&neighbourhood=riverside")[1] == {
        "Legal 100% free advice"}
    assert _listed(client, "?q=nothing+like+this")[1] == set()
    page = client.get("/directory?language=es", headers={"HX-Request": "true"})
    assert page.status_code == 200 and b"<html" not in page.data  # htmx gets the results only
    assert b"Crisis line" in page.data and "HX-Request" in page.headers["Vary"]
    spanish = client.get("/directory/%d" % world.shelter.id, headers={"Accept-Language": "es"})
    assert "Albergue nocturno" in spanish.get_data(as_text=True)
    board = client.get("/boards/east-side").get_data(as_text=True)  # the board lists its own
    assert "Riverside Night Shelter" in board and "Northgate Food Bank" not in board


def test_bad_parameters_are_named_never_a_500(client, world):
    for query, words in [("?neighbourhood=atlantis", "atlantis"), ("?language=xx", "xx"),
                         ("?category=weapons", "weapons"), ("?q=" + "a" * 201, "200"),
                         ("?neighbourhood=%C2%B2", "²"), ("?language=,en,", ",en,"),
                         ("?category=housing&category=nonsense", None)]:
        page = client.get("/directory" + query)
        text = page.get_data(as_text=True)
        if words is None:
            assert page.status_code == 200
            continue
        assert page.status_code == 400, query
        assert words in text and "Riverside Night Shelter" in text  # the page still works
    for query in ["?q=%00", "?q=%FF", "?neighbourhood=%00", "?q=%ED%A0%80"]:
        assert client.get("/directory" + query).status_code == 400
    for url in ["/directory/999999", "/directory/99999999999999999999", "/directory/-1",
                "/directory/%C2%B2", "/directory/1x"]:
        assert client.get(url).status_code == 404


def _form(service, **changes) -> dict:
    data = {"name": service.name, "organization": service.organization,
            "board_id": str(service.board_id), "category": service.category,
            "description": service.description, "eligibility": service.eligibility,
            "address": service.address, "city": service.city,
            "postal_code": service.postal_code, "hours": service.hours,
            "phone": service.phone, "email": service.email, "website": service.website,
            "languages": service.language_codes,
            "neighbourhoods": [str(h.id) for h in service.neighbourhoods]}
    data.update(changes)
    return data


def test_who_may_keep_which_entries(client, login, csrf, world):
    shelter, food = world.shelter, world.food
    assert client.get("/directory/new").status_code == 302
    for user in (world.resident, world.past):  # a seat whose term ended grants nothing
        login(user)
        assert client.get("/directory/new").status_code == 403
        assert client.get(f"/directory/{shelter.id}/edit").status_code == 403
        assert client.post(f"/directory/{shelter.id}/delete").status_code in (400, 403)
    login(world.other)  # the North board's member: North's entries only
    assert client.get(f"/directory/{food.id}/edit").status_code == 200
    assert client.get(f"/directory/{shelter.id}/edit").status_code == 403
    token = csrf(f"/directory/{food.id}/edit")
    assert client.post(f"/directory/{shelter.id}/edit",
                       data=_form(shelter, name="Taken over", csrf_token=token)).status_code == 403
    assert client.post(f"/directory/{shelter.id}/delete",
                       data={"csrf_token": token}).status_code == 403
    # moving one's own entry to a board one does not sit on is refused, nothing changes
    page = client.post(f"/directory/{food.id}/edit",
                       data=_form(food, board_id=str(world.east.id), csrf_token=token))
    assert page.status_code == 200 and 'id="board_id-error"' in page.get_data(True)
    db.session.expire_all()
    assert food.board_id == world.north.id and shelter.name == "Riverside Night Shelter"
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0
    login(world.staff)  # staff keep every entry
    assert client.get(f"/directory/{shelter.id}/edit").status_code == 200
    assert client.get("/directory/import").status_code == 200
    login(world.chair)
    assert client.get("/directory/import").status_code == 403


def test_changes_are_checked_and_audited(client, login, csrf, world, make_cycle,
                                         make_proposal):
    from pbapp.projects.models import Project

    cycle = make_cycle()
    proposal = make_proposal(cycle, "Safe streets")
    project = Project(proposal=proposal, cycle=cycle, board_id=proposal.board_id,
                      title="Safe streets", budget_cents=100)
    db.session.add(project)
    db.session.commit()
    login(world.chair)
    token = csrf("/directory/new")
    new = {"name": "Youth bus", "board_id": str(world.east.id), "category": "youth",
           "languages": ["en", "es"], "neighbourhoods": [str(world.riverside.id)],
           "website": "https://bus.example.org", "phone": "+1 555 0123", "csrf_token": token,
           "name_es": "Autobús juvenil", "projects": [str(project.id)]}
    for field, bad in [("website", "javascript:alert(1)"), ("website", "data:text/html,hi"),
                       ("website", "//evil.example"), ("email", "not an email"),
                       ("phone", "call me"), ("name", "Bus\u202e"), ("name", "x" * 201),
                       ("board_id", str(world.north.id)), ("category", "weapons"),
                       ("neighbourhoods", ["999999"])]:
        page = client.post("/directory/new", data={**new, field: bad})
        assert page.status_code == 200, (field, bad)
        assert 'aria-invalid="true"' in page.get_data(True) or "sit on" in page.get_data(True)
    assert db.session.scalar(select(func.count(Service.id))) == 4
    page = client.post("/directory/new", data=new)
    assert page.status_code == 303
    bus = db.session.scalar(select(Service).where(Service.name == "Youth bus"))
    assert bus.language_codes == ["en", "es"] and bus.board_id == world.east.id
    assert [p.id for p in bus.projects] == [project.id]
    shown = client.get(f"/projects/{project.id}").get_data(True)
    assert f"/directory/{bus.id}" in shown and "Youth bus" in shown
    page = client.post(f"/directory/{bus.id}/edit", data={**new, "hours": "Fridays"})
    assert page.status_code == 303
    page = client.post(f"/directory/{bus.id}/delete", data={"csrf_token": token})
    assert page.status_code == 303 and db.session.get(Service, bus.id) is None
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.target, e.actor_id) for e in events] == [
        ("service.create", f"service:{bus.id}", world.chair.id),
        ("service.update", f"service:{bus.id}", world.chair.id),
        ("service.delete", f"service:{bus.id}", world.chair.id)]
    assert events[1].detail["changed"] == ["hours"]
    login(world.staff)
    log = client.get("/staff/audit/").get_data(True)
    for words in ("added a service to the directory", "changed a directory entry",
                  "removed a service from the directory"):
        assert words in log
