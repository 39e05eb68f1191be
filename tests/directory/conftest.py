"""A small directory: two boards, their members, staff and four services."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from pbapp.boards.models import Board, Membership
from pbapp.cycles.models import Neighbourhood
from pbapp.directory.models import Service
from pbapp.extensions import db


def _service(board, name, hoods, langs, category, **kw):
    service = Service(board=board, name=name, category=category, neighbourhoods=hoods, **kw)
    service.set_languages(langs)
    service.refresh_search_text()
    db.session.add(service)
    return service


@pytest.fixture()
def world(app, make_user):
    riverside = Neighbourhood(slug="riverside", name="Riverside")
    northgate = Neighbourhood(slug="northgate", name="Northgate")
    east = Board(slug="east-side", name="East side board")
    north = Board(slug="north-side", name="North side board")
    db.session.add_all([riverside, northgate, east, north])
    chair, other = make_user(name="Chair"), make_user(name="North member")
    resident, staff = make_user(), make_user("staff")
    past = make_user(name="Former member")
    east.memberships.append(Membership(user=chair, seat="resident", is_chair=True,
                                       term_start=date(2020, 1, 1)))
    east.memberships.append(Membership(user=past, seat="youth", term_start=date(2020, 1, 1),
                                       term_end=date(2021, 1, 1)))
    north.memberships.append(Membership(user=other, seat="police", term_start=date(2020, 1, 1)))
    shelter = _service(east, "Riverside Night Shelter", [riverside], ["en", "es"], "housing",
                       organization="Harbour Housing Trust", hours="Every night",
                       phone="+1 555 0100", website="https://shelter.example.org/",
                       description="Beds and a hot meal.", eligibility="Adults",
                       address="1 Station Road", city="Example City", postal_code="EC1 2AB")
    shelter.translate({"es": {"name": "Albergue nocturno"}})
    shelter.refresh_search_text()
    food = _service(north, "Northgate Food Bank", [northgate], ["en", "so"], "food",
                    organization="Churches Together", email="food@example.org")
    legal = _service(east, "Legal 100% free advice", [riverside, northgate], ["en"], "legal")
    crisis = _service(north, "Crisis line", [], ["en", "es"], "mental_health",
                      phone="(555) 0199")
    db.session.commit()
    return SimpleNamespace(riverside=riverside, northgate=northgate, east=east, north=north,
                           chair=chair, other=other, resident=resident, staff=staff, past=past,
                           shelter=shelter, food=food, legal=legal, crisis=crisis)
