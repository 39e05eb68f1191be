"""The demo city's texts in Spanish, so a Spanish reader's ballot, results and projects read in
Spanish. Keyed by the English originals in ``pbapp.demo``; projects inherit their proposal's."""
from __future__ import annotations

BOARDS = {
    "east-safety": ("Consejo de Seguridad Comunitaria del Este",
                    "Reducir la violencia y el daño que causa en el este de la ciudad, "
                    "financiando lo que los vecinos ponen en primer lugar."),
    "north-health": ("Alianza de Salud y Bienestar del Norte",
                     "Tratar la violencia como un problema de salud pública: prevención, "
                     "respuesta y recuperación."),
}
CYCLES = {
    "2026-spring": ("Presupuesto de seguridad comunitaria, primavera de 2026",
                    "Seis barrios deciden cómo gastar 600.000 en seguridad."),
    "2026-autumn": ("Presupuesto de juventud y bienestar, otoño de 2026",
                    "Ordena las ideas que quieres que se financien. Una papeleta por vecino: con "
                    "tu cuenta, con el código personal de tu carta o en papel."),
    "2026-youth-fund": ("Fondo juvenil 2026: vota con el código de tu carta",
                        "Los jóvenes ordenan pequeñas ayudas con el código anónimo de la carta "
                        "que repartió su escuela. No hace falta una cuenta."),
}
#: English title: (título, resumen)
PROPOSALS = {
    "Violence interruption team": (
        "Equipo de interrupción de la violencia",
        "Mediadores capacitados y de confianza resuelven conflictos antes de que se vuelvan "
        "violentos."),
    "Crisis response without police": (
        "Respuesta a crisis sin policía",
        "Profesionales clínicos atienden las llamadas de salud mental, a cualquier hora."),
    "Summer youth jobs": (
        "Empleos de verano para jóvenes",
        "Prácticas de verano pagadas para 120 jóvenes de 14 a 18 años."),
    "Street lighting on Canal Walk": (
        "Alumbrado en el paseo del Canal",
        "Iluminación LED para el camino a oscuras entre la estación y los bloques de viviendas."),
    "Hospital-based intervention": (
        "Intervención desde el hospital",
        "Educadores juveniles acompañan a los jóvenes ingresados con lesiones por agresión."),
    "Weekend wellness events": (
        "Bienestar los fines de semana",
        "Deporte, música y controles de salud gratuitos en los parques todos los sábados."),
    "Safe routes to school": (
        "Caminos seguros a la escuela",
        "Guardias de cruce y voluntarios que acompañan en cinco rutas escolares."),
    "Vacant lot greening": (
        "Terrenos baldíos verdes",
        "Limpiar y plantar 40 terrenos baldíos, con ayudas para que los vecinos los cuiden."),
    "Trauma counselling for families": (
        "Atención psicológica para familias",
        "Atención psicológica gratuita para las familias afectadas por la violencia."),
    "Late-night youth centre": (
        "Centro juvenil abierto de noche",
        "Abrir el centro de Eastfield hasta la medianoche los viernes y los sábados."),
    "Skate park lights": (
        "Luces para el skatepark",
        "Luces para que el skatepark siga abierto hasta las 9 de la noche en invierno."),
    "Free bus passes for youth club nights": (
        "Autobús gratis las noches del club juvenil",
        "Un viaje seguro a casa después de las noches del club de los viernes."),
    "Peer mentoring": (
        "Mentoría entre compañeros",
        "Estudiantes mayores acompañan a los de primer año que se sienten inseguros camino a "
        "la escuela."),
    "Music studio evenings": (
        "Tardes de estudio de música",
        "Un estudio supervisado en la biblioteca, dos tardes por semana."),
}


def description(summary: str) -> str:
    """The Spanish of the demo's description template (see ``pbapp.demo._proposals``)."""
    return f"**Qué:** {summary}\n\n**Por qué:** lo pidieron los vecinos."


def proposal_texts(title: str) -> dict[str, dict[str, str]]:
    """A demo proposal's translations, or none for a title this file does not know."""
    if title not in PROPOSALS:
        return {}
    title_es, summary_es = PROPOSALS[title]
    return {"es": {"title": title_es, "summary": summary_es,
                   "description": description(summary_es)}}


def named(slug: str, table: dict, second: str) -> dict[str, dict[str, str]]:
    """A board's or cycle's translations: its name and ``second`` (purpose or description)."""
    name, text = table[slug]
    return {"es": {"name": name, second: text}}


