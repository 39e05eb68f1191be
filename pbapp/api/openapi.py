"""The OpenAPI 3.1 document for ``/api/v1``, written by hand so it says what we promise.

Schemas are JSON Schema 2020-12 with ``additionalProperties: false`` on every object, so a field
added to ``serialize`` without being documented here fails the tests that check each response
against this document.
"""
from __future__ import annotations

from copy import deepcopy

from ..timeline import KINDS as TIMELINE_KINDS
from .http import ALLOWED, KEY, MAX_INT, PER_PAGE, SLUG

STR = {"type": "string"}
INT = {"type": "integer"}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
TIME = {"type": "string", "format": "date-time"}
URL = {"type": "string", "format": "uri-reference"}
ID = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
PAGE = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
#: a GeoJSON position: [longitude, latitude] in degrees
POSITION = {"type": "array", "items": {"type": "number", "minimum": -180, "maximum": 180},
            "minItems": 2, "maxItems": 2,
            "description": "[longitude, latitude] in degrees (WGS 84), longitude first."}


def obj(properties: dict, description: str = "", optional: tuple = ()) -> dict:
    """A closed object: every property required unless listed in ``optional``."""
    schema = {"type": "object", "properties": properties,
              "required": [k for k in properties if k not in optional],
              "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def null(schema: dict) -> dict:
    """``schema`` or null: type arrays for plain types, anyOf for references."""
    if "$ref" in schema or "type" not in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def mapping(values: dict, description: str = "") -> dict:
    schema = {"type": "object", "additionalProperties": values}
    if description:
        schema["description"] = description
    return schema


def page_of(name: str) -> dict:
    return obj({"items": array(ref(name)), "page": PAGE,
                "per_page": {"type": "integer", "minimum": 1, "maximum": PER_PAGE},
                "total": {"type": "integer", "minimum": 0},
                "pages": {"type": "integer", "minimum": 1}},
               f"One page of {name} items; a page past the last is empty.")


SCHEMAS = {
    "Index": obj({
        "title": STR, "version": STR,
        "resources": array(obj({"name": STR, "href": URL, "description": STR})),
        "links": obj({"self": URL, "openapi": URL, "html": {
            **URL, "description": "The page that explains the open data to people."}}),
    }, "Where to start: each collection, this document, and the open data page."),
    "Error": obj({"error": obj({"status": {"type": "integer", "minimum": 400, "maximum": 599},
                                "message": STR})}),
    "Place": obj({"slug": STR, "name": STR}, "A neighbourhood."),
    "BoardRef": obj({"slug": STR, "name": STR}, "The advisory board behind a proposal."),
    "Links": obj({"self": URL, "html": URL}),
    "StatusChange": obj({"from_status": null(STR), "to_status": STR, "reason": STR,
                         "at": TIME}, "A public status change and its public reason."),
    "CloseChange": obj({"old_closes": null(TIME), "new_closes": TIME, "reason": STR,
                        "changed_at": TIME},
                       "Voting's close moved while voting was open, with the public reason."),
    "Cycle": obj({
        "slug": STR, "name": STR, "description": {**STR, "description": "Markdown."},
        "phase": {"enum": ["proposals", "review", "voting", "counting", "implementation",
                           "closed"]},
        "method": {**STR, "description": "Counting method, as `pbapp-tally --method`."},
        "budget_cents": INT, "max_ranks": INT, "seats": INT,
        "proposals_open": null(TIME), "voting_opens": null(TIME), "voting_closes": null(TIME),
        "close_changes": array(ref("CloseChange")),
        "neighbourhoods": array(ref("Place")),
        "requires_address": {**BOOL, "description": "Whether an account voter must give an "
                             "address found in the cycle's address register."},
        "address_register_size": {"type": "integer", "minimum": 0, "description":
                                  "How many addresses the cycle's register holds (never "
                                  "which)."},
        "result_published": BOOL,
        "links": obj({"self": URL, "proposals": URL, "results": null(URL), "html": URL}),
    }, "A budget cycle past its draft."),
    "Neighbourhoods": obj({
        "type": {"const": "FeatureCollection"},
        "features": array(obj({
            "type": {"const": "Feature"},
            "id": {**STR, "description": "The neighbourhood's slug."},
            "geometry": null(obj({
                "type": {"const": "MultiPolygon"},
                "coordinates": {**array(array({**array(POSITION), "minItems": 4})), "description":
                                "Polygons, each a list of rings (outer first, then holes), "
                                "each ring closed (its first position repeated last)."}})),
            "properties": obj({"slug": STR, "name": STR}),
        }, "A neighbourhood and its outline; geometry null where none was imported.")),
    }, "Every neighbourhood and its outline as a GeoJSON (RFC 7946) FeatureCollection in "
       "WGS 84 longitude and latitude: what the site's maps are drawn from."),
    "Proposal": obj({
        "id": INT, "cycle": {**STR, "description": "The cycle's slug."}, "title": STR,
        "summary": STR, "description": STR, "problem": STR, "root_cause": STR,
        "metrics": array(STR), "cost_cents": INT,
        "status": {"enum": ["accepted", "rejected", "withdrawn", "funded", "not_funded"]},
        "board": ref("BoardRef"), "neighbourhoods": array(ref("Place")),
        "feasibility_note": STR, "cost_note": STR,
        "translations": mapping(obj({"title": STR, "summary": STR, "description": STR},
                                    optional=("title", "summary", "description")),
                                "Texts in other languages, by language code."),
        "history": array(ref("StatusChange")), "links": ref("Links"),
        "votes": null(ref("Votes")),
    }, "A reviewed proposal. Text fields are Markdown source: sanitise before showing as HTML."),
    "Votes": obj({
        "first_preferences": {"type": "integer", "minimum": 0},
        "final_round_value": {**null(NUM), "description": "Its tally in the last round it "
                              "took part in; null when it was in no round's tallies."},
        "final_round": null(INT),
        "outcome": {"enum": ["funded", "elected", "eliminated", "not chosen"]},
        "decided_in_round": {**null(INT), "description": "The round that funded, elected or "
                             "eliminated it."},
    }, "The proposal's votes in its cycle's published count; the proposal's `votes` is null "
       "until a result is published."),
    "TimelineEntry": obj({
        "date": DATE, "at": null(TIME),
        "kind": {"enum": list(TIMELINE_KINDS)}, "title": STR, "detail": STR,
        "url": null(URL),
    }, "One dated event, in the reader's language; metric values are published, protected "
       "totals only (a hidden cell is never an entry)."),
    "Timeline": obj({
        "proposal": INT, "project": null(INT), "items": array(ref("TimelineEntry")),
    }, "From the resident's idea to the project's impact, oldest first: the same entries as "
       "the proposal's and the project's pages."),
    "TieBreak": obj({"among": array(STR), "chosen": STR, "rule": STR, "detail": STR,
                     "keys": mapping(STR, "The seeded draw's SHA-256 keys, by candidate.")}),
    "Round": obj({
        "round": INT, "tallies": mapping(NUM, "Votes by candidate id."),
        "threshold": null(NUM), "elected": array(STR), "eliminated": array(STR),
        "transfers": mapping(NUM, "Votes each candidate gains (+) or loses (−) as this "
                                  "round's decision is carried out."),
        "exhausted": mapping(NUM, "Ballots no longer counting so far, by reason."),
        "tie_break": null(ref("TieBreak")), "note": STR,
    }),
    "ResultProject": obj({"id": STR, "title": STR, "cost": INT, "score": NUM, "funded": BOOL,
                          "reason": STR,
                          "part_funded": {**null(NUM), "description": "What a part-funded "
                                          "proposal gets (the money left, less than its "
                                          "cost); null when not part-funded."}},
                         "A proposal in a budget count; cost in whole units, as counted."),
    "Override": obj({
        "proposal": STR, "title": STR, "action": {"enum": ["fund", "unfund"]},
        "reason": {**STR, "description": "Staff's public reason."},
        "by": null(STR), "role": null(STR), "at": TIME,
    }, "A staff change to the count's winners, made after the count and before publishing."),
    "Result": obj({
        "cycle": STR, "method": STR, "ballots": INT,
        "cvr_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$",
                       "description": "SHA-256 of the canonical cast-vote record counted."},
        "counted_at": TIME, "published_at": TIME, "seed": STR,
        "options": {"type": "object", "description": "The method's options, as counted."},
        "candidates": array(obj({"id": STR, "title": STR})),
        "winners": {**array(STR), "description": "The winners as counted (the computed list)."},
        "computed_winners": {**array(STR), "description": "The same: what the count decided, "
                             "which the ballot files recount to."},
        "final_winners": {**array(STR), "description": "What was funded: the computed list "
                          "with every override applied in turn."},
        "overrides": array(ref("Override")),
        "rounds": array(ref("Round")),
        "projects": null(array(ref("ResultProject"))),
        "budget": null(INT), "spent": null(INT), "money_left": null(INT),
        "pairwise": null(array(array(NUM))),
        "ballot_files": mapping(URL, "The ballots counted, shuffled, by file format."),
        "turnout": array(ref("TurnoutRow")),
        "polling_places": array(ref("PollingPlaceRow")),
        "links": ref("Links"),
    }, "A published count, round by round. Candidate ids are proposal ids."),
    "PollingPlaceRow": obj({
        "place": {**STR, "description": "The polling place's id, or `not-recorded` for paper "
                                        "ballots entered without one."},
        "name": STR,
        "ballots": ref("ProtectedCount"),
    }, "Paper ballots cast at a polling place, protected together with the channels' turnout "
       "(a place of 1 to 10 is hidden, and so is any place that would give a hidden one back)."),
    "ProtectedCount": obj({
        "value": null(INT),
        "suppressed": null({"enum": ["small", "complementary"]}),
    }, "A count of people: `value` is null when hidden (small: 1 to 10; complementary: would "
       "reveal a small one)."),
    "TurnoutRow": obj({
        "channel": {**STR, "description": "online (account), code or paper."},
        "voters": ref("ProtectedCount"),
        "roll_checked": ref("ProtectedCount"),
        "roll_unchecked": ref("ProtectedCount"),
    }, "Voters by channel (from the record of who voted, never how), and how many of them "
       "were checked against the voter roll, so one person could cast no second ballot by "
       "any channel, and how many could not be (anonymous codes, accounts in a cycle without "
       "a roll, paper without a roll id)."),
    "Project": obj({
        "id": INT, "title": STR, "summary": STR,
        "status": {"enum": ["planned", "in_progress", "completed", "paused", "cancelled"]},
        "cycle": STR, "proposal_id": INT, "board": ref("BoardRef"),
        "budget_cents": INT, "spent_cents": INT, "created_at": TIME,
        "part_of_cents": {**null(INT), "description": "The proposal's full cost when the "
                          "project was part-funded (its budget is the part); else null."},
        "links": obj({"self": URL, "html": URL, "feed": URL}),
    }, "A funded project."),
    "Milestone": obj({"id": INT, "title": STR, "due_on": DATE, "done_on": null(DATE),
                      "note": STR}),
    "ProjectUpdate": obj({"id": INT, "title": STR, "published_at": TIME,
                          "body": {**STR, "description": "Markdown source."},
                          "body_html": {**STR, "description": "Rendered and sanitised."}}),
    "Target": obj({
        "metric": STR, "metric_name": STR, "unit": STR, "better": {"enum": ["lower", "higher"]},
        "neighbourhood": null(STR),
        "baseline": obj({"value": NUM, "period": STR, "on": DATE}),
        "target": obj({"value": NUM, "on": DATE}),
        "latest": null(obj({"value": null(NUM), "suppressed": null(STR), "scope": STR,
                            "scope_ref": STR, "period_start": DATE, "period_end": DATE},
                           "The newest published (protected) total the progress reads.")),
        "expected": null(NUM),
        "status": {"enum": ["achieved", "on_track", "off_track", "no_data"]},
    }, "A metric the project aims to move, and where it stands."),
    "Metric": obj({
        "key": STR, "name": STR, "definition": STR, "unit": STR,
        "kind": {"enum": ["count", "percent", "rate", "median"]}, "rate_per": null(INT),
        "better": {"enum": ["lower", "higher"]}, "source": STR, "supplier": STR,
        "frequency": STR,
        "data_sharing": obj({"what": STR, "consent": STR, "retention": STR},
                            "The data-sharing agreement behind the metric."),
        "links": obj({"self": URL, "measurements": URL, "html": URL}),
    }),
    "Measurement": obj({
        "metric": STR, "scope": {"enum": ["city", "neighbourhood", "project"]},
        "scope_ref": STR, "period_start": DATE, "period_end": DATE,
        "breakdown": {"enum": ["", "age_band", "gender", "race_ethnicity", "disability",
                               "neighbourhood"]},
        "group": STR, "value": null(NUM),
        "suppressed": null({"enum": ["small", "complementary", "small-numerator",
                                     "small-denominator"]}),
    }, "One published cell, read from the metric's stored, audited protection. `value` is "
       "null when hidden to protect the people counted; a rate, percentage or median is "
       "rounded to one decimal place. `suppressed` says why: small (1 to 10), complementary "
       "(would let a small number be worked out), small-numerator (a rate counting 1 to 10 "
       "people), small-denominator (a rate over fewer than 11 people)."),
}
SCHEMAS["Comment"] = obj({
    "id": ID, "parent_id": {**null(ID), "description": "The comment this one replies to "
                                                      "(replies go one level deep)."},
    "author": STR,
    "author_seat": {**null(STR), "description": "The board seat the author held when "
                                                "writing (police, public_health, ...)."},
    "author_organisation": null(STR), "created_at": TIME,
    "edited_at": {**null(TIME), "description": "When the author last changed it."},
    "body": {**null(STR), "description": "Markdown source; null once hidden."},
    "body_html": {**null(STR), "description": "Rendered and sanitised; null once hidden."},
    "hidden": {**BOOL, "description": "Hidden by a moderator: its text is not served."},
    "hidden_reason": {**null(STR), "description": "The moderator's public reason."},
    "replies": array(ref("Comment"))}, "A comment; `replies` is empty on a reply.")
