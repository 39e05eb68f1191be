"""Every route of the URL map, as every role, with hostile values: no 500, no half-written change.

Guards against input the code never expected (issue 16) anywhere a request can carry it: a
path segment, a query parameter, or a field of any form a page offers. Hostile values: NUL and
other control characters, "²" and "٥" (digits ``int()`` or ``isdigit()`` misread), right-to-left
marks, 100,000 characters, huge and negative numbers, broken percent-encoding and the empty
string, plus whatever text Hypothesis makes up.

One demo city per database is seeded once; every request runs inside a transaction that is
rolled back afterwards (the app's commits become savepoints), so each example starts from the
same city whatever the one before changed. A deterministic sweep walks every page as every role
(anonymous, resident, board chair, staff, admin, and a resident holding a voting code) with
hostile query parameters, sends every route each of its path values hostile as a role that may
open it, and posts every form found with all its fields hostile; Hypothesis then mixes routes,
roles, fields and values on top. Each answer must be below 500,
and a GET, or a change that was refused (an error, or the form shown again), must leave the row
count of every table as it was.
"""
from __future__ import annotations

import contextlib
import io
import re
from html.parser import HTMLParser
from urllib.parse import quote, quote_plus, unquote, unquote_to_bytes, urlsplit

import pytest
from flask import g
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from pbapp.auth.models import User
from pbapp.extensions import db, limiter
from pbapp.request_text import CONTROL
from tests.conftest import _empty_tables, config_for, isolate_requests
from tests.security.test_route_roles import EMAILS, ROLES, city_extras

#: values as a browser or a script would send them (percent-encoding applied by ``raw``)
HOSTILE = ["\x00", "a\x00b", "\x01", "\x1b[2J", "\x7f", "\x85", "\ud800", "²", "19²²", "٥",
           "١٩٩٠", "\u200f", "\u202e" + "evil", "x" * 100_000, "9" * 5000, str(10**30), "-1",
           str(-2**63), "0", "1e3", "%zz", "%ff", "%", "%00", "", " ", "../..", "'\";--",
           "<script>", "\ufeff"]
#: values sent as they are: broken percent-encoding only means something unencoded
RAW = {"%zz", "%ff", "%", "%00"}
#: query parameters some page reads, and one nobody does
QUERY_NAMES = ["page", "q", "status", "cycle", "next", "lang", "action", "idea", "per_page",
               "code", "format", "x"]
#: slugs and ids of the seeded city per kind of path value; the slug depends on the blueprint
SLUG_OF = {"boards": "board", "reports.board": "board", "metrics": "metric",
           "api.metric": "metric", "proposals.ideas": "open_cycle",
           "proposals.new_idea": "open_cycle", "cycles.results": "published_cycle",
           "cycles.ballots_file": "published_cycle", "cycles.manage_result": "published_cycle",
           "cycles.manage_publish": "published_cycle", "reports.cycle": "published_cycle",
           "api.cycle_results": "published_cycle", "voting.code": "code_cycle",
           "surveys": "survey", "agreements": "agreement", "api.agreement": "agreement",
           "api.survey": "survey"}
VALUE_OF = {"proposal_id": "proposal", "project_id": "project", "milestone_id": "milestone",
            "meeting_id": "meeting", "membership_id": "membership", "result_id": "result",
            "idea_id": "idea", "user_id": "resident_id", "spending_id": "spending",
            "target_id": "target", "batch_id": "batch", "entry_round": "round",
            "serial": "serial", "token": "verify_link", "fmt": "fmt", "rest": "rest",
            "filename": "filename", "image_id": "image_id", "name": "image_name",
            "service_id": "service", "comment_id": "comment", "place_id": "place",
            "kind": "follow_kind", "thing_id": "project",
            "plan_id": "plan", "action_id": "plan_action", "question_id": "survey_question",
            "answer_id": "survey_answer", "story_id": "story"}
#: the value an endpoint needs where the kind's usual one would only redirect
VALUE_FOR = {("proposals.edit", "proposal_id"): "draft", ("proposals.submit", "proposal_id"):
             "draft", ("proposals.withdraw", "proposal_id"): "draft",
             ("proposals.review", "proposal_id"): "submitted",
             ("auth.login_link", "token"): "sign_in_link",
             ("stories.withdraw", "secret"): "story_link",
             ("plans.remove_target_view", "target_id"): "plan_target"}


