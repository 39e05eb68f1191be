"""Every page a resident or the public sees comes in Spanish when the browser asks for it.

Each page is checked for some of its Spanish text and for the absence of its English headings;
without an Accept-Language header the same pages stay English.
"""
import pytest
from sqlalchemy import select

from pbapp.boards.models import Meeting
from pbapp.extensions import db
from pbapp.projects.models import Project
from pbapp.proposals.models import Idea, Proposal

ES = {"Accept-Language": "es-MX,es;q=0.9"}
PASSWORD = "correct horse battery"


@pytest.fixture()
def demo(runner):
    out = runner.invoke(args=["demo", "--ballots", "100"])
    assert out.exit_code == 0, out.output


def spanish(client, url: str, status: int = 200) -> str:
    resp = client.get(url, headers=ES)
    assert resp.status_code == status, url
    page = resp.data.decode()
    assert '<html lang="es">' in page, url
    return page


def check(page: str, shows: list[str], hides: list[str]) -> None:
    for text in shows:
        assert text in page, f"missing Spanish text {text!r}"
    for text in hides:
        assert text not in page, f"English text left: {text!r}"


def test_home_and_cycles(client, demo):
    from babel.dates import format_datetime

    from pbapp.cycles.models import Cycle

    # the demo stretches voting to include today (dates are enforced), so its close varies
    closes = db.session.scalar(select(Cycle.voting_closes).where(Cycle.slug == "2026-autumn"))
    until = format_datetime(closes, "HH:mm 'del' d 'de' MMMM 'de' yyyy", tzinfo="UTC",
                            locale="es")
    check(spanish(client, "/"),
          ["Cómo funciona", "Ciclos de presupuesto", "Fase:", "votación", "Vota ahora",
           f"La votación está abierta hasta las {until} (UTC)"],
          ["How it works", "Now:", "Phase:", "Vote now", "Voting is open", "Residents rank"])
    check(spanish(client, "/cycles/"), ["presupuesto 400.000", "votación"],
          ["No cycles yet", "budget 400", ">voting<"])
    check(spanish(client, "/cycles/2026-autumn"),
          ["Propuestas en la papeleta", "Método de recuento: método de partes iguales",
           "Vota: ordena hasta 5 propuestas", "Aceptada", "Costo"],
          ["Proposals on the ballot", "Counting method", "Vote: rank", ">Accepted<", ">Cost<"])
    check(spanish(client, "/cycles/2026-spring"), ["Resultados, ronda por ronda", "financiada"],
          ["Results, round by round", "not funded"])


def test_boards_and_meetings(client, demo):
    check(spanish(client, "/boards/"), ["Consejos asesores", "7 miembros", "Atiende a"],
          ["Advisory boards", "7 members", "Serves"])
    meeting = db.session.scalars(select(Meeting)).first()
    check(spanish(client, f"/boards/{meeting.board.slug}"),
          ["Miembros", "Puesto", "Presidencia", "Salud pública", "Reuniones anteriores",
           "Estatuto"],
          [">Members<", ">Seat<", ">Chair<", "Public health", "Past meetings", ">Charter<"])
    check(spanish(client, f"/boards/{meeting.board.slug}/meetings/{meeting.id}"),
          ["Orden del día", "Acta", "septiembre"], [">Agenda<", ">Minutes<"])


def test_proposals_and_ideas(client, demo, make_user):
    check(spanish(client, "/proposals/?cycle=2026-autumn"),
          ["Lo que proponen los consejos asesores", "Cualquier estado", "No financiada",
           "Ideas de los vecinos para"],
          ["What the advisory boards propose", "Any status", ">Filter<", "Residents' ideas"])
    proposal = db.session.scalars(select(Proposal).where(Proposal.status == "accepted")).first()
    check(spanish(client, f"/proposals/{proposal.id}"),
          ["Ciclo de presupuesto", "(fase: votación)", "El problema", "Historial", "Cambio",
           "Enviada → Aceptada"],
          ["Budget cycle", "voting phase", "The problem", ">History<", "Proposed by"])
    idea = Idea(cycle=proposal.cycle, author=make_user(), problem="Dark underpass",
                place="Canal Walk", suggestion="Lights")
    db.session.add(idea)
    db.session.commit()
    check(spanish(client, f"/proposals/cycles/{proposal.cycle.slug}/ideas"),
          ["Ideas de los vecinos", "ahora está en la fase: votación"],
          ["Residents' ideas", "Ideas can be shared", "No ideas yet"])
    check(spanish(client, f"/proposals/ideas/{idea.id}"),
          ["Idea vecinal n.º", "Qué ayudaría", "Dónde"],
          ["Resident idea", "What would help", ">Where<", "shared"])