SCHEMAS["ProjectDetail"] = deepcopy(SCHEMAS["Project"])
SCHEMAS["ProjectDetail"]["properties"].update({
    "history": array(ref("StatusChange")), "milestones": array(ref("Milestone")),
    "updates": array(ref("ProjectUpdate")), "targets": array(ref("Target"))})
SCHEMAS["ProjectDetail"]["required"] = list(SCHEMAS["ProjectDetail"]["properties"])
SCHEMAS["ProjectDetail"]["description"] = "A funded project with its public record."
for _name in ("Cycle", "Proposal", "Project", "Metric", "Measurement", "Comment"):
    SCHEMAS[f"{_name}Page"] = page_of(_name)

_PLAN_CELL = null(obj({
    "value": {**null(NUM), "description": "Null when hidden to protect the people counted."},
    "suppressed": null({"enum": ["small", "complementary", "small-numerator",
                                 "small-denominator"]}),
    "period_start": DATE, "period_end": DATE},
    "A published total, read from the metric's stored protection."))
SCHEMAS["Plan"] = obj({
    "id": ID, "title": STR, "board": ref("BoardRef"),
    "status": {"enum": ["published", "closed"], "description": "closed: its yearly review "
               "has been held; the next plan carries on what was unfinished."},
    "period_start": DATE, "period_end": DATE, "previous_id": null(ID),
    "next_id": {**null(ID), "description": "The next plan, once it is published."},
    "neighbourhoods": array(ref("Place")),
    "links": obj({"self": URL, "html": URL, "report": URL})}, "A board's published action plan.")