#: review and status reasons, milestones and their notes: English -> Spanish
RECORDS = {
    "Feasible and costed.": "Viable y con su costo calculado.",
    "Contract signed with the delivery partner.":
        "Contrato firmado con la entidad que lo llevará a cabo.",
    "Works ordered.": "Obras encargadas.",
    "All works finished and signed off by the board.":
        "Todas las obras terminadas y aprobadas por el consejo.",
    "Partner started work.": "La entidad empezó el trabajo.",
    "The delivery partner lost its programme lead. The work is paused until a replacement "
    "starts in January; no money has been spent since.":
        "La entidad que lo lleva a cabo perdió a la responsable del programa. El trabajo está "
        "en pausa hasta que empiece su sustituto en enero; desde entonces no se ha gastado "
        "dinero.",
    "Venue and staff confirmed.": "Local y personal confirmados.",
    "The school district now pays for this from its own budget. The allocation returns to the "
    "next cycle's pot.":
        "El distrito escolar lo paga ahora con su propio presupuesto. La asignación vuelve al "
        "fondo del próximo ciclo.",
    "Delivery partner contracted": "Entidad ejecutora contratada",
    "Staff recruited and trained": "Personal contratado y formado",
    "Two weeks late: one post was re-advertised.":
        "Dos semanas tarde: hubo que volver a anunciar un puesto.",
    "Service open to residents": "Servicio abierto a los vecinos",
    "Six-month review with the board": "Revisión semestral con el consejo",
    "Public meeting.": "Reunión pública.",
    "Survey and design agreed": "Estudio y diseño acordados",
    "Works finished": "Obras terminadas",
    "Delayed three weeks by supply.": "Tres semanas de retraso por los suministros.",
    "Residents' walk-through": "Recorrido con los vecinos",
    "Forty residents came.": "Vinieron cuarenta vecinos.",
    "New programme lead in post": "Nuevo responsable del programa en su puesto",
    "First residents supported": "Primeros vecinos atendidos",
    "Tender published": "Licitación publicada",
    "Contract awarded": "Contrato adjudicado",
    "Work starts": "Comienzo del trabajo",
    "Venue agreed": "Local acordado",
    "First sessions run": "Primeras sesiones realizadas",
    "Evaluation plan agreed with public health": "Plan de evaluación acordado con salud pública",
    "Waiting on the county's data-sharing agreement.":
        "A la espera del acuerdo del condado para compartir datos.",
    "Partner contracted": "Entidad contratada",
    "The site was sold by the council after the vote, so the work cannot go ahead there.":
        "El ayuntamiento vendió el terreno después de la votación, así que la obra no puede "
        "hacerse allí.",
}
#: project updates, English title -> (título, cuerpo); "{title}" is the project's Spanish title
UPDATES = {
    "Delivery partner chosen": (
        "Entidad ejecutora elegida",
        "Tres organizaciones se presentaron para llevar a cabo **{title}**. El consejo eligió la "
        "que tiene más personal del barrio; la hoja de puntuación está en el acta de la reunión "
        "de mayo."),
    "Team in place": (
        "Equipo en marcha",
        "Todos los puestos están cubiertos y el equipo terminó su formación:\n\n"
        "- desescalada de conflictos\n- protección de menores y adultos vulnerables\n"
        "- primeros auxilios"),
    "First month in numbers": (
        "El primer mes en cifras",
        "En su primer mes el servicio llegó a **212 vecinos**. La mayoría llegó por el boca a "
        "boca; las derivaciones del centro de salud empiezan a crecer."),
    "Design agreed with residents": (
        "Diseño acordado con los vecinos",
        "Los vecinos eligieron el diseño final de **{title}** en dos sesiones abiertas."),
    "Delay on materials": (
        "Retraso en los materiales",
        "Las entregas llegan con tres semanas de retraso. La nueva fecha de fin es a finales de "
        "octubre."),
    "Finished": (
        "Terminado",
        "**{title}** está terminado y no superó el presupuesto. Gracias a todos los que "
        "recorrieron el lugar con nosotros y nos dijeron qué falta por arreglar."),
    "Work begins": (
        "Empieza el trabajo",
        "La entidad ha empezado a planificar **{title}** con el hospital y las dos escuelas que "
        "participan."),
    "Why we have paused": (
        "Por qué hemos hecho una pausa",
        "La responsable del programa se fue en septiembre. En lugar de llevar el servicio sin "
        "nadie al frente, el consejo lo puso en pausa. La convocatoria cierra el 15 de "
        "diciembre."),
    "What happens next": (
        "Próximos pasos",
        "**{title}** empieza en la primavera de 2027, cuando termine el contrato actual en la "
        "zona. La licitación se publicará en diciembre."),
    "Tender drafted": (
        "Borrador de la licitación",
        "El consejo revisó el borrador de la licitación en su reunión de noviembre y pidió una "
        "exigencia más fuerte de contratar a gente del barrio."),
    "Open from July": ("Abierto desde julio", "**{title}** empieza el primer viernes de julio."),
    "Summer in review": (
        "Balance del verano",
        "| Mes | Sesiones | Jóvenes |\n|---|---:|---:|\n| Julio | 8 | 140 |\n"
        "| Agosto | 9 | 185 |\n| Septiembre | 8 | 160 |"),
    "District offer": (
        "Oferta del distrito",
        "El distrito escolar se ha ofrecido a financiar **{title}** por su cuenta. El consejo "
        "decidirá en su próxima reunión."),
    "Cancelled, money returned": (
        "Cancelado, dinero devuelto",
        "La financiación del distrito está confirmada, así que el consejo canceló este "
        "proyecto. Su asignación vuelve al próximo ciclo para que decidan los vecinos."),
}
MEETING = {"title": "Reunión trimestral", "location": "Centro comunitario",
           "agenda": "1. Presupuesto\n2. Novedades",
           "minutes": "Se acordó la lista de propuestas para la papeleta."}


