"""The audit log in words: what was done, to which item (named and linked), by whom.

The stored event stays as written (its hash covers the action key, the target and the detail);
this only reads it for people. An action this table does not know is shown by its key, so a new
one is never hidden.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

from ..extensions import db
from ..labels import N_

#: action key -> what the actor did, in words
ACTIONS = {
    "board.create": N_("created the board"),
    "board.update": N_("changed the board"),
    "codes.generate": N_("made voting codes for the cycle"),
    "comment.hide": N_("hid a comment"),
    "comment.keep": N_("kept a flagged comment and closed its flags"),
    "cycle.count": N_("counted the cycle's ballots"),
    "cycle.create": N_("created the cycle"),
    "cycle.extend_close": N_("moved the cycle's closing time"),
    "cycle.phase": N_("moved the cycle to another phase"),
    "cycle.publish": N_("published the cycle's result"),
    "cycle.update": N_("changed the cycle"),
    "directory.import": N_("imported a directory of services (HSDS)"),
    "measurement.add": N_("added a measurement to the metric"),
    "meeting.create": N_("added the meeting"),
    "meeting.update": N_("changed the meeting"),
    "membership.add": N_("added a board member"),
    "membership.remove": N_("removed a board member"),
    "membership.update": N_("changed a board membership"),
    "metric.create": N_("added the metric"),
    "metric.update": N_("changed the metric"),
    "metrics.import": N_("imported measurements"),
    "paper.batch_create": N_("opened a batch of paper ballots"),
    "paper.commit": N_("committed a batch of paper ballots"),
    "paper.compare": N_("compared the two entries of a paper batch"),
    "paper.correct": N_("corrected a paper ballot"),
    "paper.enter": N_("entered paper ballots"),
    "paper.void": N_("voided a paper ballot"),
    "project.milestone_add": N_("added a milestone to the project"),
    "project.milestone_done": N_("marked a milestone of the project done"),
    "project.milestone_edit": N_("changed a milestone of the project"),
    "project.picture": N_("changed the project's picture"),
    "project.post_update": N_("posted an update on the project"),
    "project.spending_add": N_("recorded spending on the project"),
    "project.spending_delete": N_("deleted a spending entry of the project"),
    "project.status": N_("changed the project's status"),
    "project.target_add": N_("added a metric target to the project"),
    "project.target_remove": N_("removed a metric target from the project"),
    "proposal.accept": N_("accepted the proposal onto the ballot"),
    "proposal.create": N_("drafted the proposal"),
    "proposal.reject": N_("rejected the proposal"),
    "proposal.send_back": N_("sent the proposal back to its board for changes"),
    "proposal.submit": N_("submitted the proposal for review"),
    "proposal.withdraw": N_("withdrew the proposal"),
    "roll.claim": N_("matched an account to the voter roll"),
    "roll.import": N_("imported the voter roll"),
    "service.create": N_("added a service to the directory"),
    "service.delete": N_("removed a service from the directory"),
    "service.update": N_("changed a directory entry"),
    "survey.answer.approved": N_("published a written survey answer"),
    "survey.answer.withheld": N_("withheld a written survey answer"),
    "survey.close": N_("closed the survey and published its results"),
    "survey.codes": N_("made letter codes for the survey"),
    "survey.create": N_("created the survey"),
    "survey.edit": N_("changed the survey"),
    "survey.measurement_refused": N_("closed a survey; its measurement for the metric was "
                                     "refused (the data-sharing agreement had expired)"),
    "survey.question.add": N_("added a question to the survey"),
    "survey.question.remove": N_("removed a question from the survey"),
    "user.create": N_("created an account"),
    "user.create_staff": N_("created a staff account"),
    "user.oidc_link": N_("linked the account to its identity at the city's sign-in provider"),
    "user.oidc_sign_in": N_("signed in with the city's sign-in provider"),
    "user.role": N_("changed an account's role"),
}


def action_words(action: str) -> str:
    words = ACTIONS.get(action)
    return gettext(words) if words else action


@dataclass(frozen=True)
class Target:
    label: str
    url: str | None


def _link(endpoint: str, **values) -> str | None:
    try:
        return url_for(endpoint, **values)
    except BuildError:  # that part of the site is not in this app
        return None


def _names(kind: str, refs: set[str]) -> dict[str, tuple[str, str | None]]:
    """ref -> (name, url) for every target of one kind on the page, in one query."""
    from ..auth.models import User
    from ..boards.models import Board, Meeting, Membership
    from ..cycles.models import Cycle
    from ..metrics.models import Metric
    from ..paper.models import PaperBatch
    from ..projects.models import Project
    from ..proposals.models import Proposal

    ids = {int(r) for r in refs if r.isdigit() and len(r) < 10}
    out: dict[str, tuple[str, str | None]] = {}
    if kind == "cycle":
        for c in db.session.scalars(select(Cycle).where(Cycle.slug.in_(refs))):
            out[c.slug] = (c.name, _link("cycles.show", slug=c.slug))
    elif kind == "board":
        for b in db.session.scalars(select(Board).where(Board.slug.in_(refs))):
            out[b.slug] = (b.name, _link("boards.show", slug=b.slug))
    elif kind == "metric":
        for m in db.session.scalars(select(Metric).where(Metric.key.in_(refs))):
            out[m.key] = (m.name, _link("metrics.show", key=m.key))
    elif kind == "proposal":
        for p in db.session.scalars(select(Proposal).where(Proposal.id.in_(ids))):
            out[str(p.id)] = (p.title, _link("proposals.show", proposal_id=p.id))
    elif kind == "project":
        for p in db.session.scalars(select(Project).where(Project.id.in_(ids))):
            out[str(p.id)] = (p.title, _link("projects.show", project_id=p.id))
    elif kind == "paper_batch":
        for b in db.session.scalars(select(PaperBatch).where(PaperBatch.id.in_(ids))):
            out[str(b.id)] = (gettext("paper batch “%(label)s”", label=b.label),
                              _link("paper.batch", batch_id=b.id))
    elif kind == "meeting":
        query = select(Meeting).where(Meeting.id.in_(ids)).options(selectinload(Meeting.board))
        for m in db.session.scalars(query):
            out[str(m.id)] = (m.title, _link("boards.meeting", slug=m.board.slug,
                                             meeting_id=m.id))
    elif kind == "membership":
        query = select(Membership).where(Membership.id.in_(ids)).options(
            selectinload(Membership.board), selectinload(Membership.user))
        for m in db.session.scalars(query):
            name = gettext("%(person)s on %(board)s", person=m.user.name, board=m.board.name)
            out[str(m.id)] = (name, _link("boards.members", slug=m.board.slug))
    elif kind == "comment":
        from ..comments.models import Comment

        for c in db.session.scalars(select(Comment).where(Comment.id.in_(ids))):
            anchor = f"comment-{c.id}"
            url = (_link("proposals.show", proposal_id=c.proposal_id, _anchor=anchor)
                   if c.proposal_id else
                   _link("projects.show", project_id=c.project_id, _anchor=anchor))
            out[str(c.id)] = (gettext("comment %(n)s by %(person)s", n=c.id,
                                      person=c.author.name), url)
    elif kind == "service":
        from ..directory.models import Service

        for s in db.session.scalars(select(Service).where(Service.id.in_(ids))):
            out[str(s.id)] = (s.name, _link("directory.show", service_id=s.id))
    elif kind == "survey":
        from ..surveys.models import Survey

        for v in db.session.scalars(select(Survey).where(Survey.id.in_(ids))):
            out[str(v.id)] = (v.title, _link("surveys.edit", slug=v.slug))
    elif kind == "user":
        for u in db.session.scalars(select(User).where(User.id.in_(ids))):
            out[str(u.id)] = (u.name, None)
    return out


def targets(events) -> dict[str, Target]:
    """Each event target on the page ("kind:ref") named and, where there is a page, linked."""
    by_kind: dict[str, set[str]] = defaultdict(set)
    for e in events:
        kind, _, ref = (e.target or "").partition(":")
        if ref:
            by_kind[kind].add(ref)
    out: dict[str, Target] = {}
    for kind, refs in by_kind.items():
        found = _names(kind, refs)
        for ref in refs:
            name, url = found.get(ref, (None, None))
            out[f"{kind}:{ref}"] = Target(name or f"{kind} {ref}", url)
    return out