SCHEMAS["PlanDetail"] = deepcopy(SCHEMAS["Plan"])
SCHEMAS["PlanDetail"]["properties"].update({
    "needs": {**STR, "description": "The needs assessment, Markdown source."},
    "needs_html": {**STR, "description": "Rendered and sanitised."},
    "review": {**null(STR), "description": "What the yearly review found (Markdown)."},
    "figures": array(obj({"metric": STR, "neighbourhood": null(STR), "latest": _PLAN_CELL},
                         "A figure the needs assessment rests on: the newest published total "
                         "for the city (neighbourhood null) or a targeted neighbourhood.")),
    "actions": array(obj({
        "id": ID, "title": STR, "description": STR,
        "lead": obj({"seat": null(STR), "organisation": STR}),
        "partners": array(STR), "due_on": DATE,
        "status": {"enum": ["planned", "under_way", "done", "dropped"]},
        "state": {"enum": ["planned", "on_track", "late", "done", "dropped"],
                  "description": "late: past its due date (in the city's calendar) and not "
                                 "done."},
        "carried_from_id": {**null(ID), "description": "The previous plan's action it "
                                                       "continues."},
        "proposal_ids": array(ID), "project_ids": array(ID),
        "notes": array(obj({"noted_on": DATE, "body": STR, "body_html": STR})),
        "targets": array(obj({
            "metric": STR, "neighbourhood": null(STR), "baseline_on": DATE,
            "baseline": _PLAN_CELL, "latest": _PLAN_CELL, "target": NUM, "target_on": DATE},
            "baseline → latest → target, the first two under the small-cell rules."))}))})