# The city, once per database -------------------------------------------------------------------

#: the route matrix's roles and a resident holding the youth fund's voting code
FUZZ_ROLES = (*ROLES, "code voter")


@pytest.fixture(scope="module")
def city(migrated, tmp_path_factory):
    """The demo city with the route matrix's extras, a paper batch and a voting code; yields
    (app, values)."""
    from pbapp import create_app

    app = create_app(config_for(migrated))
    isolate_requests(app, db)
    with app.app_context():
        _empty_tables(db)
        runner = app.test_cli_runner()
        assert runner.invoke(args=["demo", "--ballots", "100"]).exit_code == 0
        values = {**city_extras(), **_more_values()}
        db.session.commit()
        codes = tmp_path_factory.mktemp("codes") / "codes.csv"
        made = runner.invoke(args=["codes", "generate", "--cycle", "2026-youth-fund",
                                   "--count", "1", "--out", str(codes)])
        assert made.exit_code == 0, made.output
        values["voting_code"] = codes.read_text().splitlines()[1]
        db.session.remove()
        try:
            yield app, values
        finally:
            db.session.remove()
            _empty_tables(db)
            db.engine.dispose()


def _more_values() -> dict:
    from pbapp.cycles.models import Cycle
    from pbapp.images.models import Image
    from pbapp.metrics.models import ProjectMetric
    from pbapp.models_base import utcnow
    from pbapp.comments.models import Comment
    from pbapp.paper.models import PaperBatch, PaperEntry, PollingPlace
    from pbapp.projects.models import Project, Spending

    staff = db.session.scalar(select(User).where(User.email == EMAILS["staff"]))
    resident = db.session.scalar(select(User).where(User.email == EMAILS["resident"]))
    voting = db.session.scalar(select(Cycle).where(Cycle.slug == "2026-autumn"))
    batch = PaperBatch(cycle_id=voting.id, label="Fuzz batch", status="open",
                       created_by=staff.id)
    db.session.add(batch)
    db.session.flush()
    db.session.add(PaperEntry(batch_id=batch.id, serial="A-1", entry_round=1,
                              entered_by=staff.id, ranking=[], voter_ref=f"user:{resident.id}",
                              entered_at=utcnow()))
    first = lambda column: db.session.scalar(select(column).order_by(column).limit(1))  # noqa
    comment = Comment(project_id=first(Project.id), author_id=resident.id, body="A comment")
    place = PollingPlace(cycle_id=voting.id, name="Fuzz library", address="1 High Street")
    db.session.add_all([comment, place])
    db.session.flush()
    image = db.session.scalar(select(Image).order_by(Image.id).limit(1))
    return {"image_id": image.id, "image_name": image.filename, "batch": batch.id, "round": 1, "serial": "A-1", "resident_id": resident.id,
            "spending": first(Spending.id), "target": first(ProjectMetric.id), "fmt": "csv",
            "rest": "nothing-here", "filename": "css/site.css", "metric": "violent-incidents",
            "agreement": "police-recorded-violence",
            "follow_kind": "project",
            "open_cycle": "2027-open", "published_cycle": "2026-spring",
            "voting_cycle": "2026-autumn", "code_cycle": "2026-youth-fund",
            "comment": comment.id, "place": place.id}


@pytest.fixture(scope="module")
def users(city):
    app, _ = city
    with app.app_context():
        return {role: db.session.scalar(select(User.id).where(User.email == email))
                for role, email in EMAILS.items()}


@contextlib.contextmanager
def rolled_back(app):
    """The app's session on one connection inside a transaction that is rolled back at the
    end: the app's commits become savepoints, so nothing outlives the block."""
    from flask_sqlalchemy.session import Session

    class OnConnection(Session):
        def get_bind(self, *args, **kwargs):
            return self.bind

    with app.app_context():
        plain = db.session
        connection = db.engine.connect()
        outer = connection.begin()
        db.session = db._make_scoped_session({"class_": OnConnection, "bind": connection,
                                              "join_transaction_mode": "create_savepoint"})
        try:
            yield connection
        finally:
            db.session.remove()
            db.session = plain
            outer.rollback()
            connection.close()


