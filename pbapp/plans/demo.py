"""The demo's action plan: the East board's plan for this year, with an action in every state
(not started, under way and on track, late, done, dropped), progress notes, targets on the demo
metrics, and links to the board's first funded project and its proposal; Spanish beside each
English text. Dates count from the city's today, so the states hold whenever the demo is seeded.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ..boards.models import Board
from ..demo_metrics import BASELINE_ON
from ..extensions import db
from ..metrics.models import Metric
from ..metrics.tables import series
from ..models_base import site_today
from .models import ActionPlan, ActionTarget, PlanAction, PlanFigure, ProgressNote

TITLE = ("Eastside community safety action plan", "Plan de acción de seguridad comunitaria del "
         "Este")
NEEDS = ("Violence in the east of the city is concentrated in **Riverside** and **Eastfield**, "
         "in the evenings, and among people aged 16 to 24. Hospital admissions for assault "
         "rose for three quarters running before the spring budget.\n\n"
         "- Most incidents happen within 400 metres of the station and Canal Walk.\n"
         "- Half of the young people admitted after an assault had no contact with any "
         "service in the year before.",
         "La violencia en el este de la ciudad se concentra en **Riverside** y **Eastfield**, "
         "por la tarde y entre personas de 16 a 24 años. Los ingresos hospitalarios por "
         "agresión subieron tres trimestres seguidos antes del presupuesto de primavera.\n\n"
         "- La mayoría de los incidentes ocurren a menos de 400 metros de la estación y del "
         "paseo del Canal.\n"
         "- La mitad de los jóvenes ingresados tras una agresión no había tenido contacto con "
         "ningún servicio el año anterior.")
#: (seat of the lead, English title, Spanish title, status, days from today to the due date,
#:  partners outside the board, notes as (days ago, English, Spanish))
ACTIONS = [
    ("nonprofit", "Run the violence interruption team in Riverside and Eastfield",
     "Mantener el equipo de interrupción de la violencia en Riverside y Eastfield",
     "under_way", 75, "Street Outreach Collective",
     [(40, "Six interrupters hired and trained; evening shifts began.",
       "Seis mediadores contratados y formados; empezaron los turnos de tarde."),
      (10, "Mediated 14 disputes this month, four of them between groups.",
       "Mediaron 14 conflictos este mes, cuatro de ellos entre grupos.")]),
    ("public_health", "Place a youth worker in the emergency department",
     "Situar a un educador juvenil en urgencias", "under_way", -20, "City General Hospital",
     [(30, "Funding agreed; the hospital's recruitment is slower than planned.",
       "Financiación acordada; la contratación del hospital va más lenta de lo previsto.")]),
    ("school", "Safe routes home from the three secondary schools",
     "Rutas seguras de vuelta a casa desde los tres institutos", "planned", 150, "",
     []),
    ("police", "Map evening hot spots with residents", "Mapear con los vecinos los puntos "
     "conflictivos de la tarde", "done", -90, "Riverside Tenants' Association",
     [(95, "Two walkabouts held; the map is published with the board's minutes.",
       "Se hicieron dos recorridos; el mapa se publicó con el acta de la junta.")]),
    ("faith", "Late-night café in the church hall", "Café nocturno en el salón parroquial",
     "dropped", 30, "",
     [(15, "Dropped: the hall's insurance does not cover late opening; the youth hub will "
           "open late instead.",
       "Abandonada: el seguro del salón no cubre la apertura nocturna; en su lugar abrirá "
       "tarde el centro juvenil.")]),
]


def _baseline(metric: Metric) -> float | None:
    """The city's protected total at the baseline, to set a target a fifth below it."""
    shown = [t for t in series(metric, "city") if t.period_end <= BASELINE_ON
             and t.total.value is not None]
    return shown[-1].total.value if shown else None


def add_demo_plan(projects) -> ActionPlan | None:
    board = db.session.scalar(select(Board).where(Board.slug == "east-safety"))
    if board is None:
        return None
    today = site_today()
    seats = {m.seat: m for m in board.memberships}
    metrics = {m.key: m for m in db.session.scalars(select(Metric).where(Metric.key.in_(
        ["violent-incidents", "assault-admissions"])))}
    project = next((p for p in projects if p.board_id == board.id), None)
    plan = ActionPlan(board=board, title=TITLE[0], needs=NEEDS[0], status="published",
                      period_start=date(today.year, 1, 1), period_end=date(today.year, 12, 31),
                      translations={"es": {"title": TITLE[1], "needs": NEEDS[1]}},
                      neighbourhoods=[h for h in board.neighbourhoods
                                      if h.slug in ("riverside", "eastfield")],
                      figures=[PlanFigure(metric=m) for m in metrics.values()])
    author = seats["public_health"].user
    for i, (seat, title, title_es, status, due, partners, notes) in enumerate(ACTIONS):
        lead = seats[seat]
        action = PlanAction(title=title, lead=lead, lead_organisation=lead.organisation,
                            partners_text=partners, due_on=today + timedelta(days=due),
                            status=status, translations={"es": {"title": title_es}},
                            partner_seats=[seats["resident"]] if i < 2 else [])
        action.notes = [ProgressNote(noted_on=today - timedelta(days=ago), body=text,
                                     author=author, translations={"es": {"body": es}})
                        for ago, text, es in notes]
        plan.actions.append(action)
    first = plan.actions[0]
    if project is not None:
        first.projects, first.proposals = [project], [project.proposal]
    for key, action in (("violent-incidents", first), ("assault-admissions", plan.actions[1])):
        metric = metrics.get(key)
        base = _baseline(metric) if metric else None
        if base is not None:
            action.targets.append(ActionTarget(
                metric=metric, baseline_on=BASELINE_ON, target_value=round(base * 0.8),
                target_on=date(today.year + 1, 3, 31)))
    db.session.add(plan)
    db.session.flush()
    return plan