SCHEMAS["PlanDetail"]["required"] = list(SCHEMAS["PlanDetail"]["properties"])
SCHEMAS["PlanDetail"]["description"] = "A published action plan with its actions."
SCHEMAS["PlanPage"] = page_of("Plan")

_AGREEMENT_REF = null(obj({"slug": STR, "title": STR, "href": URL},
                          "The data-sharing agreement its measurements come under."))
_WITHHELD = null(obj({"reason": {"enum": ["retention"]}, "since": DATE, "agreement": STR,
                      "message": STR},
                     "Set when every measurement is hidden because the agreement's retention "
                     "date passed (its measurements list is then empty)."))
SCHEMAS["Metric"]["properties"].update({"agreement": _AGREEMENT_REF, "withheld": _WITHHELD})
SCHEMAS["Metric"]["required"] = list(SCHEMAS["Metric"]["properties"])
_CONSENT = obj({"version": INT, "adopted_on": DATE, "body": STR},
               "The consent text shown to residents, from the day it was adopted.")
SCHEMAS["Agreement"] = obj({
    "slug": STR, "title": STR, "starts_on": DATE, "expires_on": null(DATE),
    "retain_until": {**null(DATE), "description": "After this day its measurements are "
                                                  "hidden from every public output."},
    "delete_by": null(DATE),
    "expired": {**BOOL, "description": "Past its expiry (in the city's calendar): imports "
                                       "under it are refused."},
    "retention_passed": BOOL, "links": obj({"self": URL, "html": URL})},
    "A data-sharing agreement behind shared metrics.")