def record_texts(**fields: str) -> dict[str, dict[str, str]]:
    """A status change's or milestone's translations (``reason=``, ``title=``, ``note=``): the
    Spanish of each English text this file knows; none for an empty or unknown one."""
    kept = {name: RECORDS[text] for name, text in fields.items() if text in RECORDS}
    return {"es": kept} if kept else {}


def update_texts(title: str, project_title_es: str) -> dict[str, dict[str, str]]:
    """A demo project update's translations, its body naming the project in Spanish."""
    if title not in UPDATES:
        return {}
    title_es, body_es = UPDATES[title]
    return {"es": {"title": title_es, "body": body_es.format(title=project_title_es)}}


def translate_records() -> None:
    """Give the demo's review and status reasons, milestones, project updates and meetings
    their Spanish, after the English story is seeded (texts this file does not know stay as
    they are; the site's own reasons are translated when written)."""
    from .boards.models import Board, Meeting
    from .cycles.overrides import ResultOverride
    from .extensions import db
    from .projects.models import Milestone, ProjectStatusChange, ProjectUpdate
    from .proposals.models import StatusChange

    for model in (StatusChange, ProjectStatusChange, ResultOverride):
        for change in db.session.scalars(db.select(model).where(model.reason.in_(RECORDS))):
            change.translate(record_texts(reason=change.reason))
    for milestone in db.session.scalars(db.select(Milestone)):
        milestone.translate(record_texts(title=milestone.title, note=milestone.note))
    for update in db.session.scalars(db.select(ProjectUpdate)):
        update.translate(update_texts(update.title, update.project.text("title", "es")))
    for board in db.session.scalars(db.select(Board).where(Board.slug.in_(BOARDS))):
        name, purpose = BOARDS[board.slug]
        board.translate({"es": {"name": name, "purpose": purpose, "charter": (
            f"# Carta constitutiva\n\n{purpose}\n\nLos miembros tienen mandatos de dos años.")}})
    quarterly = db.select(Meeting).where(Meeting.title == "Quarterly meeting")
    for meeting in db.session.scalars(quarterly):
        meeting.translate({"es": dict(MEETING)})
    db.session.flush()


