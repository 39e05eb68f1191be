"""A small public city for the API tests, and a checker that holds every response to the
OpenAPI document: the body must match the schema the document gives for its path and status."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from pbapp.api.openapi import document
from pbapp.cycles.models import Neighbourhood, Result
from pbapp.maps.models import Boundary
from pbapp.cycles.services import count_cycle, publish_result
from pbapp.extensions import db
from pbapp.metrics.models import Measurement, Metric, ProjectMetric
from pbapp.projects.models import (Milestone, Project, ProjectStatusChange, ProjectUpdate,
                                   Spending)
from pbapp.proposals.models import StatusChange
from pbapp.voting.services import cast_ballot, voter_key

SPEC = "urn:pbapp:openapi"
PREFIX = "/api/v1"
#: statuses that must be written out for each path, not left to ``default``
EXPLICIT = {200, 304, 400, 404}

IRV_BALLOTS = ([("online", ["Street lights"])] * 3 + [("code", ["Youth centre", "Garden"])] * 3
               + [("paper", ["Garden", "Youth centre"]), ("paper", ["Garden"]),
                  ("online", ["Dog park", "Garden"])])
SCRIPT_BODY = "Lamps are up on **Mill Lane**.\n\n<script>alert('x')</script>"


def template_of(doc: dict, url: str) -> str:
    """The document's path template that ``url`` (under /api/v1) matches."""
    path = url.split("?", 1)[0]
    assert path.startswith(PREFIX), url
    path = path[len(PREFIX):]
    for template in doc["paths"]:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            return template
    raise AssertionError(f"{url} matches no path in the OpenAPI document")


def _pointer(*parts: str) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


def response_spec(doc: dict, template: str, status: int) -> tuple[dict, str]:
    """The documented response (references followed) and the JSON pointer to it."""
    responses = doc["paths"][template]["get"]["responses"]
    key = str(status) if str(status) in responses else "default"
    assert key != "default" or status not in EXPLICIT, \
        f"{template} does not document a {status} response"
    spec, pointer = responses[key], _pointer("paths", template, "get", "responses", key)
    if "$ref" in spec:
        pointer = spec["$ref"][1:]
        spec = doc
        for part in pointer.strip("/").split("/"):
            spec = spec[part.replace("~1", "/").replace("~0", "~")]
    return spec, pointer