SCHEMAS["AgreementDetail"] = deepcopy(SCHEMAS["Agreement"])
SCHEMAS["AgreementDetail"]["properties"].update({
    "parties": STR, "purpose": STR, "legal_basis": STR, "data_shared": STR, "protection": STR,
    "small_numbers": {**URL, "description": "The page on the small-numbers rules."},
    "retention": STR, "objection": STR, "contact": STR, "consent": null(_CONSENT),
    "consent_history": array(_CONSENT),
    "metrics": array(obj({"key": STR, "href": URL}))})
SCHEMAS["AgreementDetail"]["required"] = list(SCHEMAS["AgreementDetail"]["properties"])
SCHEMAS["AgreementDetail"]["description"] = ("A data-sharing agreement with everything its "
                                             "page says.")
SCHEMAS["AgreementPage"] = page_of("Agreement")

HEADERS = {
    "ETag": {"description": "Strong validator: the SHA-256 of the body, quoted.",
             "schema": {"type": "string"}},
    "Cache-Control": {"description": "`public, max-age=60`.", "schema": {"type": "string"}},
    "Access-Control-Allow-Origin": {"description": "`*`: open data.",
                                    "schema": {"type": "string"}},
}
_HEADER_REFS = {name: {"$ref": f"#/components/headers/{name}"} for name in HEADERS}


