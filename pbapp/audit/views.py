"""Staff read the audit log, newest first, and see whether its hash chain still holds."""
from flask import render_template, request
from sqlalchemy import select

from ..auth.models import User
from ..auth.permissions import staff_required
from ..extensions import db
from ..number_inputs import page_arg
from . import bp
from .models import AuditEvent
from .readable import action_words, targets
from .services import verify_chain

PER_PAGE = 50
#: actions offered in the filter; ones other packages record show up once they occur
KNOWN_ACTIONS = ("cycle.create", "cycle.update", "cycle.phase", "cycle.count", "cycle.publish")


def action_choices() -> list[str]:
    seen = db.session.scalars(select(AuditEvent.action).distinct())
    return sorted(set(KNOWN_ACTIONS) | set(seen))


@bp.get("/")
@staff_required
def index():
    actions = action_choices()
    action = request.args.get("action", "")
    if action not in actions:
        action = ""
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    page = db.paginate(query, page=page_arg(), per_page=PER_PAGE, error_out=False)
    actor_ids = {e.actor_id for e in page.items if e.actor_id is not None}
    actors = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(actor_ids)))}
    intact, broken_at = verify_chain()
    return render_template("audit/index.html", page=page, actors=actors, actions=actions,
                           action=action, intact=intact, broken_at=broken_at,
                           targets=targets(page.items), action_words=action_words)
