"""The demo city reads in Spanish for a Spanish reader: cycles, boards, proposals and projects
(the projects inherit their proposal's texts), from the home page to the ballot and the results.
English readers see the English originals."""
import pytest
from sqlalchemy import select

from pbapp.auth.models import User
from pbapp.extensions import db
from pbapp.projects.models import Project
from pbapp.proposals.models import Proposal

ES = {"Accept-Language": "es-MX,es;q=0.9"}
AUTUMN_EN, AUTUMN_ES = ("Autumn 2026 youth and wellbeing budget",
                        "Presupuesto de juventud y bienestar, otoño de 2026")
SPRING_EN, SPRING_ES = ("Spring 2026 community safety budget",
                        "Presupuesto de seguridad comunitaria, primavera de 2026")
JOBS_EN, JOBS_ES = "Summer youth jobs", "Empleos de verano para jóvenes"


@pytest.fixture()
def demo(runner):
    out = runner.invoke(args=["demo", "--ballots", "100"])
    assert out.exit_code == 0, out.output


def page(client, url: str, spanish: bool) -> str:
    resp = client.get(url, headers=ES if spanish else {})
    assert resp.status_code == 200, url
    return resp.get_data(as_text=True)


def check(text: str, shows: list[str], hides: list[str]) -> None:
    for shown in shows:
        assert shown in text, f"missing {shown!r}"
    for hidden in hides:
        assert hidden not in text, f"other language left: {hidden!r}"


def test_public_pages_in_both_languages(client, demo):
    check(page(client, "/", True), [f"Ahora: {AUTUMN_ES}", SPRING_ES], [AUTUMN_EN, SPRING_EN])
    check(page(client, "/", False), [f"Now: {AUTUMN_EN}", SPRING_EN], [AUTUMN_ES, SPRING_ES])
    check(page(client, "/cycles/2026-autumn", True),
          [f"<h1>{AUTUMN_ES}</h1>", "Una papeleta por vecino", JOBS_ES,
           "Prácticas de verano pagadas"], [AUTUMN_EN, JOBS_EN, "One ballot per resident"])
    check(page(client, "/cycles/2026-autumn", False), [f"<h1>{AUTUMN_EN}</h1>", JOBS_EN],
          [AUTUMN_ES, JOBS_ES])

    funded = db.session.scalars(select(Project).order_by(Project.id)).first()
    spanish_title = funded.proposal.translations["es"]["title"]
    assert funded.translations["es"]["title"] == spanish_title  # inherited when created
    results = page(client, "/cycles/2026-spring/results", True)
    check(results, [f"Resultados: {SPRING_ES}", spanish_title], [SPRING_EN, funded.title])
    check(page(client, "/cycles/2026-spring/results", False), [SPRING_EN, funded.title],
          [SPRING_ES, spanish_title])
    # (the status history keeps the reason as staff wrote it, naming the cycle in English)
    check(page(client, f"/projects/{funded.id}", True), [f"<h1>{spanish_title}", f">{SPRING_ES}<"],
          [f"<h1>{funded.title}", f">{SPRING_EN}<"])
    check(page(client, "/projects/?cycle=2026-spring", True), [spanish_title], [funded.title])
    check(page(client, "/reports/cycles/2026-spring", True),
          [f"Informe de transparencia: {SPRING_ES}", f">{spanish_title}<"],
          [f">{SPRING_EN}<", f">{funded.title}<"])

    check(page(client, "/boards/", True),
          ["Consejo de Seguridad Comunitaria del Este", "como un problema de salud pública"],
          ["Eastside Community Safety Board", "public-health problem"])
    check(page(client, "/boards/east-safety", False), ["Eastside Community Safety Board"],
          ["Consejo de Seguridad Comunitaria del Este"])
    records_in_the_readers_language(client)


def test_ballot_and_review_in_spanish(client, demo, login, csrf):
    login(db.session.scalar(select(User).where(User.email == "resident@example.org")))
    check(page(client, "/vote/2026-autumn", True),
          [f"Papeleta: {AUTUMN_ES}", JOBS_ES, f"Añadir {JOBS_ES}", "Caminos seguros a la escuela"],
          [AUTUMN_EN, JOBS_EN, "Safe routes to school"])
    jobs = db.session.scalar(select(Proposal).where(Proposal.title == JOBS_EN,
                                                    Proposal.cycle.has(slug="2026-autumn")))
    review = client.post("/vote/2026-autumn/review", headers=ES,
                         data={"csrf_token": csrf("/vote/2026-autumn"), "rank_1": str(jobs.id)},
                             follow_redirects=True)
    assert review.status_code == 200
    check(review.get_data(as_text=True), [f"<strong>{JOBS_ES}</strong>", AUTUMN_ES],
          [JOBS_EN, AUTUMN_EN])
    check(page(client, "/vote/2026-autumn", False), [f"Ballot: {AUTUMN_EN}", JOBS_EN],
          [AUTUMN_ES, JOBS_ES])