def ok(schema_name: str, description: str) -> dict:
    return {"description": description, "headers": _HEADER_REFS,
            "content": {"application/json": {"schema": ref(schema_name)}}}


def error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": ref("Error")}}}


RESPONSES = {
    "NotModified": {"description": "Not modified: the `If-None-Match` ETag still matches. "
                                   "No body.", "headers": _HEADER_REFS},
    "BadRequest": error(f"A query parameter is not acceptable: `page` is not a whole number "
                        f"from 1 to {MAX_INT}, or a value holds a control character (such as "
                        f"a NUL byte)."),
    "NotFound": error("No such public item, or a path value that cannot name one (a slug, key "
                      "or id not of the documented form)."),
    "Error": error("Any other error: 400 when the address holds a control character (such as "
                   "a NUL byte); 405, with `Allow: " + ", ".join(ALLOWED) + "`, for any other "
                   "method; 429 when a client asks too often; 500 on a fault of ours."),
}
PARAMETERS = {
    "page": {"name": "page", "in": "query", "required": False,
             "description": f"Page number, from 1 (the default) to {MAX_INT}; a page past the "
                            f"last is empty.", "schema": PAGE},
    "slug": {"name": "slug", "in": "path", "required": True,
             "description": "A cycle's slug: lower-case letters and digits, in parts joined by "
                            "single hyphens.",
             "schema": {"type": "string", "pattern": SLUG[0], "maxLength": SLUG[1]}},
    "proposal_id": {"name": "id", "in": "path", "required": True,
                    "description": "A proposal's id, written without leading zeros.",
                    "schema": ID},
    "project_id": {"name": "id", "in": "path", "required": True,
                   "description": "A project's id, written without leading zeros.",
                   "schema": ID},
    "key": {"name": "key", "in": "path", "required": True,
            "description": "A metric's key: lower-case letters and digits, in parts joined by "
                           "single hyphens or underscores.",
            "schema": {"type": "string", "pattern": KEY[0], "maxLength": KEY[1]}},
    "If-None-Match": {"name": "If-None-Match", "in": "header", "required": False,
                      "description": "An ETag from an earlier response.",
                      "schema": {"type": "string"}},
}


def get(operation_id: str, summary: str, schema: str, params: tuple = (),
        not_found: bool = True, paged: bool = False) -> dict:
    names = [*params, *(("page",) if paged else ()), "If-None-Match"]
    responses = {"200": ok(schema, summary), "304": {"$ref": "#/components/responses/NotModified"}}
    if paged:
        responses["400"] = {"$ref": "#/components/responses/BadRequest"}
    if not_found:
        responses["404"] = {"$ref": "#/components/responses/NotFound"}
    responses["default"] = {"$ref": "#/components/responses/Error"}
    return {"get": {"operationId": operation_id, "summary": summary,
                    "parameters": [{"$ref": f"#/components/parameters/{n}"} for n in names],
                    "responses": responses}}


