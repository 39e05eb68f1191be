"""The shared-metrics pages, the project pages' budget and progress, and the transparency reports
come in Spanish when the browser asks for it, and stay English otherwise.

Metric names, definitions and agreements, breakdown groups ("woman", "under 18"), project titles
and notes are data (English in the demo), so the pages are checked for their own words only.
"""
import pytest
from sqlalchemy import select

from pbapp.boards.models import Board
from pbapp.extensions import db
from pbapp.metrics.models import ProjectMetric
from pbapp.metrics.progress import progress_for
from pbapp.projects.models import Project

ES = {"Accept-Language": "es-MX,es;q=0.9"}
STATUS_WORDS = {"achieved": ("Alcanzada", "Achieved"), "on_track": ("En buen camino", "On track"),
                "off_track": ("Rezagada", "Off track"), "no_data": ("Sin datos todavía",
                                                                     "No data yet")}


@pytest.fixture()
def demo(runner):
    out = runner.invoke(args=["demo", "--ballots", "100"])
    assert out.exit_code == 0, out.output


@pytest.fixture()
def project(demo) -> Project:
    """A funded project with both spending and metric targets."""
    targeted = set(db.session.scalars(select(ProjectMetric.project_id)))
    found = [p for p in db.session.scalars(select(Project).order_by(Project.id))
             if p.id in targeted and p.spending]
    assert found, "the demo should have a project with spending and targets"
    return found[0]


def page_in(client, url: str, headers: dict | None = None) -> str:
    resp = client.get(url, headers=headers or {})
    assert resp.status_code == 200, url
    return resp.data.decode()


def spanish(client, url: str) -> str:
    page = page_in(client, url, ES)
    assert '<html lang="es">' in page, url
    return page


def check(page: str, shows: list[str], hides: list[str]) -> None:
    for text in shows:
        assert text in page, f"missing text {text!r}"
    for text in hides:
        assert text not in page, f"text left: {text!r}"


def test_metric_pages(client, demo):
    check(spanish(client, "/metrics/"),
          ["Indicadores compartidos", "Unidad", "Fuente", "Mejor cuanto más bajo",
           "Mejor cuanto más alto", "Trimestral", "Policía", "Encuesta"],
          ["Shared metrics", ">Unit<", ">Source<", "Lower is better", "Higher is better",
           "Quarterly", ">Survey<"])
    check(spanish(client, "/metrics/violent-incidents"),
          ["Qué es mejor", "Proporcionado por", "Acuerdo para compartir datos",
           "Compartido según:", "Toda la ciudad",
           "Los totales del gráfico, periodo por periodo.", "Periodo", "Desgloses de",
           "Grupo de edad", "Género", "Raza o etnia", "Discapacidad", "periodos, de",
           "Último valor mostrado:", "Cómo leer las tablas",
           "entre 1 y 10: oculto para proteger a las personas contadas",
           "oculto para que no se pueda deducir un número pequeño a partir de los demás números publicados",
           "no se midió en ese periodo"],
          ["Which way is better", "Supplied by", "Data-sharing agreement", "Shared under:",
           "The whole city", "The totals in the chart",
           "Breakdowns for", "Age band", ">Gender", "Race or ethnicity", ">Disability",
           "Latest shown", "Reading the tables", "between 1 and 10",
           "cannot be worked out", "not measured for that period"])


def test_project_list_and_page(client, project):
    check(spanish(client, "/projects/"), ["Gastado: ", "hitos"], ["Spent ", "milestones done"])
    page = spanish(client, f"/projects/{project.id}")
    statuses = {p.status for p in progress_for(project.id)}
    check(page,
          ["Gastado hasta ahora", "Presupuesto y gasto", "Restante",
           "Parte del presupuesto gastada", "% gastado", "Gasto por categoría", "Categoría",
           "Cada pago", "Pagado a", "Monto", "Resultados en los indicadores compartidos",
           "Avance en cada indicador", "Indicador", "Línea base", "Último valor", "Meta",
           "El informe del proyecto: gasto y resultados",
           *(STATUS_WORDS[s][0] for s in statuses)],
          ["Spent so far", "Budget and spending", "Remaining", "Share of the budget spent",
           "% spent", "Spending by category", ">Category<", "Each payment", "Paid to",
           ">Amount<", "Results on shared metrics", "Progress on each metric", ">Metric<",
           ">Baseline<", ">Latest<", ">Target<", "The project's report",
           *(STATUS_WORDS[s][1] for s in STATUS_WORDS)])
    assert any(f">{word}<" in page for word in ("Personal", "Servicios y contratos",
                                                "Equipamiento", "Materiales", "Eventos",
                                                "Otros"))
    assert "Services and contracts" not in page