def validator(doc: dict, template: str, status: int) -> Draft202012Validator | None:
    spec, pointer = response_spec(doc, template, status)
    if "content" not in spec:
        return None
    registry = Registry().with_resource(
        SPEC, Resource.from_contents(doc, default_specification=DRAFT202012))
    schema_at = pointer + _pointer("content", "application/json", "schema")
    return Draft202012Validator({"$ref": f"{SPEC}#{schema_at}"}, registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


@dataclass
class ApiChecker:
    """Requests through the test client; every answer checked against the document."""

    client: object
    doc: dict = field(default_factory=document)
    exercised: set = field(default_factory=set)

    def get(self, url: str, status: int = 200, **kw):
        response = self.client.get(url, **kw)
        assert response.status_code == status, (url, response.status_code, response.data[:300])
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        template = template_of(self.doc, url)
        self.exercised.add((template, status))
        check = validator(self.doc, template, status)
        if check is None:
            assert response.data == b"", f"{url}: a {status} has no body"
            return response
        assert response.mimetype == "application/json"
        errors = sorted(check.iter_errors(response.get_json()), key=lambda e: list(e.path))
        assert not errors, f"{url} ({status}) breaks its schema: " + "; ".join(
            f"{list(e.path)}: {e.message}" for e in errors[:5])
        return response

    def json(self, url: str, status: int = 200):
        return self.get(url, status).get_json()


@pytest.fixture()
def schema_check():
    """``schema_check(path_template, status)``: the validator for that documented response."""
    return lambda template, status: validator(document(), template, status)


@pytest.fixture()
def api(client) -> ApiChecker:
    return ApiChecker(client)


#: riverside's outline (a square with a square hole); hillside has none
RIVERSIDE_OUTLINE = [[[-1.0, 52.0], [-0.9, 52.0], [-0.9, 52.1], [-1.0, 52.1], [-1.0, 52.0]],
                     [[-0.96, 52.04], [-0.94, 52.04], [-0.94, 52.06], [-0.96, 52.04]]]


def _at(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def _measure(metric, period, value=None, *, scope="city", ref="", breakdown="", group="",
             numerator=None, denominator=None, **links) -> Measurement:
    start, end = period
    row = Measurement(metric=metric, scope=scope, scope_ref=ref, period_start=start,
                      period_end=end, value=value, numerator=numerator,
                      denominator=denominator, breakdown=breakdown, group_name=group, **links)
    db.session.add(row)
    return row


H1_2026 = (date(2026, 1, 1), date(2026, 6, 30))
Y2025 = (date(2025, 1, 1), date(2025, 12, 31))


def _plans(project: Project, injuries: Metric, riverside: Neighbourhood):
    """A published action plan (an action with a note, a target and its project) and a draft."""
    from pbapp.plans.models import ActionPlan, ActionTarget, PlanAction, PlanFigure, ProgressNote

    action = PlanAction(title="Open the youth centre", due_on=date(2026, 9, 1),
                        status="under_way", lead_organisation="Youth Trust",
                        partners_text="Library", projects=[project],
                        notes=[ProgressNote(noted_on=date(2026, 5, 2), body="Keys *in hand*.")],
                        targets=[ActionTarget(metric=injuries, baseline_on=date(2025, 12, 31),
                                              target_value=30, target_on=date(2027, 6, 30))])
    plan = ActionPlan(board_id=project.board_id, title="Safety plan", status="published",
                      period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                      needs="Injuries **rose**.", neighbourhoods=[riverside],
                      figures=[PlanFigure(metric=injuries)], actions=[action])
    draft = ActionPlan(board_id=project.board_id, title="Draft plan", status="draft",
                       period_start=date(2027, 1, 1), period_end=date(2027, 12, 31))
    db.session.add_all([plan, draft])
    db.session.commit()
    return plan, draft


def _metrics(project: Project, riverside: Neighbourhood, hillside: Neighbourhood):
    injuries = Metric(key="injuries", name="Violent injuries", definition="Treated in A&E.",
                      unit="people", kind="count", better="lower", source="hospital",
                      supplier="City Hospital", frequency="quarterly",
                      sharing_what="Counts by age band, never names.",
                      sharing_consent="Aggregate data under the partnership's agreement.",
                      sharing_retention="Kept five years.")
    safe = Metric(key="feel-safe", name="Residents who feel safe at night", kind="percent",
                  unit="%", better="higher", source="survey", supplier="Council survey",
                  frequency="yearly")
    db.session.add_all([injuries, safe])
    _measure(injuries, Y2025, 40)
    _measure(injuries, H1_2026, 35)
    for group, value in (("0-17", 3), ("18-24", 20), ("25+", 12)):  # 3 is a small cell
        _measure(injuries, H1_2026, value, breakdown="age_band", group=group)
    _measure(injuries, H1_2026, 7, scope="neighbourhood", ref="riverside",
             neighbourhood_id=riverside.id)
    _measure(injuries, H1_2026, 28, scope="neighbourhood", ref="hillside",
             neighbourhood_id=hillside.id)
    _measure(injuries, H1_2026, 15, scope="project", ref=str(project.id), project_id=project.id)
    _measure(safe, Y2025, numerator=30, denominator=50)
    _measure(safe, Y2025, numerator=4, denominator=8, breakdown="gender", group="women")
    _measure(safe, Y2025, numerator=26, denominator=42, breakdown="gender", group="men")
    db.session.add_all([
        ProjectMetric(project_id=project.id, metric=injuries, baseline_value=40,
                      baseline_period="2025", baseline_on=date(2025, 12, 31),
                      target_value=20, target_on=date(2027, 12, 31)),
        ProjectMetric(project_id=project.id, metric=safe, neighbourhood_id=riverside.id,
                      baseline_value=55, baseline_period="2025", baseline_on=date(2025, 12, 31),
                      target_value=70, target_on=date(2027, 12, 31))])
    return injuries, safe


@pytest.fixture()
def world(app, make_user, make_cycle, make_proposal):
    """A published IRV cycle (transfers, exhausted ballots and a tie) with its funded project
    (spending, milestones, updates, targets), proposals the public may and may not see, a
    cycle still in draft, one counted but unpublished, and two metrics with small cells."""
    staff = make_user("staff", name="Sam Staff", email="sam.staff@example.org")
    riverside = Neighbourhood(slug="riverside", name="Riverside")
    hillside = Neighbourhood(slug="hillside", name="Hillside")
    db.session.add_all([riverside, hillside])
    spring = make_cycle(slug="spring", phase="voting", method="irv", max_ranks=3, budget=1000,
                        neighbourhoods=[riverside, hillside])
    titles = ["Street lights", "Youth centre", "Garden", "Dog park"]
    props = {t: make_proposal(spring, t) for t in titles}
    for i, (channel, ranking) in enumerate(IRV_BALLOTS):
        cast_ballot(spring, voter_key("test", f"spring-{i}"), channel,
                    [props[t].id for t in ranking])
    spring.phase = "counting"
    result = count_cycle(spring, staff)
    publish_result(result, staff)
    db.session.commit()

    hidden = {status: make_proposal(spring, f"A {status} one", status=status)
              for status in ("draft", "submitted", "withdrawn")}
    rejected = make_proposal(spring, "Rejected one", status="rejected")
    pulled = make_proposal(spring, "Pulled after acceptance", status="withdrawn")
    pulled.history.append(StatusChange(from_status="accepted", to_status="withdrawn",
                                       reason="The board found other funding."))
    autumn = make_cycle(slug="autumn", phase="draft")
    in_draft_cycle = make_proposal(autumn, "Autumn plan", status="accepted")
    summer = make_cycle(slug="summer", phase="counting", method="irv")
    db.session.add(Result(cycle=summer, method="irv", data={"winners": [], "rounds": []},
                          cvr_sha256="0" * 64, ballots=0))

    project = db.session.scalar(db.select(Project).where(Project.cycle_id == spring.id))
    project.status = "in_progress"
    project.history.append(ProjectStatusChange(actor_id=staff.id, from_status="planned",
                                               to_status="in_progress", reason="Work began."))
    project.spending.extend([
        Spending(spent_on=date(2026, 5, 1), amount_cents=12_000, category="staff",
                 payee="Youth workers", entered_by_id=staff.id),
        Spending(spent_on=date(2026, 5, 20), amount_cents=3_050, category="materials",
                 payee="Hardware shop", entered_by_id=staff.id)])
    project.milestones.extend([
        Milestone(title="Lease signed", due_on=date(2026, 5, 1), done_on=date(2026, 4, 28)),
        Milestone(title="Doors open", due_on=date(2026, 9, 1), note="After the refit.")])
    first = ProjectUpdate(project=project, author_id=staff.id, title="Lease signed",
                          body="We have *keys*.", published_at=_at(2026, 5, 2, 9, 0))
    second = ProjectUpdate(project=project, author_id=staff.id, title="Lamps are up",
                           body=SCRIPT_BODY, published_at=_at(2026, 6, 1, 10, 30))
    db.session.add_all([first, second])
    db.session.flush()
    injuries, safe = _metrics(project, riverside, hillside)
    db.session.add(Boundary(neighbourhood_id=riverside.id, polygons=[RIVERSIDE_OUTLINE]))
    db.session.commit()
    plan, draft_plan = _plans(project, injuries, riverside)
    return SimpleNamespace(
        staff=staff, spring=spring, result=result, props=props, hidden=hidden,
        rejected=rejected, pulled=pulled, autumn=autumn, in_draft_cycle=in_draft_cycle,
        summer=summer, project=project, updates=[first, second], injuries=injuries, safe=safe,
        riverside=riverside, hillside=hillside, plan=plan, draft_plan=draft_plan)
