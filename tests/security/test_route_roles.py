"""Every page × every role: the expected answer, on the demo city.

Guards against broken access control (OWASP A01): a staff or admin page reachable by a
resident, a board tool reachable by another board's member, an unpublished item reachable by
id. Every GET route of the app must appear in ``EXPECTED``, so a new page cannot ship without
deciding who may see it.

Roles: anonymous, resident, member (the chair of the East board), staff, admin. ``LOGIN`` means
anonymous is sent to sign in and every signed-in role gets the page; ``MEMBER`` means residents
get 403 and the board's member, staff and admin get it; and so on.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pbapp.auth.models import User
from pbapp.extensions import db

ROLES = ("anonymous", "resident", "member", "staff", "admin")
EMAILS = {"resident": "resident@example.org", "member": "public-health.east-safety@example.org",
          "staff": "staff@example.org", "admin": "admin@example.org"}
PUBLIC = {r: 200 for r in ROLES}
LOGIN = {"anonymous": 302, **{r: 200 for r in ROLES[1:]}}
MEMBER = {"anonymous": 302, "resident": 403, "member": 200, "staff": 200, "admin": 200}
STAFF = {"anonymous": 302, "resident": 403, "member": 403, "staff": 200, "admin": 200}
ADMIN = {"anonymous": 302, "resident": 403, "member": 403, "staff": 403, "admin": 200}
GUEST = {"anonymous": 200, **{r: 302 for r in ROLES[1:]}}  # sign-in pages: the signed-in move on
#: the board's own tools: its chair and admins (staff run cycles, not boards)
CHAIR = {"anonymous": 302, "resident": 403, "member": 200, "staff": 403, "admin": 200}
#: board members write proposals; nobody else does, not even staff
BOARD_ONLY = {"anonymous": 302, "resident": 403, "member": 200, "staff": 403, "admin": 403}
#: a draft is the board's (staff may read it): residents are not told it exists
DRAFT = {"anonymous": 302, "resident": 404, "member": 200, "staff": 403, "admin": 403}
#: reviewing is staff work; a submitted proposal is not public until accepted
REVIEW = {"anonymous": 302, "resident": 404, "member": 403, "staff": 200, "admin": 200}

#: endpoint -> (url built from the demo, expected status per role)
EXPECTED = {
    "main.home": ("/", PUBLIC),
    "main.health": ("/healthz", PUBLIC),
    "auth.login": ("/auth/login", GUEST),
    "auth.register": ("/auth/register", GUEST),
    "auth.account": ("/auth/account", LOGIN),
    "auth.admin_users": ("/auth/admin/users", ADMIN),
    "auth.admin_new_staff": ("/auth/admin/users/new-staff", ADMIN),
    # the emailed confirmation link's page: a button to press (POST), whoever opens it
    "auth.verify": ("/auth/verify/{verify_link}", PUBLIC),
    # the emailed link's page: a button to press (POST), whoever opens it
    "auth.login_link": ("/auth/login-link/{sign_in_link}", PUBLIC),
    "auth.change_password": ("/auth/password", LOGIN),
    "auth.delete_own_account": ("/auth/account/delete", LOGIN),
    "auth.forgot_password": ("/auth/password/forgot", PUBLIC),
    # the emailed links' pages: a form to fill in (POST), whoever opens them
    "auth.reset_password": ("/auth/password/reset/{reset_link}", PUBLIC),
    "auth.accept_invitation": ("/auth/invitation/{invitation_link}", PUBLIC),
    # staff and board sign-in with the city's identity provider: absent while OIDC is off, as
    # in the demo (tests/auth/test_oidc.py walks it with a provider of its own)
    "auth.oidc_start": ("/auth/oidc/start", {r: 404 for r in ROLES}),
    "auth.oidc_callback": ("/auth/oidc/callback", {r: 404 for r in ROLES}),
    "boards.index": ("/boards/", PUBLIC),
    "boards.new": ("/boards/new", ADMIN),
    "boards.show": ("/boards/{board}", PUBLIC),
    "boards.edit": ("/boards/{board}/edit", ADMIN),
    "boards.members": ("/boards/{board}/members", CHAIR),
    "boards.invite": ("/boards/{board}/members/new", CHAIR),
    "boards.edit_member": ("/boards/{board}/members/{membership}/edit", CHAIR),
    "boards.meeting": ("/boards/{board}/meetings/{meeting}", PUBLIC),
    "boards.new_meeting": ("/boards/{board}/meetings/new", CHAIR),
    "boards.edit_meeting": ("/boards/{board}/meetings/{meeting}/edit", CHAIR),
    "cycles.index": ("/cycles/", PUBLIC),
    "cycles.show": ("/cycles/2026-spring", PUBLIC),
    "cycles.results": ("/cycles/2026-spring/results", PUBLIC),
    "cycles.ballots_file": ("/cycles/2026-spring/results/ballots.csv", PUBLIC),
    "cycles.manage_index": ("/cycles/manage/", STAFF),
    "cycles.manage_create": ("/cycles/manage/new", STAFF),
    "cycles.manage_show": ("/cycles/manage/2026-autumn", STAFF),
    "cycles.manage_edit": ("/cycles/manage/2026-autumn/edit", STAFF),
    "cycles.manage_codes": ("/cycles/manage/2026-autumn/codes", STAFF),
    "cycles.manage_roll": ("/cycles/manage/2026-autumn/roll", STAFF),
    "cycles.manage_result": ("/cycles/manage/2026-spring/results/{result}", STAFF),
    "proposals.index": ("/proposals/", PUBLIC),
    "proposals.show": ("/proposals/{proposal}", PUBLIC),
    "proposals.new": ("/proposals/new", BOARD_ONLY),
    "proposals.edit": ("/proposals/{draft}/edit", DRAFT),
    "proposals.review": ("/proposals/{submitted}/review", REVIEW),
    "proposals.ideas": ("/proposals/cycles/2027-open/ideas", PUBLIC),
    "proposals.idea": ("/proposals/ideas/{idea}", PUBLIC),
    "proposals.new_idea": ("/proposals/cycles/2027-open/ideas/new", LOGIN),
    "projects.index": ("/projects/", PUBLIC),
    "projects.show": ("/projects/{project}", PUBLIC),
    "projects.new_update": ("/projects/{project}/updates/new", MEMBER),
    "projects.new_milestone": ("/projects/{project}/milestones/new", MEMBER),
    "projects.edit_milestone": ("/projects/{project}/milestones/{milestone}/edit", MEMBER),
    "projects.change_status": ("/projects/{project}/status", MEMBER),
    "projects.new_spending": ("/projects/{project}/spending/new", MEMBER),
    "projects.new_target": ("/projects/{project}/targets/new", MEMBER),
    # a project's picture is chosen by staff only
    "projects.picture": ("/projects/{project}/picture", STAFF),
    "images.show": ("/images/{image}", PUBLIC),
    "metrics.index": ("/metrics/", PUBLIC),
    "metrics.small_numbers": ("/metrics/small-numbers", PUBLIC),
    "main.accessibility": ("/accessibility", PUBLIC),
    "main.open_data": ("/open-data", PUBLIC),
    "metrics.show": ("/metrics/violent-incidents", PUBLIC),
    "metrics.new": ("/metrics/new", STAFF),
    "metrics.edit": ("/metrics/violent-incidents/edit", STAFF),
    "metrics.measurements": ("/metrics/violent-incidents/measurements", STAFF),
    "metrics.new_measurement": ("/metrics/violent-incidents/measurements/new", STAFF),
    "metrics.import_measurements": ("/metrics/import", STAFF),
    "reports.cycle": ("/reports/cycles/2026-spring", PUBLIC),
    "reports.cycle_csv": ("/reports/cycles/2026-spring.csv", PUBLIC),
    "reports.cycle_json": ("/reports/cycles/2026-spring.json", PUBLIC),
    "reports.board": ("/reports/boards/{board}", PUBLIC),
    "reports.board_csv": ("/reports/boards/{board}.csv", PUBLIC),
    "reports.board_json": ("/reports/boards/{board}.json", PUBLIC),
    "reports.project": ("/reports/projects/{project}", PUBLIC),
    "reports.project_csv": ("/reports/projects/{project}.csv", PUBLIC),
    "reports.project_json": ("/reports/projects/{project}.json", PUBLIC),
    "feeds.project_updates": ("/feeds/project-updates.atom", PUBLIC),
    "feeds.project_updates_of": ("/feeds/projects/{project}.atom", PUBLIC),
    "api.index": ("/api/v1/", PUBLIC),
    "api.cycles": ("/api/v1/cycles", PUBLIC),
    "api.cycle": ("/api/v1/cycles/2026-spring", PUBLIC),
    "api.cycle_proposals": ("/api/v1/cycles/2026-spring/proposals", PUBLIC),
    "api.cycle_results": ("/api/v1/cycles/2026-spring/results", PUBLIC),
    "api.proposal": ("/api/v1/proposals/{proposal}", PUBLIC),
    "api.projects": ("/api/v1/projects", PUBLIC),
    "api.project": ("/api/v1/projects/{project}", PUBLIC),
    "api.proposal_timeline": ("/api/v1/proposals/{proposal}/timeline", PUBLIC),
    "api.project_timeline": ("/api/v1/projects/{project}/timeline", PUBLIC),
    "api.proposal_comments": ("/api/v1/proposals/{proposal}/comments", PUBLIC),
    "api.project_comments": ("/api/v1/projects/{project}/comments", PUBLIC),
    "api.neighbourhoods": ("/api/v1/neighbourhoods", PUBLIC),
    "api.metrics": ("/api/v1/metrics", PUBLIC),
    "api.metric": ("/api/v1/metrics/violent-incidents", PUBLIC),
    "api.metric_measurements": ("/api/v1/metrics/violent-incidents/measurements", PUBLIC),
    "api.openapi": ("/api/v1/openapi.json", PUBLIC),
    "audit.index": ("/staff/audit/", STAFF),
    "comments.queue": ("/staff/comments", STAFF),
    # following by email: one's own follows; the emailed unsubscribe link's page is a button to
    # press (POST), whoever opens it
    "follows.index": ("/follows/", LOGIN),
    "follows.unsubscribe": ("/follows/unsubscribe/{unsubscribe_link}", PUBLIC),
    "paper.index": ("/staff/paper/", STAFF),
    "paper.cycle": ("/staff/paper/2026-autumn", STAFF),
    "paper.places": ("/staff/paper/2026-spring/places", STAFF),
    "voting.tracker": ("/vote/tracker", PUBLIC),
    # the demo resident lives in Riverside and may vote; the others get a page saying why not
    "voting.ballot": ("/vote/2026-autumn", LOGIN),
    "voting.code": ("/vote/2026-autumn/code", PUBLIC),
    # linking a letter's personal code to an account: any signed-in account may ask
    "voting.claim": ("/vote/2026-autumn/claim", LOGIN),
    # the address step exists only where a cycle requires an address (the demo's do not);
    # tests/voting/test_address_eligibility.py walks it
    "voting.address": ("/vote/2026-autumn/address", {"anonymous": 302,
                                                     **{r: 404 for r in ROLES[1:]}}),
    "maps.boundaries": ("/maps/boundaries", STAFF),
    "directory.index": ("/directory", PUBLIC),
    "directory.show": ("/directory/{service}", PUBLIC),
    "directory.hsds": ("/directory/hsds.json", PUBLIC),
    # board members keep their board's entries, staff every entry
    "directory.new": ("/directory/new", MEMBER),
    "directory.edit": ("/directory/{service}/edit", MEMBER),
    "directory.import_hsds": ("/directory/import", STAFF),
    # action plans: the public reads published ones; the board's members and staff keep them
    "plans.index": ("/plans", PUBLIC),
    "plans.show": ("/plans/{plan}", PUBLIC),
    "plans.report": ("/plans/{plan}/report", PUBLIC),
    "plans.report_csv": ("/plans/{plan}/report.csv", PUBLIC),
    "plans.report_json": ("/plans/{plan}/report.json", PUBLIC),
    "plans.new": ("/plans/new?board={board}", MEMBER),
    "plans.edit": ("/plans/{plan}/edit", MEMBER),
    "plans.new_action": ("/plans/{plan}/actions/new", MEMBER),
    "plans.edit_action": ("/plans/{plan}/actions/{plan_action}/edit", MEMBER),
    # surveys: residents read open and closed ones; staff build, review and close them
    "surveys.index": ("/surveys", PUBLIC),
    "surveys.show": ("/surveys/{survey}", PUBLIC),
    "surveys.results": ("/surveys/{survey}/results", PUBLIC),
    "surveys.staff_index": ("/staff/surveys", STAFF),
    "surveys.new": ("/staff/surveys/new", STAFF),
    "surveys.edit": ("/staff/surveys/{survey}/edit", STAFF),
    "surveys.review": ("/staff/surveys/{survey}/review", STAFF),
    "api.surveys": ("/api/v1/surveys", PUBLIC),
    "api.survey_results": ("/api/v1/surveys/{survey}/results", PUBLIC),
    # stories: anyone reads and opens the form (it asks the signed-out to sign in); the private
    # withdrawal link's page is a button to press (POST), whoever holds it; staff moderate
    "stories.index": ("/stories", PUBLIC),
    "stories.new": ("/stories/new", PUBLIC),
    "stories.withdraw": ("/stories/withdraw/{story_link}", PUBLIC),
    "stories.queue": ("/staff/stories", STAFF),
    "api.stories": ("/api/v1/stories", PUBLIC),
    "plans.note": ("/plans/{plan}/actions/{plan_action}/note", MEMBER),
    "plans.targets": ("/plans/{plan}/actions/{plan_action}/targets", MEMBER),
    "plans.review": ("/plans/{plan}/review", MEMBER),
    "api.plans": ("/api/v1/plans", PUBLIC),
    "api.plan": ("/api/v1/plans/{plan}", PUBLIC),
    # data-sharing agreements: everyone reads them; staff keep them
    "agreements.index": ("/agreements/", PUBLIC),
    "agreements.show": ("/agreements/police-recorded-violence", PUBLIC),
    "agreements.new": ("/agreements/new", STAFF),
    "agreements.edit": ("/agreements/police-recorded-violence/edit", STAFF),
    "api.agreements": ("/api/v1/agreements", PUBLIC),
    "api.agreement": ("/api/v1/agreements/police-recorded-violence", PUBLIC),
}
#: GET routes that only make sense in the middle of a journey (a held code, a fresh receipt,
#: a paper batch); their access rules are tested with the journeys in tests/voting, tests/paper
#: (the review steps show the ranking kept in the session, and send back to the ballot without one)
JOURNEY_ONLY = {"voting.code_ballot", "voting.code_receipt", "voting.receipt", "paper.batch",
                "voting.review", "voting.code_review",
                "paper.enter", "paper.correct", "api.not_found"}
#: unpublished things: nobody but the people working on them reaches them by id or slug
HIDDEN = {
    "draft proposal page": ("/proposals/{draft}", {"anonymous": 404, "resident": 404,
                                                    "member": 200, "staff": 200, "admin": 200}),
    "draft proposal in the API": ("/api/v1/proposals/{draft}", {r: 404 for r in ROLES}),
    "unpublished results": ("/cycles/2026-autumn/results", {r: 404 for r in ROLES}),
    "unpublished results in the API": ("/api/v1/cycles/2026-autumn/results",
                                       {r: 404 for r in ROLES}),
    "unpublished cycle report": ("/reports/cycles/2026-autumn", {r: 404 for r in ROLES}),
    "draft action plan": ("/plans/{draft_plan}", {"anonymous": 404, "resident": 404,
                                                  "member": 200, "staff": 200, "admin": 200}),
    "draft action plan in the API": ("/api/v1/plans/{draft_plan}", {r: 404 for r in ROLES}),
}


@pytest.fixture()
def city(runner):
    assert runner.invoke(args=["demo", "--ballots", "200"]).exit_code == 0
    return city_extras()


def city_extras() -> dict:
    """On the demo city: a cycle taking proposals with a draft and an idea, one in review with a
    submitted proposal; returns the ids and slugs the matrix's URLs need (browser tests too)."""
    from pbapp.auth.password_links import INVITE_SALT
    from pbapp.auth.password_links import make_token as reset_token
    from pbapp.auth.sign_in_link import make_token
    from pbapp.auth.verification import make_token as verify_token
    from pbapp.boards.models import Board, Meeting, Membership
    from pbapp.cycles.models import Cycle, Result
    from pbapp.directory.models import Service
    from pbapp.follows.unsubscribe import make_token as unsubscribe_token
    from pbapp.images.models import Image
    from pbapp.projects.models import Milestone, Project
    from pbapp.proposals.models import Idea, Proposal

    board = db.session.scalar(select(Board).where(Board.slug == "east-safety"))
    chair = db.session.scalar(select(User).where(User.email == EMAILS["member"]))
    project = db.session.scalar(select(Project).where(Project.board_id == board.id)
                                .order_by(Project.id))
    open_cycle = Cycle(slug="2027-open", name="Open for proposals", phase="proposals",
                       budget_cents=10_000_00)
    review_cycle = Cycle(slug="2027-review", name="In review", phase="review",
                         budget_cents=10_000_00)
    db.session.add_all([open_cycle, review_cycle])
    db.session.flush()
    draft = Proposal(cycle_id=open_cycle.id, board_id=board.id, author_id=chair.id,
                     title="A draft only the board sees", summary="Not yet submitted",
                     cost_cents=100000, status="draft")
    submitted = Proposal(cycle_id=review_cycle.id, board_id=board.id, author_id=chair.id,
                         title="Waiting for review", summary="Submitted", cost_cents=100000,
                         status="submitted")
    idea = Idea(cycle_id=open_cycle.id, problem="Dark underpass", place="Station Road",
                suggestion="Lighting")
    project.image = Image(digest="d" * 64, content_type="image/png", width=1, height=1,
                          byte_size=1, alt="The project", data=b"png")
    outsider = User(email="outsider@example.org", name="Outsider", password_hash="!")
    from pbapp.plans.models import ActionPlan, ActionTarget

    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.board_id == board.id))
    draft_plan = ActionPlan(board_id=board.id, title="A draft plan", status="draft",
                            period_start=plan.period_start, period_end=plan.period_end)
    db.session.add_all([draft, submitted, idea, outsider, draft_plan])
    db.session.commit()
    first = lambda model, *where: db.session.scalar(  # noqa: E731
        select(model.id).where(*where).order_by(model.id).limit(1))
    return {
        "board": board.slug,
        "membership": first(Membership, Membership.board_id == board.id),
        "meeting": first(Meeting, Meeting.board_id == board.id),
        "result": first(Result, Result.cycle_id == project.cycle_id),
        "proposal": project.proposal_id,
        "draft": draft.id,
        "submitted": submitted.id,
        "idea": idea.id,
        "project": project.id,
        "image": f"{project.image.id}/{project.image.filename}",
        "milestone": first(Milestone, Milestone.project_id == project.id),
        "service": first(Service, Service.board_id == board.id),
        "plan": plan.id,
        "draft_plan": draft_plan.id,
        "plan_action": plan.actions[0].id,
        "plan_target": first(ActionTarget),
        "verify_link": verify_token(db.session.scalar(
            select(User).where(User.email == EMAILS["resident"]))),
        # for a board member nobody signs in as, so the link stays unspent
        "sign_in_link": make_token(db.session.scalar(
            select(User).join(Membership, Membership.user_id == User.id)
            .where(Membership.board_id == board.id, Membership.is_chair.is_(False))
            .order_by(User.id).limit(1))),
        # for accounts nobody signs in as in these tests, so the links stay unspent
        "reset_link": reset_token(outsider),
        "invitation_link": reset_token(outsider, INVITE_SALT),
        "unsubscribe_link": unsubscribe_token(outsider.id, "board", board.id),
        **_survey_values(),
        **_story_values(),
    }


