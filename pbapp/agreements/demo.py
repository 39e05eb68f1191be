"""The demo's two data-sharing agreements, in English and Spanish: the police's, which expires
in three weeks (so staff see the warning), and the resident survey's, with its consent text in
two dated versions. The words come from the catalogue's own sharing texts; dates count from
the city's today. Two inserts' worth of work, so seeding stays quick.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..demo_metrics import POLICE_SHARING, SURVEY_SHARING
from ..demo_spanish import SHARING
from ..extensions import db
from ..metrics.models import Metric
from ..models_base import site_today
from .models import Agreement, ConsentText

OBJECT_EN = ("Write to the partnership's data protection officer, saying which agreement you "
             "object to and why; you will have an answer within a month. You may also complain "
             "to the data protection authority.")
OBJECT_ES = ("Escriba a la persona delegada de protección de datos de la alianza, indicando a "
             "qué acuerdo se opone y por qué; recibirá respuesta en un mes. También puede "
             "reclamar ante la autoridad de protección de datos.")
CONSENT_OLD = ("I agree that my anonymous answers may be used in the partnership's statistics.",
               "Acepto que mis respuestas anónimas se usen en las estadísticas de la alianza.")
CONSENT_NOW = ("Your answers are anonymous. We publish only totals of 11 people or more, keep "
               "the answers for 5 years and then delete them. You may skip any question. Do "
               "you agree to take part?",
               "Sus respuestas son anónimas. Solo publicamos totales de 11 personas o más, "
               "conservamos las respuestas 5 años y después las borramos. Puede saltar "
               "cualquier pregunta. ¿Acepta participar?")


def _agreement(slug, title, texts, es_texts, metric_keys, metrics, **dates) -> Agreement:
    (parties, parties_es), (purpose, purpose_es) = texts["parties"], texts["purpose"]
    what, basis, retention = texts["sharing"]
    what_es, basis_es, retention_es = es_texts
    agreement = Agreement(
        slug=slug, title=title[0], parties=parties, purpose=purpose, legal_basis=basis,
        data_shared=what, retention=retention, objection=OBJECT_EN,
        contact="data-protection@example.org",
        protection="Aggregates only, sent over an encrypted channel to two named analysts.",
        translations={"es": {"title": title[1], "parties": parties_es, "purpose": purpose_es,
                             "legal_basis": basis_es, "data_shared": what_es,
                             "retention": retention_es, "objection": OBJECT_ES,
                             "protection": "Solo datos agregados, enviados por un canal "
                                           "cifrado a dos analistas designados."}},
        metrics=[metrics[k] for k in metric_keys if k in metrics], **dates)
    db.session.add(agreement)
    return agreement


def add_demo_agreements() -> list[Agreement]:
    today = site_today()
    metrics = {m.key: m for m in db.session.scalars(select(Metric))}
    police = _agreement(
        "police-recorded-violence", ("City Police: recorded violence",
                                     "Policía de la Ciudad: violencia registrada"),
        {"parties": ("City Police (Analysis Unit) shares with the community-safety partnership.",
                     "La Policía de la Ciudad (Unidad de Análisis) comparte con la alianza por "
                     "la seguridad comunitaria."),
         "purpose": ("To see where and to whom violence happens, so the budget and the action "
                     "plan go where they are needed, and to show residents whether it works.",
                     "Ver dónde y a quién afecta la violencia, para que el presupuesto y el "
                     "plan de acción lleguen donde hacen falta, y mostrar a los vecinos si "
                     "funciona."),
         "sharing": POLICE_SHARING}, SHARING["police"],
        ("violent-incidents", "repeat-victimisation"), metrics,
        starts_on=today - timedelta(days=700), expires_on=today + timedelta(days=21),
        retain_until=today + timedelta(days=21 + 730),
        delete_by=today + timedelta(days=21 + 760))
    survey = _agreement(
        "resident-survey", ("Resident safety survey", "Encuesta vecinal de seguridad"),
        {"parties": ("The independent polling firm shares anonymous answers with the council's "
                     "community-safety team.",
                     "La empresa de encuestas independiente comparte respuestas anónimas con el "
                     "equipo de seguridad comunitaria del ayuntamiento."),
         "purpose": ("To measure how safe residents feel and how much they trust local "
                     "institutions, neighbourhood by neighbourhood.",
                     "Medir cuán seguros se sienten los vecinos y cuánto confían en las "
                     "instituciones locales, barrio por barrio."),
         "sharing": SURVEY_SHARING}, SHARING["survey"],
        ("feel-safe", "trust-institutions"), metrics,
        starts_on=today - timedelta(days=400), expires_on=today + timedelta(days=330),
        retain_until=today + timedelta(days=330 + 5 * 365),
        delete_by=today + timedelta(days=330 + 5 * 365))
    survey.consents = [
        ConsentText(version=2, body=CONSENT_NOW[0], adopted_on=today - timedelta(days=120),
                    translations={"es": {"body": CONSENT_NOW[1]}}),
        ConsentText(version=1, body=CONSENT_OLD[0], adopted_on=today - timedelta(days=400),
                    translations={"es": {"body": CONSENT_OLD[1]}})]
    db.session.flush()
    return [police, survey]