def fingerprint() -> tuple[int, ...]:
    """Rows per table, in one query."""
    tables = db.metadata.sorted_tables
    counts = ", ".join(f'(SELECT count(*) FROM "{t.name}")' for t in tables)
    return tuple(db.session.execute(text(f"SELECT {counts}")).one())


def changed_tables(before, after) -> list[str]:
    return [f"{t.name}: {b} -> {a}" for t, b, a in zip(db.metadata.sorted_tables, before, after)
            if a != b]


# Building requests -----------------------------------------------------------------------------

def raw(value: str) -> str:
    """``value`` as it travels in a URL or a form body."""
    if value in RAW:
        return value
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def path_info(raw_path: str) -> str:
    """What a WSGI server hands the app: the path percent-decoded, bytes as latin-1."""
    return unquote_to_bytes(raw_path).decode("latin-1")


def rules(app) -> list:
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


def real_value(rule, name: str, values: dict) -> str:
    if (rule.endpoint, name) in VALUE_FOR:
        return str(values[VALUE_FOR[rule.endpoint, name]])
    if name in ("slug", "key"):
        for prefix in sorted(SLUG_OF, key=len, reverse=True):
            if rule.endpoint.startswith(prefix):
                return str(values[SLUG_OF[prefix]])
        if rule.endpoint.startswith("voting.code"):
            return str(values["code_cycle"])
        return str(values["voting_cycle"])
    return str(values[VALUE_OF[name]])


def variables_of(rule) -> list[str]:
    return [v for c, _, v in _parts(rule.rule) if c is not None]


def build_path(rule, values: dict, hostile: dict[str, str] | None = None) -> str:
    """The rule's path (raw, percent-encoded) with real values, or hostile ones by argument."""
    hostile = hostile or {}
    out = []
    for converter, _args, variable in _parts(rule.rule):
        if converter is None:
            out.append(variable)
        elif variable in hostile:
            out.append(raw(hostile[variable]))
        else:
            out.append(quote(real_value(rule, variable, values), safe="/"))
    return "".join(out)


def _parts(rule_text: str):
    """(converter, arguments, variable) per piece of the rule; (None, None, text) for text."""
    for match in re.finditer(r"<(?:([a-zA-Z_]+)(?:\(([^)]*)\))?:)?([a-zA-Z_]+)>|[^<]+",
                             rule_text):
        if match.group(3):
            yield match.group(1) or "default", match.group(2), match.group(3)
        else:
            yield None, None, match.group(0)


def hostile_literal(rule, values: dict, value: str) -> str:
    """The rule's path with its last literal segment hostile (or one added after a value)."""
    path = build_path(rule, values)
    head, _, tail = path.rstrip("/").rpartition("/")
    if "<" in rule.rule.rstrip("/").rsplit("/", 1)[-1] or not tail:
        return path.rstrip("/") + "/" + raw(value)
    return head + "/" + raw(value)