def test_cycle_report(client, demo):
    check(spanish(client, "/reports/cycles/2026-spring"),
          ["Informe de transparencia: ", "Cómo fue ", "La página del ciclo",
           "Descarga este informe:", "CSV (una línea por número)",
           "Los números de personas del 1 al 10", "Participación por barrio",
           "Participación por grupo de edad", "Sin registrar", "menores de 18",
           "Participación total: 100", "grupos están ocultos para proteger",
           "Los números del gráfico de arriba.", "Presupuesto y gasto de cada proyecto",
           "proyectos financiados se han gastado", "Avance en los indicadores compartidos",
           "Desgloses de equidad", "por grupo de edad, en toda la ciudad", "Cronología",
           "Qué pasó", "Se abrió la votación", "Se cerró la votación",
           "Se publicó el resultado", "Hito cumplido: ", "Novedad: ", "Estado: ",
           "En buen camino", "Rezagada", "Alcanzada"],
          ["Transparency report", "How Spring", "The cycle's page", "Download this report",
           "one line per number", "Numbers of people from 1 to 10", "Turnout by",
           "Not recorded", "Turnout was", "hidden to protect the people counted",
           "The numbers in the chart above", "Budget and spending of each project",
           "Across 4 funded", "Progress on shared metrics", "Equity breakdowns", "city-wide",
           ">Timeline<", "What happened", "Voting opened", "Voting closed",
           "Result published", "Milestone done", "Update: ", "Status: ", "On track",
           "Off track", "Achieved"])


def test_board_report(client, demo):
    board = db.session.scalars(select(Board).order_by(Board.id)).first()
    check(spanish(client, f"/reports/boards/{board.slug}"),
          ["Informe de transparencia: ", "La página del consejo", "El consejo", "Propósito",
           "Atiende a", "Propuestas, ciclo por ciclo", "Estado del proyecto",
           "Proyectos financiados", "Gastado", "Avance en los indicadores compartidos",
           "Reuniones realizadas", "Acta publicada", "Reunión"],
          ["Transparency report", "The board's page", ">The board<", ">Purpose<", ">Serves<",
           "Proposals, cycle by cycle", "Project status", ">Spent<",
           "Progress on shared metrics", "Meetings held", "Minutes published", ">Meeting<"])


def test_project_report(client, project):
    check(spanish(client, f"/reports/projects/{project.id}"),
          ["Informe de transparencia: ", "La página del proyecto", "Informe sobre ",
           "El proyecto", "Resumen", "Financiado el", "Restante", "Gasto por categoría",
           "Se gastaron", "la mayor parte en ", "Total gastado", "Estado anterior", "Título",
           "Novedad", "a lo largo del tiempo", "Línea base", "Medido", "Meta",
           "Periodo", "Avance en cada indicador"],
          ["Transparency report", "The project's page", "Report on ", ">The project<",
           ">Summary<", "Funded on", ">Left<", "Spending by category", "Total spent",
           "most on ", ">From<", ">Title<", "over time", ">Baseline", "Measured",
           ">Target<", ">Period<", "Progress on each metric"])


def test_english_stays_the_default(client, project):
    board = db.session.scalars(select(Board).order_by(Board.id)).first()
    pages = {
        "/metrics/": ["Shared metrics", "Lower is better", "Quarterly"],
        "/metrics/violent-incidents": ["Data-sharing agreement", "Shared under:",
                                       "The whole city", "Age band", "Reading the tables"],
        "/projects/": ["Spent ", "milestones done"],
        f"/projects/{project.id}": ["Spent so far", "Spending by category", "Each payment",
                                    "Results on shared metrics", ">Baseline<"],
        "/reports/cycles/2026-spring": ["Transparency report: ", "Turnout by neighbourhood",
                                        "Not recorded", "Equity breakdowns", "What happened",
                                        "On track"],
        f"/reports/boards/{board.slug}": ["The board's page", "Meetings held",
                                          "Proposals, cycle by cycle"],
        f"/reports/projects/{project.id}": ["The project's page", "Total spent", "over time"],
    }
    for url, english in pages.items():
        page = page_in(client, url)
        assert '<html lang="en">' in page, url
        check(page, english, ["Indicadores", "Presupuesto y gasto", "Informe de transparencia",
                              "Gastado"])