PATHS = {
    "/": get("getIndex", "The API's index: a link to each collection and to this document.",
             "Index", not_found=False),
    "/cycles": get("listCycles", "Budget cycles past their draft, newest first.",
                   "CyclePage", not_found=False, paged=True),
    "/cycles/{slug}": get("getCycle", "One budget cycle.", "Cycle", ("slug",)),
    "/cycles/{slug}/proposals": get("listCycleProposals", "A cycle's public proposals.",
                                    "ProposalPage", ("slug",), paged=True),
    "/cycles/{slug}/results": get("getCycleResult", "A cycle's published result; 404 until "
                                  "it is published.", "Result", ("slug",)),
    "/proposals/{id}": get("getProposal", "One public proposal.", "Proposal", ("proposal_id",)),
    "/proposals/{id}/timeline": get("getProposalTimeline", "One public proposal's dated "
                                    "timeline, from idea to impact.", "Timeline",
                                    ("proposal_id",)),
    "/projects/{id}/timeline": get("getProjectTimeline", "One funded project's dated timeline, "
                                   "from the idea behind it to its impact.", "Timeline",
                                   ("project_id",)),
    "/proposals/{id}/comments": get("listProposalComments", "One public proposal's comments, "
                                    "oldest first, each with its replies.", "CommentPage",
                                    ("proposal_id",), paged=True),
    "/projects/{id}/comments": get("listProjectComments", "One funded project's comments, "
                                   "oldest first, each with its replies.", "CommentPage",
                                   ("project_id",), paged=True),
    "/projects": get("listProjects", "Funded projects.", "ProjectPage", not_found=False,
                     paged=True),
    "/projects/{id}": get("getProject", "One funded project with its status history, "
                          "milestones, updates and metric targets.", "ProjectDetail",
                          ("project_id",)),
    "/neighbourhoods": get("getNeighbourhoods", "The neighbourhoods and their outlines, as "
                           "GeoJSON.", "Neighbourhoods", not_found=False),
    "/metrics": get("listMetrics", "The shared metrics catalogue.", "MetricPage",
                    not_found=False, paged=True),
    "/metrics/{key}": get("getMetric", "One metric, with its data-sharing agreement.",
                          "Metric", ("key",)),
    "/metrics/{key}/measurements": get(
        "listMeasurements", "A metric's published cells, small cells protected.",
        "MeasurementPage", ("key",), paged=True),
    "/openapi.json": {"get": {
        "operationId": "getOpenAPI", "summary": "This document.",
        "parameters": [{"$ref": "#/components/parameters/If-None-Match"}],
        "responses": {"200": {"description": "The OpenAPI 3.1 document.", "headers": _HEADER_REFS,
                              "content": {"application/json": {"schema": {"type": "object"}}}},
                      "304": {"$ref": "#/components/responses/NotModified"},
                      "default": {"$ref": "#/components/responses/Error"}}}},
}

PARAMETERS["plan_id"] = {"name": "id", "in": "path", "required": True,
                         "description": "An action plan's id, written without leading zeros.",
                         "schema": ID}
PATHS["/plans"] = get("listPlans", "Published action plans, newest period first.", "PlanPage",
                      not_found=False, paged=True)
PATHS["/plans/{id}"] = get("getPlan", "One published action plan with its actions, progress "
                           "notes and metric targets.", "PlanDetail", ("plan_id",))
PARAMETERS["agreement_slug"] = {
    "name": "slug", "in": "path", "required": True,
    "description": "An agreement's slug: lower-case letters and digits, in parts joined by "
                   "single hyphens.",
    "schema": {"type": "string", "pattern": SLUG[0], "maxLength": SLUG[1]}}
PATHS["/agreements"] = get("listAgreements", "The data-sharing agreements behind the shared "
                           "metrics.", "AgreementPage", not_found=False, paged=True)
PATHS["/agreements/{slug}"] = get("getAgreement", "One data-sharing agreement: parties, "
                                  "purpose, legal basis, data, protection, retention, how to "
                                  "object and the consent texts.", "AgreementDetail",
                                  ("agreement_slug",))
SCHEMAS["Story"] = obj({
    "id": ID,
    "text": {**STR, "description": "The author's words as staff approved them (Markdown); "
                                   "staff may have taken out what could identify anyone."},
    "text_es": {**null(STR), "description": "The same in Spanish, when staff gave it."},
    "name": {**null(STR), "description": "The name the author chose; null when anonymous."},
    "anonymous": BOOL, "published_at": TIME,
    "neighbourhood": {**null(ref("Place")), "description": "Null when the story has none, or "
                      "when a figure beside it is hidden for that neighbourhood (the "
                      "small-cell rule for stories)."},
    "project_id": null(ID), "metric": {**null(STR), "description": "The metric's key."},
    "image": null(obj({"url": URL, "alt": STR, "width": INT, "height": INT}))},
    "An approved story; a withdrawn one leaves at once (clients revalidate: max-age=0).")
