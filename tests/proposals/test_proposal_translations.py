"""Proposals in several languages: Spanish texts for Spanish readers, the original otherwise."""
import pytest
from sqlalchemy import select

from pbapp.extensions import db
from pbapp.proposals import services as svc
from pbapp.proposals.models import Proposal

ES = {"Accept-Language": "es"}
EN = {"Accept-Language": "en"}
SPANISH = {"title": "Interruptores de violencia",
           "summary": "Mensajeros creíbles median en disputas.",
           "description": "**Por qué:** represalias."}


def draft_data(**kw) -> dict:
    data = {"title": "Summer youth jobs", "summary": "Paid placements for 120 young people.",
            "description": "**Why:** idle summers.", "problem": "Violence peaks in August.",
            "root_cause": "", "cost": "150000", "metrics": ""}
    data.update(kw)
    return data


@pytest.fixture()
def world(make_cycle, make_board, make_member):
    cycle = make_cycle()
    board = make_board()
    return {"cycle": cycle, "board": board, "member": make_member(board)}


def test_text_prefers_translation_and_falls_back():
    proposal = Proposal(title="Lights", summary="More lights.", description="Why",
                        translations={"es": {"title": "Luces", "summary": "  "}})
    assert proposal.text("title", "es") == "Luces"
    assert proposal.text("title", "es_MX") == "Luces"
    assert proposal.text("summary", "es") == "More lights."  # blank: the original
    assert proposal.text("description", "es") == "Why"
    assert proposal.text("title", "en") == "Lights"
    assert proposal.text("title", None) == "Lights"
    assert Proposal(title="T", summary="S").text("title", "es") == "T"  # no translations yet


def test_public_pages_show_spanish_to_spanish_readers(client, world, make_proposal):
    proposal = make_proposal(world["board"], world["cycle"], status="accepted",
                             title="Violence interrupters", description="**Why:** retaliation.",
                             translations={"es": SPANISH})
    world["cycle"].phase = "voting"
    db.session.commit()
    url = f"/proposals/{proposal.id}"
    spanish = client.get(url, headers=ES).get_data(as_text=True)
    assert "Interruptores de violencia" in spanish and "Mensajeros creíbles" in spanish
    assert "<strong>Por qué:</strong>" in spanish
    assert "Violence interrupters" not in spanish
    english = client.get(url, headers=EN).get_data(as_text=True)
    assert "Violence interrupters" in english and "Credible messengers" in english
    assert "Interruptores" not in english
    assert "Interruptores" in client.get(url + "?lang=es").get_data(as_text=True)

    for page in ("/proposals/", f"/cycles/{world['cycle'].slug}"):
        spanish = client.get(page, headers=ES).get_data(as_text=True)
        assert "Interruptores de violencia" in spanish and "Mensajeros creíbles" in spanish
        english = client.get(page, headers=EN).get_data(as_text=True)
        assert "Violence interrupters" in english and "Interruptores" not in english


def test_empty_spanish_fields_show_the_original(client, world, make_proposal):
    proposal = make_proposal(world["board"], world["cycle"], status="accepted",
                             translations={"es": {"title": "Interruptores de violencia"}})
    spanish = client.get(f"/proposals/{proposal.id}", headers=ES).get_data(as_text=True)
    assert "Interruptores de violencia" in spanish
    assert "Credible messengers mediate disputes." in spanish  # summary not translated


def test_drafts_save_and_update_translations(client, login, csrf, world, fresh):
    login(world["member"])
    resp = client.post("/proposals/new", data=draft_data(
        board=world["board"].id, cycle=world["cycle"].id, title_es=" Empleos juveniles ",
        summary_es="Prácticas pagadas.", description_es="", csrf_token=csrf("/proposals/new")))
    assert resp.status_code == 303
    proposal = db.session.scalar(select(Proposal))
    assert proposal.translations == {"es": {"title": "Empleos juveniles",
                                            "summary": "Prácticas pagadas."}}

    url = f"/proposals/{proposal.id}/edit"
    form = client.get(url).get_data(as_text=True)
    assert 'value="Empleos juveniles"' in form and "Prácticas pagadas." in form
    resp = client.post(url, data=draft_data(title_es="Empleos de verano", summary_es="",
                                            description_es="Más detalles.",
                                            csrf_token=csrf(url)))
    assert resp.status_code == 303
    proposal = fresh(proposal)
    assert proposal.translations == {"es": {"title": "Empleos de verano",
                                            "description": "Más detalles."}}

    resp = client.post(url, data=draft_data(csrf_token=csrf(url)))  # all Spanish emptied
    assert resp.status_code == 303
    assert fresh(proposal).translations == {}


def test_translation_too_long_is_refused(client, login, csrf, world, make_proposal, fresh):
    proposal = make_proposal(world["board"], world["cycle"])
    login(world["member"])
    url = f"/proposals/{proposal.id}/edit"
    resp = client.post(url, data=draft_data(title_es="x" * 161, csrf_token=csrf(url)))
    assert resp.status_code != 303
    assert fresh(proposal).translations == {} and fresh(proposal).title == "Violence interrupters"


def test_service_refuses_unknown_locale_and_keeps_translations_when_not_given(world,
                                                                             make_proposal):
    proposal = make_proposal(world["board"], world["cycle"], translations={"es": SPANISH})
    fields = svc.ProposalFields(title="T", summary="S", description="", problem="P",
                                root_cause="", metrics="", cost=5, neighbourhood_ids=[])
    svc.update_draft(world["member"], proposal, fields)
    assert proposal.translations == {"es": SPANISH}
    fields.translations = {"fr": {"title": "Titre"}}
    with pytest.raises(svc.Refused):
        svc.update_draft(world["member"], proposal, fields)
    db.session.rollback()