class Forms(HTMLParser):
    """The forms of a page: action, method, enctype, their fields (name, value as sent) with
    the options of each choice, and their submit buttons (name, value, formaction)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        form = self._form
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": (a.get("method") or
                          "get").lower(), "enctype": a.get("enctype", ""), "fields": [],
                          "options": {}, "buttons": []}
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            form["options"].setdefault(self._select[0], []).append(a.get("value", ""))
            if self._select[1] is None or "selected" in a:
                self._select[1] = a.get("value", "")
        elif form is None:
            return
        elif tag == "button" or (tag == "input" and a.get("type") in ("submit", "image")):
            form["buttons"].append((a.get("name", ""), a.get("value", ""),
                                    a.get("formaction", "")))
        elif not a.get("name"):
            return
        elif tag == "input" and a.get("type") in ("checkbox", "radio"):
            form["options"].setdefault(a["name"], []).append(a.get("value", "on"))
            form["fields"].append((a["name"], a.get("value", "on") if "checked" in a else None))
        elif tag == "input":
            form["fields"].append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = [a["name"], None]
        elif tag == "textarea":
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            self._form["fields"].append((self._select[0], self._select[1] or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form["fields"].append(tuple(self._textarea))
            self._textarea = None


def forms_of(html: bytes, page: str) -> list[dict]:
    """One form per way of sending it: each named or ``formaction`` button is a variant that
    sends its own name and value (``op=up:2`` to the ballot's edit step)."""
    parser = Forms()
    parser.feed(html.decode("utf-8", "replace"))
    variants = []
    for form in parser.forms:
        buttons = [b for b in form.pop("buttons") if b[0] or b[2]] or [("", "", "")]
        for name, value, formaction in buttons:
            action = urlsplit(formaction or form["action"] or page)
            fields = [*form["fields"], *([(name, value)] if name else [])]
            variants.append({**form, "action": action.path or page, "query": action.query,
                             "page": page, "fields": fields})
    return [f for f in variants if f["action"].startswith("/")]


def body(fields: list[tuple[str, str | None]]) -> bytes:
    return "&".join(f"{quote_plus(name)}={raw(value)}" for name, value in fields
                    if value is not None).encode("ascii")


# Sending and checking --------------------------------------------------------------------------

def refused(response) -> bool:
    """An error, or the form shown again; a redirect or a download (new voting codes) is a
    change made."""
    return response.status_code >= 400 or (response.status_code == 200
                                            and response.mimetype == "text/html")


class Visitor:
    """A test client as one role. Every request runs in a savepoint rolled back afterwards, and
    the role is signed in again before each (a sign-out form may have been posted)."""

    def __init__(self, app, users, values, connection, role: str):
        self.client, self.connection, self.role = app.test_client(), connection, role
        self.user_id = db.session.get(User, users[role]).get_id() if role in users else None
        self.rows = fingerprint()  # every request is rolled back, so this stays the baseline
        db.session.remove()  # before any savepoint of ours, which closing it would take along
        limiter.reset()
        if role == "code voter":
            token = self.csrf(self.send("GET", "/vote/2026-youth-fund/code").data)
            entered = self.send("POST", "/vote/2026-youth-fund/code", data=body(
                [("csrf_token", token), ("code", values["voting_code"])]))
            assert entered.status_code == 303, entered.data

    def _sign_in(self):
        if self.user_id is not None:
            with self.client.session_transaction() as session:
                session["_user_id"] = self.user_id
                session["_fresh"] = True

    def send(self, method: str, raw_path: str, query: str = "", data: bytes | None = None,
             files=None):
        for key in ("_login_user", "csrf_token", "_flask_babel"):  # the shared app context's
            g.pop(key, None)
        self._sign_in()
        savepoint = self.connection.begin_nested()
        try:
            return self._send(method, raw_path, query, data, files)
        finally:
            db.session.remove()
            if savepoint.is_active:
                savepoint.rollback()

    def _send(self, method, raw_path, query, data, files):
        kwargs = {}
        if files is not None:
            kwargs.update(data=files, content_type="multipart/form-data")
        elif data is not None:
            kwargs.update(data=data, content_type="application/x-www-form-urlencoded")
        response = self.client.open("/", method=method, environ_overrides={
            "PATH_INFO": path_info(raw_path), "QUERY_STRING": query}, **kwargs)
        what = (f"{self.role}: {method} {raw_path[:200]}?{query[:200]} "
                f"{(data or b'')[:300]!r}")
        assert response.status_code < 500, f"{what}: {response.status_code}"
        if method == "GET" or refused(response):
            after = fingerprint()
            assert after == self.rows, (f"{what}: {response.status_code} but wrote "
                                        f"{changed_tables(self.rows, after)}")
        return response

    @staticmethod
    def csrf(html: bytes) -> str:
        match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html)
        return match.group(1).decode() if match else ""

    def post_form(self, form: dict, token: str, replace: dict[str, str]):
        """``form`` as its page sends it (CSRF token included), the fields named in
        ``replace`` hostile."""
        fields = [(n, replace.get(n, token if n == "csrf_token" else v))
                  for n, v in form["fields"]]
        if "csrf_token" not in {n for n, _ in fields}:
            fields.append(("csrf_token", token))
        if form["method"] == "get":
            return self.send("GET", form["action"], body(fields).decode())
        if "multipart" not in form["enctype"]:
            return self.send("POST", form["action"], form["query"], data=body(fields))
        files = {}
        for name, value in fields:
            if value is not None:
                encoded = value.encode("utf-8", "surrogatepass")
                files[name] = ((io.BytesIO(encoded), "hostile.csv") if name == "file" else
                               encoded.decode("utf-8", "replace"))
        return self.send("POST", form["action"], form["query"], files=files)


