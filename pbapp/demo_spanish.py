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
