"""The demo's stories: three approved (under the author's name, a given name, anonymously; one
redacted by staff) and two waiting for review, each in English with the Spanish staff gave,
linked to the demo's neighbourhoods, first funded projects and metrics. A handful of rows."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from ..auth.models import User
from ..cycles.models import Neighbourhood
from ..extensions import db
from ..metrics.models import Metric
from ..models_base import utcnow
from .forms import CONSENT
from .models import Story

#: (status, name choice, given name, neighbourhood slug, project index, metric key,
#:  what the author wrote, the public text (None: as written), the public text in Spanish)
STORIES = [
    ("approved", "own", "", "riverside", 0, None,
     "Since the interrupters started on our estate, the arguments outside the shop end with "
     "a conversation instead of a fight. My son walks home from football again.",
     None,
     "Desde que los mediadores empezaron en nuestro barrio, las discusiones delante de la "
     "tienda acaban en una conversación y no en una pelea. Mi hijo vuelve andando del fútbol."),
    ("approved", "given", "A youth worker", "eastfield", None, "violent-incidents",
     "Most of the young people I see after an assault were never known to any service. "
     "Tuesday nights at the hospital I met Jamal from Elm Court, 17, for the third time.",
     "Most of the young people I see after an assault were never known to any service. One "
     "young man I met for the third time this year has now joined our boxing club.",
     "La mayoría de los jóvenes que veo tras una agresión nunca habían tenido contacto con "
     "ningún servicio. Un chico al que vi por tercera vez este año se ha apuntado a nuestro "
     "club de boxeo."),
    ("approved", "anonymous", "", None, None, "feel-safe",
     "With the new lights on Canal Walk I no longer take the long way round after my late "
     "shift.", None,
     "Con las nuevas farolas del paseo del Canal ya no doy la vuelta larga después de mi "
     "turno de noche."),
    ("pending", "anonymous", "", "northgate", None, "violent-incidents",
     "The bus stop by the station is still dark and people wait there at midnight.", None,
     ""),
    ("pending", "own", "", None, 1, None,
     "Our street's youth jobs scheme gave my daughter her first pay slip.", None, ""),
]


def add_demo_stories(projects) -> list[Story]:
    resident = db.session.scalar(select(User).where(User.email == "resident@example.org"))
    staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
    if resident is None or staff is None:
        return []
    hoods = {h.slug: h for h in db.session.scalars(select(Neighbourhood))}
    metrics = {m.key: m for m in db.session.scalars(select(Metric))}
    now, out = utcnow(), []
    for status, choice, given, hood, project, metric, body, public, spanish in STORIES:
        story = Story(
            author=resident, status=status, name_choice=choice, body=body,
            shown_name=resident.name if choice == "own" else given,
            consent_text=CONSENT, consent_locale="en",
            neighbourhood=hoods.get(hood) if hood else None,
            project=projects[project] if project is not None and project < len(projects)
            else None,
            metric=metrics.get(metric) if metric else None,
            withdraw_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest())
        if story.neighbourhood is None and story.project is None and story.metric is None:
            continue
        if status == "approved":
            story.public_text = public or body
            story.decided_at, story.decided_by = now, staff
            story.translations = {"es": {"public_text": spanish}}
        out.append(story)
    db.session.add_all(out)
    db.session.flush()
    return out