def _survey_values() -> dict:
    """The demo's closed survey, one of its questions and one of its written answers."""
    from pbapp.surveys.models import Survey, SurveyAnswer

    survey = db.session.scalar(select(Survey).where(Survey.slug == "feeling-safe"))
    return {"survey": survey.slug, "survey_question": survey.questions[0].id,
            "survey_answer": db.session.scalar(select(SurveyAnswer.id).where(
                SurveyAnswer.text.is_not(None)).order_by(SurveyAnswer.id).limit(1))}



def _story_values() -> dict:
    """A pending story of the demo resident's, with a withdrawal link whose secret we know."""
    from pbapp.projects.models import Project
    from pbapp.stories.models import Story
    from pbapp.stories.services import hash_secret

    secret = "route-matrix-story-link-0123456789abcdefghi"
    resident = db.session.scalar(select(User).where(User.email == EMAILS["resident"]))
    story = Story(author_id=resident.id, body="A story", name_choice="anonymous",
                  project_id=db.session.scalar(select(Project.id).order_by(Project.id).limit(1)),
                  withdraw_hash=hash_secret(secret))
    db.session.add(story)
    db.session.commit()
    return {"story_link": secret, "story": story.id}


def _as(client, login, role):
    with client.session_transaction() as session:
        session.clear()
    if role != "anonymous":
        login(db.session.scalar(select(User).where(User.email == EMAILS[role])))


def test_every_get_route_is_in_the_matrix(app):
    routes = {r.endpoint for r in app.url_map.iter_rules()
              if "GET" in (r.methods or ()) and r.endpoint != "static"}
    missing = routes - set(EXPECTED) - JOURNEY_ONLY
    assert not missing, f"decide who may see: {sorted(missing)}"
    assert not set(EXPECTED) - routes, "the matrix names routes that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_on_every_page(client, login, city, role):
    _as(client, login, role)
    wrong = []
    for endpoint, (pattern, expected) in EXPECTED.items():
        url = pattern.format(**city)
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append(f"{endpoint} {url}: {status}, expected {expected[role]}")
    for name, (pattern, expected) in HIDDEN.items():
        url = pattern.format(**city)
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append(f"{name} {url}: {status}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)