#: read-only JSON, CSV, Atom and report pages: no forms of their own, and the slowest pages
NO_FORMS = ("api.", "reports.", "feeds.", "cycles.ballots_file", "static")
#: query values a page must still render with (a control character would be a 400 at once)
SOFT = [v for v in HOSTILE if not CONTROL.search(unquote(v) if v in RAW else v)]


@pytest.fixture(scope="module")
def catalogue(city, users) -> dict:
    """Per role, the pages it may open and every distinct form on them (the sign-out and
    language forms once). Each page is fetched with every query parameter some page reads
    set to a hostile value that is not a control character, so the walk is also the query
    sweep; a page that refuses them is fetched again without."""
    app, values = city
    opens, forms = {}, {}
    n = 0
    with rolled_back(app) as connection:
        for role in FUZZ_ROLES:
            visitor = Visitor(app, users, values, connection, role)
            seen, forms[role] = set(), []
            for rule in rules(app):
                if "GET" not in (rule.methods or ()) or rule.endpoint.startswith(NO_FORMS) or \
                        (role == "code voter" and not rule.endpoint.startswith("voting.")):
                    continue
                page = build_path(rule, values)
                n += 1
                query = "&".join(f"{name}={raw(SOFT[(n + i) % len(SOFT)])}"
                                 for i, name in enumerate(QUERY_NAMES) if name != "page")
                response = visitor.send("GET", page, query)
                if response.status_code != 200:
                    response = visitor.send("GET", page)
                if response.status_code != 200 or response.mimetype != "text/html":
                    continue
                opens.setdefault(rule.endpoint, []).append(role)
                found = forms_of(response.data, page)
                for form in [f for f in found if f["options"].get("rank_1")]:
                    found += _filled_ballot_forms(visitor, form, page, response.data)
                for form in found:
                    key = (form["method"], form["action"],
                           tuple((n, re.sub("[0-9]", "", v or "")) for n, v in form["fields"]
                                 if n in ("op", "decision", "to")),
                           tuple(n for n, _ in form["fields"]))
                    if key not in seen:
                        seen.add(key)
                        forms[role].append(form)
    assert len(forms["admin"]) > 40 and len(forms["code voter"]) > 2, forms
    return {"opens": opens, "forms": forms}


def _filled_ballot_forms(visitor, form: dict, page: str, html: bytes) -> list[dict]:
    """A ballot with two choices made shows the buttons that move and remove them (``op``):
    the forms of the page a ballot edit answers with."""
    choices = [o for o in form["options"]["rank_1"] if o][:2]
    ranks = {f"rank_{i}": choice for i, choice in enumerate(choices, 1)}
    fields = [(n, ranks.get(n, v)) for n, v in form["fields"]]
    edit = page  # the ballot page takes the edits; review and cast are its other steps
    response = visitor.post_form({**form, "action": edit, "fields": fields},
                                 visitor.csrf(html), {})
    if response.status_code != 200:
        return []
    return [{**f, "page": page} for f in forms_of(response.data, edit)]


# The deterministic sweep -----------------------------------------------------------------------

def test_every_route_with_each_path_value_hostile(city, users, catalogue):
    """Each route by each method with each of its path values hostile in turn, and its last
    literal segment hostile, as a role that may open the real page (in turn, where several
    may): the hostile value must not be a 500 after the access checks either."""
    app, values = city
    n = 0
    with rolled_back(app) as connection:
        visitors = {role: Visitor(app, users, values, connection, role) for role in FUZZ_ROLES}
        tokens = {role: v.csrf(v.send("GET", "/").data) for role, v in visitors.items()}
        for rule in rules(app):
            roles = catalogue["opens"].get(rule.endpoint) or ["admin", "staff", "member"]
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                for variable in [*variables_of(rule), None]:
                    n += 1
                    role = roles[n % len(roles)]
                    hostile = HOSTILE[n % len(HOSTILE)]
                    path = (build_path(rule, values, {variable: hostile}) if variable else
                            hostile_literal(rule, values, hostile))
                    data = body([("csrf_token", tokens[role])]) if method == "POST" else None
                    visitors[role].send(method, path, data=data)