#: the demo's shared metrics by key: (nombre, unidad, definición)
METRICS = {
    "violent-incidents": (
        "Incidentes violentos", "incidentes",
        "Violencia contra las personas registrada por la Policía de la Ciudad, según el lugar "
        "donde ocurrió: agresiones con o sin lesiones, robos con violencia y amenazas de muerte. "
        "Un incidente cuenta una vez, tenga las víctimas que tenga; los desgloses describen a su "
        "primera víctima."),
    "assault-admissions": (
        "Ingresos hospitalarios por agresión", "ingresos",
        "Ingresos de urgencia en los dos hospitales de la ciudad por lesiones causadas por una "
        "agresión, contados según el barrio donde vive el paciente."),
    "ambulance-violence-responses": (
        "Salidas de ambulancia por violencia", "salidas",
        "Llamadas atendidas por una ambulancia en las que el equipo registró una agresión como "
        "causa, según el lugar de la llamada."),
    "days-to-intervention": (
        "Días desde la derivación hasta la intervención", "días",
        "Para las personas derivadas en el trimestre a un servicio de prevención de la "
        "violencia, la mediana de días desde la derivación hasta el primer contacto en persona; "
        "se muestra junto con el número de casos."),
    "service-linkage-rate": (
        "Tasa de vinculación a servicios", "% de derivaciones",
        "Proporción de las personas derivadas tras una lesión o un incidente violento que "
        "estuvieron en contacto con al menos un servicio de apoyo en un plazo de 30 días."),
    "repeat-victimisation": (
        "Victimización repetida", "% de víctimas",
        "Proporción de las víctimas de violencia del trimestre que también fueron víctimas de un "
        "incidente violento registrado en los 12 meses anteriores."),
    "feel-safe": (
        "Vecinos que se sienten seguros", "% de vecinos",
        "Proporción de quienes respondieron a la encuesta vecinal que se sienten muy o bastante "
        "seguros al caminar solos por su barrio de noche."),
    "trust-institutions": (
        "Confianza en las instituciones locales", "% de vecinos",
        "Proporción de quienes respondieron a la encuesta vecinal que confían mucho o bastante "
        "en el ayuntamiento, la policía y los servicios de salud, en promedio entre los tres."),
}
#: the data-sharing agreements by source: (qué se comparte, consentimiento, conservación)
SHARING = {
    "police": (
        "Recuentos de incidentes registrados por barrio y trimestre, y de víctimas por franja de "
        "edad, género, origen étnico y discapacidad tal como los registró el agente. Ningún "
        "nombre, dirección, fecha ni número de denuncia sale de la policía.",
        "Sin consentimiento individual: estadísticas agregadas compartidas para una función "
        "pública según el protocolo de intercambio de información de la alianza por la seguridad "
        "comunitaria.",
        "La alianza conserva y publica los datos agregados sin plazo; la policía conserva los "
        "registros originales según su propio calendario de conservación."),
    "health": (
        "Recuentos trimestrales por barrio de residencia, franja de edad, género, origen étnico "
        "y discapacidad. Ni fechas de nacimiento, ni códigos postales, ni números de paciente.",
        "Datos agregados y anonimizados según un acuerdo de intercambio de datos con el "
        "proveedor; nadie puede ser identificado, así que no se pide consentimiento individual. "
        "Los recuentos de 1 a 10 nunca se publican.",
        "Los datos agregados se conservan 10 años; los historiales de los pacientes quedan en "
        "manos del proveedor según su política."),
    "case": (
        "Por derivación: la fecha de derivación, la del primer contacto, el barrio y los datos "
        "demográficos, reunidos en el sistema de casos compartido de las entidades. Solo salen "
        "de él medianas, tasas y recuentos de casos.",
        "Al ser derivadas, las personas aceptan que se las cuente en estadísticas anónimas; "
        "quien no acepta queda fuera de los desgloses.",
        "Las fechas de cada caso se borran del extracto común a los 24 meses; las cifras "
        "publicadas se conservan."),
    "survey": (
        "Respuestas anónimas a la encuesta con el barrio, la franja de edad, el género, el "
        "origen étnico y la discapacidad de quien responde; sin nombres ni datos de contacto.",
        "Quienes responden dan su consentimiento al participar; se puede saltar cualquier "
        "pregunta.",
        "Las respuestas se conservan 5 años para ver tendencias y después se borran; las cifras "
        "publicadas se conservan."),
}
#: which agreement each demo metric's sharing texts are
METRIC_SHARING = {"violent-incidents": "police", "repeat-victimisation": "police",
                  "assault-admissions": "health", "ambulance-violence-responses": "health",
                  "days-to-intervention": "case", "service-linkage-rate": "case",
                  "feel-safe": "survey", "trust-institutions": "survey"}
MONTHS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")


def metric_texts(key: str) -> dict[str, dict[str, str]]:
    """A demo metric's translations (name, unit, definition, agreement), or none for a key
    this file does not know."""
    if key not in METRICS:
        return {}
    name, unit, definition = METRICS[key]
    texts = {"name": name, "unit": unit, "definition": definition}
    if key in METRIC_SHARING:
        what, consent, retention = SHARING[METRIC_SHARING[key]]
        texts.update(sharing_what=what, sharing_consent=consent, sharing_retention=retention)
    return {"es": texts}


def quarter_words(start, end, first: bool = False) -> dict[str, dict[str, str]]:
    """A demo target's baseline period in Spanish (``first``: the project's first quarter)."""
    words = f"{MONTHS[start.month - 1]}–{MONTHS[end.month - 1]} {end.year}"
    return {"es": {"baseline_period": words + (", su primer trimestre" if first else "")}}