def test_sharing_an_idea_in_spanish(client, demo, make_cycle, make_user, login, csrf):
    cycle = make_cycle(slug="ideas-open", phase="proposals")
    login(make_user())
    url = f"/proposals/cycles/{cycle.slug}/ideas/new"
    check(spanish(client, url),
          ["Comparte una idea", "¿Cuál es el problema?", "¿Dónde ocurre?",
           "No lo sé, o en toda la ciudad", "Compartir idea"],
          ["Share an idea", "What is the problem?", "Where does it happen?", "Not sure"])
    refused = client.post(url, headers=ES, data={"csrf_token": csrf(url), "problem": "",
                                                 "place": "", "suggestion": "",
                                                 "neighbourhood": "0"})
    check(refused.data.decode(), ["Corrige los errores que se indican abajo."],
          ["Please correct the errors below."])
    shared = client.post(url, headers=ES, follow_redirects=True,
                         data={"csrf_token": csrf(url), "problem": "Dark underpass",
                               "place": "Canal Walk", "suggestion": "Lights",
                               "neighbourhood": "0"})
    check(shared.data.decode(), ["Gracias: tu idea ya está publicada"], ["Thank you"])


def test_projects(client, demo):
    check(spanish(client, "/projects/"),
          ["Proyectos financiados", "Presupuesto", "Planificado", "En curso"],
          ["Funded projects", "What residents voted", ">Planned<", ">In progress<"])
    project = db.session.scalars(select(Project).where(Project.status == "in_progress")).first()
    check(spanish(client, f"/projects/{project.id}"),
          ["Presupuesto asignado", "Hitos", "Novedades", "Historial de estados", "Todavía no",
           "de 2026"],
          ["Allocated budget", "Milestones", ">Updates<", "Status history", "Not yet"])


def test_account_pages_and_errors(client, demo, make_user, login):
    check(spanish(client, "/auth/login"), ["Correo electrónico", "Contraseña", "Crea una"],
          ["Email address", "Password", "No account yet"])
    check(spanish(client, "/auth/register"),
          ["Crear una cuenta", "Repite la contraseña", "Prefiero no decirlo",
           "Año de nacimiento", "Sin él no puedes votar en un ciclo con edad mínima."],
          ["Create an account", "Repeat the password", "Prefer not to say", "Birth year",
           "Without it you cannot vote"])
    check(spanish(client, "/no-such-page", status=404),
          ["Página no encontrada", "Volver a la página de inicio"],
          ["Page not found", "Back to the home page"])
    login(make_user())
    check(spanish(client, "/auth/account"), ["Tu cuenta", "Miembro desde", "residente"],
          ["Member since", "Birth year", ">resident<"])


def test_form_errors_and_messages_in_spanish(client, csrf, make_user):
    refused = client.post("/auth/register", headers=ES, data={
        "csrf_token": csrf("/auth/register"), "name": "Rosa", "email": "rosa@example",
        "password": PASSWORD, "confirm": "something else", "neighbourhood": "0",
        "birth_year": "1850"})
    check(refused.data.decode(),
          ["Corrige los errores", "Escribe un correo electrónico como nombre@ejemplo.org.",
           "Las contraseñas no coinciden.", "Escribe un año entre 1900 y"],
          ["Please correct", "Enter an email address", "do not match", "Enter a year"])
    empty = client.post("/auth/login", headers=ES, data={"csrf_token": csrf("/auth/login"),
                                                         "email": "", "password": ""})
    check(empty.data.decode(), ["Escribe tu correo electrónico.", "Escribe tu contraseña."],
          ["Enter your email address.", "Enter your password."])
    make_user(email="rosa@example.org", password=PASSWORD)
    wrong = client.post("/auth/login", headers=ES, data={
        "csrf_token": csrf("/auth/login"), "email": "rosa@example.org", "password": "nope"})
    check(wrong.data.decode(), ["El correo electrónico o la contraseña no son correctos."],
          ["is incorrect"])
    right = client.post("/auth/login", headers=ES, follow_redirects=True, data={
        "csrf_token": csrf("/auth/login"), "email": "rosa@example.org", "password": PASSWORD})
    check(right.data.decode(), ["Sesión iniciada como"], ["Signed in as"])


def test_english_stays_the_default(client, demo, csrf):
    home = client.get("/").data.decode()
    assert '<html lang="en">' in home and "How it works" in home and "Phase:" in home
    cycle = client.get("/cycles/2026-spring").data.decode()
    assert "Counting method: Method of Equal Shares" in cycle and "Not funded" in cycle
    assert "Page not found" in client.get("/no-such-page").data.decode()
    login = client.post("/auth/login", data={"csrf_token": csrf("/auth/login"), "email": "",
                                             "password": ""}).data.decode()
    assert "Enter your email address." in login and "Please correct the errors below." in login
