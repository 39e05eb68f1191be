"""Staff give a cycle and a board a Spanish name; Spanish readers see it, others the original.
Every translated model falls back to its original text where nothing is translated."""
from sqlalchemy import select

from pbapp.boards.models import Board
from pbapp.cycles.models import Cycle
from pbapp.extensions import db
from pbapp.projects.models import Project
from pbapp.proposals.models import Proposal

ES = {"Accept-Language": "es-MX,es;q=0.9"}
NEW = "/cycles/manage/new"


def test_untranslated_texts_fall_back_to_the_original():
    cycle = Cycle(name="Spring", description="Decide.",
                  translations={"es": {"name": "Primavera", "description": " "}})
    assert (cycle.text("name", "es"), cycle.text("name", "es_MX")) == ("Primavera", "Primavera")
    assert cycle.text("description", "es") == "Decide."  # blank: the original
    assert cycle.text("name", "en") == "Spring" and cycle.text("name", None) == "Spring"
    assert Board(name="East", purpose="P").text("purpose", "es") == "P"
    proposal = Proposal(title="Lights", summary="More.",
                        translations={"es": {"title": "Luces", "description": "D"}})
    project = Project(title="Lights", summary="More.")
    project.copy_translations(proposal)
    assert project.translations == {"es": {"title": "Luces"}}  # a project has no description
    assert project.text("summary", "es") == "More."


def test_staff_save_a_spanish_name_for_a_cycle(client, csrf, staff):
    resp = client.post(NEW, data={
        "csrf_token": csrf(NEW), "name": "Spring budget", "slug": "spring-2027",
        "description": "Decide together.", "name_es": "Presupuesto de primavera",
        "description_es": "", "budget": "250000", "method": "greedy", "max_ranks": "4",
        "seats": "1", "scoring": "k-points", "completion": "add1", "vote_by_account": "y"})
    assert resp.status_code == 303
    cycle = db.session.scalar(select(Cycle))
    assert cycle.translations == {"es": {"name": "Presupuesto de primavera"}}
    edit = f"/cycles/manage/{cycle.slug}/edit"
    assert 'value="Presupuesto de primavera"' in client.get(edit).get_data(as_text=True)

    form = {"csrf_token": csrf(edit), "name": "Spring budget", "slug": "spring-2027",
            "description": "Decide together.", "name_es": "Presupuesto de la primavera",
            "description_es": "Decidimos juntos.", "budget": "250000", "method": "greedy",
            "max_ranks": "4", "seats": "1", "scoring": "k-points", "completion": "add1",
            "vote_by_account": "y", "shown_phase": "draft"}
    assert client.post(edit, data=form).status_code == 303
    assert db.session.get(Cycle, cycle.id).translations == {
        "es": {"name": "Presupuesto de la primavera", "description": "Decidimos juntos."}}
    cycle.phase = "proposals"
    db.session.commit()
    spanish = client.get("/cycles/spring-2027", headers=ES).get_data(as_text=True)
    assert "<h1>Presupuesto de la primavera</h1>" in spanish and "Decidimos juntos." in spanish
    english = client.get("/cycles/spring-2027").get_data(as_text=True)
    assert "<h1>Spring budget</h1>" in english and "Presupuesto" not in english

    form.update(csrf_token=csrf(edit), name_es="", description_es="", shown_phase="proposals")
    assert client.post(edit, data=form).status_code == 303
    assert db.session.get(Cycle, cycle.id).translations == {}  # emptied: the original shows
    assert "<h1>Spring budget</h1>" in client.get("/cycles/spring-2027",
                                                   headers=ES).get_data(as_text=True)


def test_admin_saves_a_spanish_name_for_a_board(client, csrf, make_user, login):
    login(make_user("admin"))
    resp = client.post("/boards/new", data={
        "csrf_token": csrf("/boards/new"), "name": "Westside Safety Board",
        "slug": "west-safety", "purpose": "Safer streets in the west.", "charter": "",
        "name_es": "Consejo de Seguridad del Oeste", "purpose_es": "Calles más seguras."})
    assert resp.status_code == 303
    board = db.session.scalar(select(Board))
    assert board.translations == {"es": {"name": "Consejo de Seguridad del Oeste",
                                         "purpose": "Calles más seguras."}}
    edit = "/boards/west-safety/edit"
    assert 'value="Consejo de Seguridad del Oeste"' in client.get(edit).get_data(as_text=True)
    assert client.post(edit, data={
        "csrf_token": csrf(edit), "name": "Westside Safety Board", "slug": "west-safety",
        "purpose": "Safer streets in the west.", "charter": "",
        "name_es": "Consejo del Oeste", "purpose_es": ""}).status_code == 303
    assert db.session.get(Board, board.id).translations == {"es": {"name": "Consejo del Oeste"}}
    spanish = client.get("/boards/west-safety", headers=ES).get_data(as_text=True)
    assert "<h1>Consejo del Oeste</h1>" in spanish and "Safer streets in the west." in spanish
    assert "<h1>Westside Safety Board</h1>" in client.get("/boards/west-safety").get_data(
        as_text=True)
