"""Staff create cycles, edit them and move them through their phases; every change is audited."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.cycles.models import Cycle, Neighbourhood
from pbapp.extensions import db
from pbapp.voting.models import Participation
from pbapp.voting.services import cast_ballot, voter_key

NEW = "/cycles/manage/new"


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def cycle_form(token: str, **overrides) -> dict:
    form = {"csrf_token": token, "name": "Spring budget", "slug": "spring-2027",
            "description": "Decide together.", "budget": "250000", "method": "greedy",
            "max_ranks": "4", "seats": "1", "scoring": "k-points", "completion": "add1",
            "threshold": "", "proposals_open": "2027-01-10T09:00",
            "voting_opens": "2027-03-01T09:00", "voting_closes": "2027-03-15T18:00",
            "min_age": "", "vote_by_account": "y", "vote_by_code": "y"}  # use_roll unticked
    form.update(overrides)
    return form


def move(client, csrf, slug: str, to: str):
    return client.post(f"/cycles/manage/{slug}/phase",
                       data={"csrf_token": csrf(f"/cycles/manage/{slug}"), "to": to})


def test_staff_creates_a_cycle_and_walks_it_through_every_phase(client, csrf, staff,
                                                                 make_proposal):
    hood = Neighbourhood(slug="riverside", name="Riverside")
    db.session.add(hood)
    db.session.commit()
    page = client.get(NEW)
    assert page.status_code == 200 and b"Riverside" in page.data and b"equal-shares" in page.data

    resp = client.post(NEW, data=cycle_form(csrf(NEW), neighbourhoods=str(hood.id)))
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith("/cycles/manage/spring-2027")
    cycle = db.session.scalar(select(Cycle))
    assert (cycle.phase, cycle.budget_cents, cycle.method, cycle.max_ranks) == (
        "draft", 250_000_00, "greedy", 4)
    assert [n.slug for n in cycle.neighbourhoods] == ["riverside"]
    assert cycle.voting_opens == datetime(2027, 3, 1, 9, tzinfo=timezone.utc)
    assert actions() == ["cycle.create"]
    assert client.get("/cycles/spring-2027").status_code == 404  # drafts are staff-only
    listing = client.get("/cycles/manage/")
    assert b"Spring budget" in listing.data and b"draft" in listing.data

    for to in ("proposals", "review"):
        assert move(client, csrf, "spring-2027", to).status_code == 303
    assert cycle.phase == "review"

    refused = move(client, csrf, "spring-2027", "voting")
    assert refused.status_code == 303
    assert b"Accept at least one proposal" in client.get(refused.headers["Location"]).data
    db.session.refresh(cycle)
    assert cycle.phase == "review"
    assert actions().count("cycle.phase") == 2

    make_proposal(cycle, "Street lights")
    for to in ("voting", "counting"):
        assert move(client, csrf, "spring-2027", to).status_code == 303
    db.session.refresh(cycle)
    assert cycle.phase == "counting"
    assert client.get("/cycles/spring-2027").status_code == 200

    page = client.get("/cycles/manage/spring-2027")
    assert b"Run the count" in page.data and b"Publish a counted result" in page.data
    counted = client.post("/cycles/manage/spring-2027/count",
                          data={"csrf_token": csrf("/cycles/manage/spring-2027")})
    assert counted.status_code == 303
    review = client.get(counted.headers["Location"])
    assert b"Publish this result" in review.data and b"Street lights" in review.data
    published = client.post(counted.headers["Location"] + "/publish",
                            data={"csrf_token": csrf(counted.headers["Location"])})
    assert published.status_code == 303
    db.session.refresh(cycle)
    assert cycle.phase == "implementation"
    assert move(client, csrf, "spring-2027", "closed").status_code == 303
    db.session.refresh(cycle)
    assert cycle.phase == "closed"
    assert actions() == ["cycle.create"] + ["cycle.phase"] * 4 + [
        "cycle.count", "cycle.publish", "cycle.phase"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cycle.phase")
                              .order_by(AuditEvent.id.desc()))
    assert event.detail == {"old": "implementation", "new": "closed"}
    assert event.actor_id == staff.id


@pytest.mark.parametrize("overrides, message", [
    ({"slug": "Spring 2027"}, b"lower-case letters"),
    ({"slug": "manage"}, b"reserved"),
    ({"slug": "taken"}, b"already uses this slug"),
    ({"voting_closes": "2027-02-01T09:00"}, b"Voting must close after it opens"),
    ({"method": "plurality"}, b"Not a valid choice"),
    ({"budget": "-5"}, b"Number must be at least 1"),
    ({"max_ranks": "0"}, b"Number must be between 1 and 20"),
])
def test_an_invalid_cycle_is_refused_and_nothing_is_written(client, csrf, staff, make_cycle,
                                                           overrides, message):
    make_cycle(slug="taken")
    resp = client.post(NEW, data=cycle_form(csrf(NEW), **overrides))
    assert resp.status_code == 200
    assert message in resp.data
    assert db.session.scalar(select(func.count()).select_from(Cycle)) == 1
    assert actions() == []


def test_editing_records_the_changes_and_respects_locked_settings(client, csrf, staff,
                                                                 make_cycle, make_proposal):
    cycle = make_cycle(slug="draft-one", budget=1000)
    url = "/cycles/manage/draft-one/edit"
    resp = client.post(url, data=cycle_form(csrf(url), slug="renamed", budget="2000",
                                            shown_phase="draft"))
    assert resp.status_code == 303
    db.session.refresh(cycle)
    assert (cycle.slug, cycle.budget_cents) == ("renamed", 2000_00)
    event = db.session.scalar(select(AuditEvent))
    assert event.action == "cycle.update"
    assert event.detail["changes"]["budget_cents"] == [1000_00, 2000_00]
    assert event.detail["changes"]["slug"] == ["draft-one", "renamed"]

    make_proposal(cycle, "Lights")
    cycle.phase = "voting"
    db.session.commit()
    url = "/cycles/manage/renamed/edit"
    form = client.get(url)
    assert b'name="budget"' not in form.data and b'name="slug"' not in form.data
    assert b"these settings are fixed" in form.data
    resp = client.post(url, data=cycle_form(csrf(url), slug="renamed", budget="9",
                                            max_ranks="9", name="New name",
                                            shown_phase="voting"))
    assert resp.status_code == 303
    db.session.refresh(cycle)
    assert (cycle.name, cycle.budget_cents, cycle.max_ranks) == ("New name", 2000_00, 4)

    stale = client.post(url, data=cycle_form(csrf(url), name="Stale", shown_phase="review"))
    assert stale.status_code == 200 and b"while you were editing" in stale.data
    db.session.refresh(cycle)
    assert cycle.name == "New name"


def test_update_cycle_refuses_a_locked_change_whatever_the_caller(app, make_cycle, make_user):
    from pbapp.cycles.services import PhaseError, update_cycle

    cycle = make_cycle(phase="voting")
    with pytest.raises(PhaseError, match="budget"):
        update_cycle(cycle, make_user("staff"), budget_cents=5)
    db.session.rollback()
    assert actions() == []


def test_going_back_only_where_it_is_safe(client, csrf, staff, make_cycle, make_proposal):
    cycle = make_cycle(phase="review")
    make_proposal(cycle, "Lights")
    assert move(client, csrf, "spring", "proposals").status_code == 303
    db.session.refresh(cycle)
    assert cycle.phase == "proposals"
    move(client, csrf, "spring", "draft")  # proposals exist: refused
    db.session.refresh(cycle)
    assert cycle.phase == "proposals"

    cycle.phase = "voting"
    db.session.commit()
    cast_ballot(cycle, voter_key("user", 1), "online", [cycle_proposal_id(cycle)])
    db.session.commit()
    page = client.get(move(client, csrf, "spring", "review").headers["Location"])
    assert b"Ballots have been cast" in page.data
    db.session.refresh(cycle)
    assert cycle.phase == "voting"

    move(client, csrf, "spring", "counting")
    client.post("/cycles/manage/spring/count", data={"csrf_token": csrf("/cycles/manage/spring")})
    move(client, csrf, "spring", "voting")
    db.session.refresh(cycle)
    assert cycle.phase == "counting"
    assert actions() == ["cycle.phase", "cycle.phase", "cycle.count"]


def cycle_proposal_id(cycle) -> int:
    from pbapp.voting.services import ballot_choices

    return ballot_choices(cycle)[0].id


def test_a_stale_page_cannot_move_a_cycle_two_steps(client, csrf, staff, make_cycle):
    cycle = make_cycle(phase="proposals")
    assert move(client, csrf, "spring", "review").status_code == 303
    move(client, csrf, "spring", "review")  # the same button pressed again from an old page
    move(client, csrf, "spring", "closed")
    move(client, csrf, "spring", "nonsense")
    db.session.refresh(cycle)
    assert cycle.phase == "review"
    assert actions() == ["cycle.phase"]


def test_wrong_role_is_refused_on_every_staff_page(client, csrf, make_user, login, make_cycle):
    cycle = make_cycle(phase="voting")
    resident = login(make_user("resident"))
    token = csrf("/vote/spring")  # a resident's own token, from a page residents may use
    for url in ("/cycles/manage/", NEW, "/cycles/manage/spring", "/cycles/manage/spring/edit"):
        assert client.get(url).status_code == 403, url
    for url, data in (("/cycles/manage/spring/phase", {"to": "counting"}),
                      ("/cycles/manage/spring/count", {}), (NEW, cycle_form(token)),
                      ("/cycles/manage/spring/edit", cycle_form(token, shown_phase="voting"))):
        assert client.post(url, data={"csrf_token": token, **data}).status_code == 403, url
    db.session.refresh(cycle)
    assert cycle.phase == "voting" and resident.role == "resident"
    assert db.session.scalar(select(func.count()).select_from(Cycle)) == 1
    assert actions() == []


def test_signed_out_visitors_are_sent_to_sign_in(client, app):
    resp = client.get("/cycles/manage/")
    assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]


def test_missing_csrf_token_and_unknown_slug(client, csrf, staff, make_cycle):
    cycle = make_cycle(phase="proposals")
    assert client.post("/cycles/manage/spring/phase", data={"to": "review"}).status_code == 400
    assert client.post(NEW, data=cycle_form("")).status_code == 400
    db.session.refresh(cycle)
    assert cycle.phase == "proposals"
    token = csrf(NEW)
    assert client.get("/cycles/manage/nope").status_code == 404
    assert client.post("/cycles/manage/nope/phase",
                       data={"csrf_token": token, "to": "review"}).status_code == 404
    assert client.get("/cycles/manage/spring/results/999").status_code == 404
    assert actions() == []
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 0


def test_dates_are_typed_in_site_time_and_stored_in_utc(app, make_user):
    """With the site in London, 10:00 on a summer day is 09:00 UTC, and shows as 10:00 again."""
    from pbapp import create_app
    from tests.conftest import config_for, csrf_token

    london = create_app(type("LondonConfig", (config_for(app.config["SQLALCHEMY_DATABASE_URI"]),),
                             {"BABEL_DEFAULT_TIMEZONE": "Europe/London"}))
    browser = london.test_client()
    user_id = make_user("staff").get_id()
    with browser.session_transaction() as session:
        session["_user_id"] = str(user_id)
    resp = browser.post(NEW, data=cycle_form(csrf_token(browser, NEW),
                                             proposals_open="2027-01-10T09:00",
                                             voting_opens="2027-07-01T10:00",
                                             voting_closes="2027-07-15T18:30"))
    assert resp.status_code == 303
    db.session.rollback()  # end this session's read snapshot: the other app committed since
    cycle = db.session.scalar(select(Cycle))
    assert cycle.proposals_open == datetime(2027, 1, 10, 9, tzinfo=timezone.utc)
    assert cycle.voting_opens == datetime(2027, 7, 1, 9, tzinfo=timezone.utc)
    form = browser.get("/cycles/manage/spring-2027/edit")
    assert b'value="2027-07-01T10:00"' in form.data and b'value="2027-07-15T18:30"' in form.data
    with london.app_context():
        db.engine.dispose()
