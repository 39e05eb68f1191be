"""Action plans (issue 21, part 1): how an action is going, in the city's calendar; the yearly
review's carry-over and its refusal the second time; on both databases."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from pbapp.extensions import db
from pbapp.models_base import site_today
from pbapp.plans.models import ActionPlan, PlanAction, ProgressNote
from pbapp.plans.review import ReviewFields, following_period, review_plan
from pbapp.plans.services import NotNow, action_state, add_note


def test_state_from_status_and_due_date():
    today = date(2026, 6, 15)
    assert action_state("planned", today, today) == "planned"  # due today is not late yet
    assert action_state("under_way", today, today) == "on_track"
    assert action_state("under_way", today - timedelta(days=1), today) == "late"
    assert action_state("planned", today - timedelta(days=1), today) == "late"
    assert action_state("done", today - timedelta(days=400), today) == "done"
    assert action_state("dropped", today - timedelta(days=1), today) == "dropped"


def test_due_date_edge_is_the_citys_midnight(app):
    """The same moment is still the due day in Pago Pago (UTC-11) and already the next day in
    Kiritimati (UTC+14): the action is on track in one city and late in the other."""
    due = datetime.now(ZoneInfo("Pacific/Pago_Pago")).date()
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Pacific/Pago_Pago"
    assert site_today() == due and action_state("under_way", due) == "on_track"
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Pacific/Kiritimati"
    assert site_today() > due and action_state("under_way", due) == "late"


def _review(world, **kw):
    fields = dict(review="Hub opened late; training moves to next year.",
                  next_title="Safety plan 2027", next_start=date(2027, 1, 1),
                  next_end=date(2027, 12, 31), next_translations={"es": {"title": "Plan 2027"}})
    fields.update(kw)
    return review_plan(world.member, world.plan, ReviewFields(**fields))


def test_review_carries_unfinished_actions_and_keeps_notes_behind(world):
    note = add_note(world.member, world.hub, site_today(), "Keys handed over.")
    db.session.commit()
    successor = _review(world)
    db.session.commit()
    old = db.session.get(ActionPlan, world.plan.id)
    assert old.status == "closed" and old.review.startswith("Hub opened") and old.closed_at
    assert successor.previous_id == old.id and successor.status == "draft"
    assert successor.text("title", "es") == "Plan 2027"
    assert successor.needs == old.needs and [h.slug for h in successor.neighbourhoods] == [
        "riverside"]
    assert [f.metric.key for f in successor.figures] == ["violent-injury"]
    carried = {a.title: a for a in successor.actions}
    assert set(carried) == {"Open a youth hub", "Train door staff"}  # the done one stays
    hub = carried["Open a youth hub"]
    assert hub.carried_from_id == world.hub.id and hub.status == "under_way"
    assert [p.id for p in hub.projects] == [world.project.id] and hub.notes == []
    assert [n.id for n in db.session.get(PlanAction, world.hub.id).notes] == [note.id]


def test_second_review_is_refused_and_changes_nothing(world):
    _review(world)
    db.session.commit()
    plans = db.session.scalar(select(func.count(ActionPlan.id)))
    with pytest.raises(NotNow, match="already been reviewed"):
        _review(world, next_title="Another")
    db.session.rollback()
    assert db.session.scalar(select(func.count(ActionPlan.id))) == plans


def test_a_draft_is_not_reviewed(world):
    with pytest.raises(NotNow, match="Publish the plan"):
        review_plan(world.member, world.draft, ReviewFields("x", "y", date(2028, 1, 1),
                                                            date(2028, 12, 31)))


def test_following_period_is_as_long_and_stops_at_the_limit(world):
    assert following_period(world.plan) == (date(2027, 1, 1), date(2027, 12, 31))
    world.plan.period_end = date(2200, 12, 31)
    assert following_period(world.plan) is None
    db.session.rollback()


def test_notes_are_dated_and_not_in_the_future(world):
    from pbapp.plans.services import Invalid

    with pytest.raises(Invalid, match="future"):
        add_note(world.member, world.hub, site_today() + timedelta(days=1), "Soon")
    with pytest.raises(Invalid, match="control character"):
        add_note(world.member, world.hub, site_today(), "a\x00b")
    db.session.rollback()
    assert db.session.scalar(select(func.count(ProgressNote.id))) == 0
