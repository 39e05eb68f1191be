"""The services refuse on their own, whatever view (or script) calls them."""
import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import update

from pbapp.extensions import db
from pbapp.proposals import services as svc
from pbapp.proposals.models import Proposal


def fields(**kw) -> svc.ProposalFields:
    values = dict(title="Crisis response", summary="Clinicians answer mental-health calls.",
                  description="", problem="Police attend crises they are not trained for.",
                  root_cause="", metrics="", cost=240_000, neighbourhood_ids=[])
    values.update(kw)
    return svc.ProposalFields(**values)


def test_services_check_role_then_phase(app, make_user, make_board, make_member, make_cycle,
                                        make_proposal):
    board = make_board()
    member = make_member(board)
    staff = make_user(role="staff")
    closed = make_cycle(phase="voting", slug="closed")
    with pytest.raises(svc.NotAllowed):
        svc.create_draft(staff, board, closed, fields())
    with pytest.raises(svc.NotNow):
        svc.create_draft(member, board, closed, fields())
    submitted = make_proposal(board, make_cycle(phase="review"), status="submitted")
    with pytest.raises(svc.NotAllowed):
        svc.review_proposal(member, submitted, "accept")
    with pytest.raises(svc.Refused, match="reason"):
        svc.review_proposal(staff, submitted, "reject", reason=" ")
    with pytest.raises(svc.NotAllowed):
        svc.submit_idea(AnonymousUserMixin(), closed, "p", "q", "s")
    assert submitted.status == "submitted" and len(submitted.history) == 2


def test_a_stale_decision_loses_the_race(app, make_user, make_board, make_cycle, make_proposal):
    """Two reviewers open the same proposal; the second decision must not overwrite the first."""
    proposal = make_proposal(make_board(), make_cycle(phase="review"), status="submitted")
    staff = make_user(role="staff")
    db.session.execute(update(Proposal).where(Proposal.id == proposal.id)
                       .values(status="rejected")
                       .execution_options(synchronize_session=False))
    assert proposal.status == "submitted"  # what the second reviewer's page still shows
    with pytest.raises(svc.NotNow, match="a moment ago"):
        svc.review_proposal(staff, proposal, "accept", feasibility_note="late")
    assert proposal.feasibility_note == ""
    assert [h.to_status for h in proposal.history] == ["draft", "submitted"]


def test_edit_loses_to_a_submission_made_meanwhile(app, make_board, make_member, make_cycle,
                                                   make_proposal):
    board = make_board()
    member = make_member(board)
    proposal = make_proposal(board, make_cycle())
    db.session.execute(update(Proposal).where(Proposal.id == proposal.id)
                       .values(status="submitted")
                       .execution_options(synchronize_session=False))
    with pytest.raises(svc.NotNow):
        svc.update_draft(member, proposal, fields(title="Changed after submission"))
    assert proposal.title == "Violence interrupters"