def records_in_the_readers_language(client):
    """Issue 18: review and status reasons, milestones, project updates and meetings read in
    Spanish on the proposal, project, meeting and report pages; the site's own reasons too.
    (Checked on the city of ``test_public_pages_in_both_languages``: a seeding costs 5 s.)"""
    from pbapp.boards.models import Meeting
    from pbapp.projects.models import ProjectStatusChange

    change = db.session.scalar(select(ProjectStatusChange).where(
        ProjectStatusChange.reason == "Contract signed with the delivery partner."))
    project = change.project
    es_title = project.text("title", "es")
    english = ["Contract signed with the delivery partner.", "Delivery partner contracted",
               "Staff recruited and trained", "Two weeks late: one post was re-advertised.",
               "Delivery partner chosen", "Three organisations bid to run",
               "Funded by the published result of"]
    spanish = ["Contrato firmado con la entidad que lo llevará a cabo.",
               "Entidad ejecutora contratada", "Personal contratado y formado",
               "Dos semanas tarde: hubo que volver a anunciar un puesto.",
               "Entidad ejecutora elegida", f"llevar a cabo <strong>{es_title}</strong>",
               f"Financiado por el resultado publicado de «{SPRING_ES}»."]
    check(page(client, f"/projects/{project.id}", True), spanish, english)
    check(page(client, f"/projects/{project.id}", False), english[:6], spanish[:6])
    check(page(client, f"/reports/projects/{project.id}", True), spanish[:5], english[:5])
    check(page(client, "/reports/cycles/2026-spring", True), ["Entidad ejecutora elegida"],
          ["Delivery partner chosen"])

    proposal = project.proposal
    check(page(client, f"/proposals/{proposal.id}", True),
          ["Viable y con su costo calculado.", "Resultado del recuento.",
           "Contrato firmado con la entidad"],
          ["Feasible and costed.", "Result of the count.", "Contract signed with"])
    check(page(client, f"/proposals/{proposal.id}", False),
          ["Feasible and costed.", "Result of the count."],
          ["Viable y con su costo calculado.", "Resultado del recuento."])

    meeting = db.session.scalars(select(Meeting).order_by(Meeting.id)).first()
    url = f"/boards/{meeting.board.slug}/meetings/{meeting.id}"
    check(page(client, url, True), ["<h1>Reunión trimestral</h1>", "Centro comunitario",
                                    "Presupuesto", "Se acordó la lista"],
          ["Quarterly meeting", "Community Hall", "Agreed the shortlist"])
    check(page(client, f"/boards/{meeting.board.slug}", True),
          ["Reunión trimestral", "Los miembros tienen mandatos de dos años."],
          ["Quarterly meeting", "Members serve two-year terms."])
    check(page(client, url, False), ["<h1>Quarterly meeting</h1>", "Agreed the shortlist"],
          ["Reunión trimestral"])
    # staff's change to the count (issue 19) gives its reason in the reader's language; the
    # API keeps the reason as staff wrote it
    sold_en, sold_es = "sold by the council", "El ayuntamiento vendió el terreno"
    check(page(client, "/cycles/2026-spring/results", True), [sold_es], [sold_en])
    check(page(client, "/cycles/2026-spring/results", False), [sold_en], [sold_es])
    check(page(client, "/reports/cycles/2026-spring", True), [sold_es], [sold_en])
    api = client.get("/api/v1/cycles/2026-spring/results", headers=ES).get_data(as_text=True)
    assert sold_en in api and sold_es not in api


def metrics_in_the_readers_language(client):
    """Issue 18: a metric's name, unit, definition and agreement, and a target's baseline
    period, read in Spanish on the metric page, the catalogue, the project page and its report;
    English pages and the API keep the English. (On the same seeded city.)"""
    from pbapp.metrics.models import Metric, ProjectMetric

    target = db.session.scalars(select(ProjectMetric).join(Metric).where(
        Metric.key == "feel-safe").order_by(ProjectMetric.id)).first()
    english = ["Residents who feel safe", "% of residents"]
    spanish = ["Vecinos que se sienten seguros", "% de vecinos"]
    about_en = ["walking alone in their neighbourhood after dark", "Respondents consent"]
    about_es = ["al caminar solos por su barrio de noche", "dan su consentimiento al participar"]
    check(page(client, "/metrics/feel-safe", True), spanish + about_es, english + about_en)
    check(page(client, "/metrics/feel-safe", False), english + about_en, spanish + about_es)
    check(page(client, "/metrics/", True), spanish, english)
    period_es = target.text("baseline_period", "es")
    assert period_es != target.baseline_period and period_es.startswith("ene–mar")
    for url in (f"/projects/{target.project_id}", f"/reports/projects/{target.project_id}"):
        check(page(client, url, True), [*spanish, period_es], english)
        check(page(client, url, False), [*english, target.baseline_period], spanish)
    api = client.get(f"/api/v1/projects/{target.project_id}", headers=ES).get_data(as_text=True)
    assert "Residents who feel safe" in api and "Vecinos que se sienten" not in api