@pytest.mark.parametrize("role", FUZZ_ROLES)
def test_every_form_with_every_field_hostile(city, users, catalogue, role):
    """Every form the role is offered, posted with its CSRF token and all its other fields
    hostile (one value per form, in turn), with the first number of each field's own value
    hostile (``up:2`` -> ``up:²``, a date's year -> "٥"), and with nothing but the token."""
    app, values = city
    with rolled_back(app) as connection:
        visitor = Visitor(app, users, values, connection, role)
        for n, form in enumerate(catalogue["forms"][role]):
            token = visitor.csrf(visitor.send("GET", form["page"]).data)
            hostile = HOSTILE[n % len(HOSTILE)]
            fields = [(name, value or "") for name, value in form["fields"]
                      if name != "csrf_token"]
            visitor.post_form(form, token, {name: hostile for name, _ in fields})
            visitor.post_form(form, token, {name: spoil(value, hostile) for name, value in fields})
            visitor.post_form({**form, "fields": []}, token, {})


# Hypothesis on top -----------------------------------------------------------------------------

VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40),
                   st.integers(min_value=-2**70, max_value=2**70).map(str))


def spoil(real: str, hostile: str) -> str:
    """The field's own value with its first number (or its end) hostile: ``up:2`` -> ``up:²``."""
    if re.search(r"[0-9]", real):
        return re.sub(r"[0-9]+", lambda _: hostile, real, count=1)
    return real + hostile


FUZZ = settings(max_examples=50, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(data=st.data())
def test_hostile_paths_anywhere(city, users, data):
    """A route, a role, hostile values in some of its path values and query parameters."""
    app, values = city
    role = data.draw(st.sampled_from(FUZZ_ROLES), label="role")
    rule = data.draw(st.sampled_from([r for r in rules(app) if r.endpoint != "static"]),
                     label="route")
    method = data.draw(st.sampled_from(sorted((rule.methods or set()) & {"GET", "POST"})),
                       label="method")
    variables = variables_of(rule)
    spoilt = data.draw(st.lists(st.sampled_from(variables), unique=True)
                       if variables else st.just([]), label="hostile path values")
    path = build_path(rule, values, {v: data.draw(VALUES, label=v) for v in spoilt})
    names = data.draw(st.lists(st.sampled_from(QUERY_NAMES), max_size=3, unique=True),
                      label="query names")
    query = "&".join(f"{name}={raw(data.draw(VALUES, label=name))}" for name in names)
    with rolled_back(app) as connection:
        visitor = Visitor(app, users, values, connection, role)
        data_ = None
        if method == "POST":
            data_ = body([("csrf_token", visitor.csrf(visitor.send("GET", "/").data))])
        visitor.send(method, path, query, data=data_)


@FUZZ
@given(data=st.data())
def test_hostile_form_fields_anywhere(city, users, catalogue, data):
    """A role, one of the forms it is offered, and some of its fields hostile: below 500,
    and a refused change writes nothing."""
    app, values = city
    role = data.draw(st.sampled_from(FUZZ_ROLES), label="role")
    form = data.draw(st.sampled_from(catalogue["forms"][role]), label="form")
    names = sorted({n for n, _ in form["fields"]}) or ["csrf_token"]
    chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, unique=True),
                       label="hostile fields")
    real = dict((n, v or "") for n, v in form["fields"])
    replace = {name: data.draw(VALUES | VALUES.map(lambda v, r=real[name]: spoil(r, v)),
                               label=name) for name in chosen}
    for name, options in form["options"].items():  # the other choices: any offered option
        if name not in replace:
            replace[name] = data.draw(st.sampled_from(options), label=name)
    with rolled_back(app) as connection:
        visitor = Visitor(app, users, values, connection, role)
        token = visitor.csrf(visitor.send("GET", form["page"]).data)
        visitor.post_form(form, token, replace)
