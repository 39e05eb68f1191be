"""A dozen invented services for ``flask demo``, with Spanish texts for some, linked to the
neighbourhoods they cover and to two of the funded projects."""
from __future__ import annotations

from sqlalchemy import select

from ..boards.models import Board
from ..cycles.models import Neighbourhood
from ..extensions import db
from .models import Service

#: (board, name, organisation, category, areas, languages, hours, phone, description,
#:  eligibility, Spanish name or "")
SERVICES = [
    ("east-safety", "Riverside Night Shelter", "Harbour Housing Trust", "housing",
     ["riverside", "southbank"], ["en", "es"], "Every night, 19:00 to 08:00", "+1 555 010 2001",
     "Beds, a hot meal and a shower; a housing worker sees guests each morning.",
     "Adults 18 and over with nowhere safe to sleep. No referral needed.",
     "Albergue nocturno de Riverside"),
    ("east-safety", "Eastfield Food Bank", "Eastfield Churches Together", "food",
     ["eastfield"], ["en", "es", "so"], "Tuesday and Friday, 10:00 to 14:00", "+1 555 010 2002",
     "Three days of food for a household; fresh fruit and vegetables on Fridays.",
     "Anyone who says they need it.", "Banco de alimentos de Eastfield"),
    ("east-safety", "Safe Home Advocacy Line", "Eastside Women's Aid", "victim_support",
     ["riverside", "eastfield", "southbank"], ["en", "es", "ar"], "24 hours, every day",
     "+1 555 010 2003",
     "Confidential advice after domestic abuse: safety plans, refuge places, court support.",
     "Anyone affected by domestic abuse, and people worried about someone.",
     "Línea de apoyo Hogar Seguro"),
    ("east-safety", "Youth Outreach Bus", "Streetwise Youth", "youth",
     ["eastfield", "southbank"], ["en"], "Thursday to Saturday evenings, 18:00 to 22:00",
     "+1 555 010 2004",
     "Youth workers on a converted bus: someone to talk to, games, referrals to mentoring.",
     "Young people aged 11 to 19.", ""),
    ("east-safety", "Southbank Legal Advice Clinic", "City Law Centre", "legal",
     ["southbank"], ["en", "pt"], "Monday, 17:00 to 19:30", "+1 555 010 2005",
     "Free advice on housing, debt, immigration and victims' rights; appointments or drop-in.",
     "Residents of the city on a low income.", "Asesoría legal de Southbank"),
    ("east-safety", "Hospital Violence Intervention Team", "St Luke's Hospital", "health",
     ["riverside", "eastfield", "southbank"], ["en", "es"], "Weekdays, 09:00 to 17:00",
     "+1 555 010 2006",
     "Caseworkers meet people injured by violence at the bedside and stay with them afterwards.",
     "Patients aged 10 to 30 admitted after an assault; referral by hospital staff.", ""),
    ("north-health", "Northgate Recovery Café", "Second Chance Recovery", "substance_use",
     ["northgate"], ["en"], "Daily, 12:00 to 20:00", "+1 555 010 3001",
     "Peer support for people recovering from alcohol or drug use, and their families.",
     "Anyone in recovery or thinking about it.", "Café de recuperación de Northgate"),
    ("north-health", "Talking Therapies Hillcrest", "Northside Mental Health Service",
     "mental_health", ["hillcrest", "old-town"], ["en", "es", "vi"], "Weekdays, 08:00 to 20:00",
     "+1 555 010 3002",
     "Short courses of talking therapy for anxiety, low mood and trauma; self-referral online.",
     "Adults registered with a doctor in the north of the city.", "Terapias de conversación"),
    ("north-health", "Old Town Family Hub", "Old Town Children's Centre", "family",
     ["old-town"], ["en", "ar", "so"], "Weekdays, 09:00 to 16:00", "+1 555 010 3003",
     "Parenting groups, a health visitor, help with school places and benefits.",
     "Families with children under 12.", "Centro familiar de Old Town"),
    ("north-health", "Hillcrest Jobs Club", "Northside Works", "employment",
     ["hillcrest", "northgate"], ["en", "fr"], "Wednesday, 10:00 to 13:00", "+1 555 010 3004",
     "Help with CVs, applications and interviews; computers and a printer to use.",
     "Anyone looking for work.", ""),
    ("north-health", "Adult Learning in the Library", "City Libraries", "education",
     ["old-town", "northgate", "hillcrest"], ["en", "es", "zh"],
     "Monday to Saturday, 09:00 to 18:00",
     "+1 555 010 3005",
     "English classes, digital skills and reading groups, free of charge.",
     "Adults 16 and over.", "Aprendizaje para adultos en la biblioteca"),
    ("north-health", "Crisis Mental Health Line", "Northside Mental Health Service",
     "mental_health", ["northgate", "old-town", "hillcrest"], ["en", "es"], "24 hours, every day",
     "+1 555 010 3006",
     "Someone to talk to in a crisis, and a crisis team who can visit at home.",
     "Anyone in the north of the city, of any age.", "Línea de crisis de salud mental"),
]


def add_demo_services(projects) -> int:
    """Store the demo services; the first funded project of each board uses two of its
    board's services."""
    boards = {b.slug: b for b in db.session.scalars(select(Board))}
    hoods = {h.slug: h for h in db.session.scalars(select(Neighbourhood))}
    used: dict[int, list[Service]] = {}
    for i, (board, name, org, cat, areas, langs, hours, phone, text, who, name_es) in \
            enumerate(SERVICES):
        slug = name.lower().replace("'", "").replace(" ", "-")
        service = Service(
            board=boards[board], name=name, organization=org, category=cat, hours=hours,
            phone=phone, description=text, eligibility=who,
            address=f"{10 + 7 * i} {('Station Road', 'High Street', 'Mill Lane')[i % 3]}",
            city="Example City", postal_code=f"EC{i + 1} 2AB",
            email=f"hello@{slug}.example.org", website=f"https://{slug}.example.org/",
            neighbourhoods=[hoods[a] for a in areas])
        service.set_languages(langs)
        if name_es:
            service.translate({"es": {"name": name_es}})
        service.refresh_search_text()
        db.session.add(service)
        used.setdefault(boards[board].id, []).append(service)
    for board_id, services in used.items():
        project = next((p for p in projects if p.board_id == board_id), None)
        if project is not None:
            project.services = services[:2]
    db.session.flush()
    return len(SERVICES)