SCHEMAS["StoryPage"] = page_of("Story")
PATHS["/stories"] = get("listStories", "Approved stories beside the statistics, newest first.",
                        "StoryPage", not_found=False, paged=True)

SCHEMAS["Survey"] = obj({
    "slug": STR, "title": STR, "title_es": null(STR),
    "status": {"enum": ["open", "closed", "published"], "description": "open: taking "
               "answers; closed: no longer taking answers, results not yet published; "
               "published: closed and its results published."},
    "who_may_answer": {"enum": ["account", "code", "link"], "description": "account: "
                       "residents with a confirmed account, once each; code: a code sent by "
                       "letter, once per code; link: anyone with the link (an open "
                       "consultation, which cannot stop one person answering twice)."},
    "opens_at": TIME, "closes_at": TIME, "closed_at": null(TIME),
    "links": obj({"html": URL, "results": null(URL), "results_html": null(URL)})},
    "A survey residents can see (once it has opened).")
SCHEMAS["SurveyPage"] = page_of("Survey")
_SURVEY_CHOICES = array(obj({"value": INT, "count": ref("ProtectedCount"), "share": {
    **null(NUM), "description": "Per cent of those who answered, one decimal place; null "
                                "unless both numbers are shown."}}))
SCHEMAS["SurveyResults"] = obj({
    "survey": ref("Survey"), "responses": ref("ProtectedCount"),
    "questions": array(obj({
        "id": ID, "number": INT, "kind": {"enum": ["single", "multiple", "scale", "number",
                                                   "text"]},
        "wording": STR, "wording_es": null(STR),
        "options": array(obj({"value": INT, "label": STR, "label_es": null(STR)})),
        "metric": {**null(STR), "description": "The key of the metric it feeds."},
        "answered": null(ref("ProtectedCount")), "choices": _SURVEY_CHOICES,
        "breakdowns": array(obj({"breakdown": {"enum": ["neighbourhood", "age_band"]},
                                 "group": {**STR, "description": "A neighbourhood's slug or "
                                           "an age band; `not given` where unknown."},
                                 "answered": ref("ProtectedCount"),
                                 "choices": _SURVEY_CHOICES})),
        "median": {**null(NUM), "description": "A number question's median, once 11 or more "
                                               "answered."},
        "texts": {**array(STR), "description": "Free-text answers published after staff "
                                               "review, never with who wrote them."}})),
    "protection": obj({"passed": BOOL, "cells": INT, "hidden": INT, "about": URL},
                      "The small-cell audit run over all the survey's tables together."),
    "links": ref("Links")},
    "A closed survey's protected results: the same numbers as its results page.")
PARAMETERS["survey_slug"] = {
    "name": "slug", "in": "path", "required": True,
    "description": "A survey's slug: lower-case letters and digits, in parts joined by single "
                   "hyphens.",
    "schema": {"type": "string", "pattern": SLUG[0], "maxLength": SLUG[1]}}
PATHS["/surveys"] = get("listSurveys", "Surveys residents can see, newest first.", "SurveyPage",
                        not_found=False, paged=True)
PATHS["/surveys/{slug}/results"] = get("getSurveyResults", "A survey's published results, "
                                       "small cells protected; 404 until it closes.",
                                       "SurveyResults", ("survey_slug",))

def document() -> dict:
    """A fresh copy each time, so no caller can change the published document."""
    return deepcopy({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "pbapp open data API", "version": "1.0.0",
            "description": "Read-only public data: budget cycles, reviewed proposals, published "
                           "results round by round, funded projects and shared metrics (small "
                           "cells protected). Every 200 carries a strong ETag; send it back in "
                           "`If-None-Match` to get a 304. No authentication. Only GET (and "
                           "HEAD, OPTIONS) is answered: any other method gets a 405 with "
                           "`Allow: " + ", ".join(ALLOWED) + "`. Errors are JSON (`Error`).",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS, "responses": RESPONSES, "parameters": PARAMETERS,
                       "headers": HEADERS},
    })
