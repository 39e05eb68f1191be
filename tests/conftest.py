"""Fixtures shared by every test package.

App tests run twice: on SQLite (a file, so several connections see one database) and on
PostgreSQL, in a throwaway database created from ``test`` and dropped at the end.
"""
import contextlib
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
TESTDATA = Path(os.environ.get("PBAPP_TESTDATA", ROOT.parent / "shared" / "testdata"))
PG_ADMIN_URL = os.environ.get("PBAPP_TEST_PG", "postgresql://127.0.0.1:5432/test")


def pytest_configure(config):
    """Seed the demo city once per database and worker (see ``demo_cache``); before collection,
    so modules that import ``seed_demo`` by name get the wrapped one too. Each app's URL
    builders are compiled once per process (``fast_routes``)."""
    import demo_cache
    import fast_routes

    demo_cache.install()
    fast_routes.install()  # an app per test, so its URL builders compiled once per process


#: the files that take longest (``pytest --durations=0``, summed by file), slowest first. xdist
#: hands whole files (``--dist loadfile``) to the workers in collection order
#: (``--no-loadscope-reorder``), so these start first and the two workers finish together,
#: instead of one working alone through a long file at the end.
SLOWEST_FIRST = (
    "tests/security/test_get_is_safe.py",
    "tests/browser/test_accessibility_every_page.py",
    "tests/security/test_fuzz_url_map.py",
    "tests/api/test_schemathesis.py",
    "tests/metrics/test_protection_demo.py",
    "tests/security/test_stored_xss.py",
    "tests/security/test_route_roles.py",
    "tests/app/test_public_crawl.py",
    "tests/browser/test_accessibility.py",
    "tests/reports/test_report_downloads.py",
    "tests/reports/test_report_memory.py",
    "tests/browser/",  # then every other browser file: each starts a site and Chromium pages
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Slowest files first (see ``SLOWEST_FIRST``); a stable sort, so each file keeps its order
    (its SQLite tests, then its PostgreSQL ones)."""
    def rank(item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return next((n for n, prefix in enumerate(SLOWEST_FIRST) if path.startswith(prefix)),
                    len(SLOWEST_FIRST))
    items.sort(key=rank)


@pytest.fixture(scope="session", autouse=True)
def _workers_share_demo_cities(tmp_path_factory, worker_id):
    """Under xdist, the workers of a run share their seeded demo cities (``demo_cache``) in
    the run's temporary folder, which pytest removes with old runs."""
    if worker_id != "master":
        import demo_cache

        demo_cache.share_between_workers(tmp_path_factory.getbasetemp().parent / "demo-cities")


@pytest.fixture(scope="session")
def testdata() -> Path:
    """The published elections in ``../shared/testdata`` (see its README)."""
    assert TESTDATA.is_dir(), f"test data not found at {TESTDATA}; set PBAPP_TESTDATA"
    return TESTDATA


def config_for(url: str) -> type:
    from pbapp.config import TestConfig

    return type("BoundTestConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})


def _pg_admin():
    """A maintenance connection to the server's ``postgres`` database (not the template)."""
    import psycopg

    return psycopg.connect(PG_ADMIN_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True)


def _create_from_template(name: str) -> None:
    """CREATE DATABASE … TEMPLATE test, retried while another run briefly holds the template."""
    import time

    import psycopg

    for attempt in range(30):
        try:
            with _pg_admin() as conn:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE test')
            return
        except psycopg.errors.ObjectInUse:
            time.sleep(0.5 + attempt * 0.1)
    raise RuntimeError("the template database 'test' stayed busy")


#: the databases this worker made, by kind, kept for the whole session (see ``database_url``)
_databases: dict[str, str] = {}
_migrated: set[str] = set()


@pytest.fixture(scope="session", autouse=True)
def _drop_databases_at_the_end():
    """Drop this worker's PostgreSQL database once, when the session ends."""
    yield
    for url in _databases.values():
        if url.startswith("postgresql"):
            with _pg_admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    """The worker's database of this kind, made the first time it is asked for.

    pytest tears a parametrised session fixture down whenever the next test wants the other
    parameter, which under xdist's ``--dist loadfile`` is at almost every file (each file runs
    its SQLite tests, then its PostgreSQL ones). Making and migrating a database each time cost
    about 1.5 s a file, some four minutes a run, so both are made once and kept; every test
    still starts from empty tables (``app``)."""
    if request.param not in _databases:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        else:
            name = f"pbapp_test_{uuid.uuid4().hex[:12]}"
            _create_from_template(name)
            base = PG_ADMIN_URL.rsplit("/", 1)[0]
            url = f"postgresql+psycopg://{base.split('://', 1)[1]}/{name}"
        _databases[request.param] = url
    return _databases[request.param]


@pytest.fixture(scope="session")
def migrated(database_url):
    """The schema built by the migrations (not create_all), once per database."""
    if database_url in _migrated:
        return database_url
    from flask_migrate import upgrade

    from pbapp import create_app

    app = create_app(config_for(database_url))
    with app.app_context():
        upgrade(revision="heads")
        from pbapp.extensions import db
        db.engine.dispose()
    _migrated.add(database_url)
    return database_url


def _empty_tables(db) -> None:
    """Every table empty and every id sequence back at 1.

    On PostgreSQL a TRUNCATE of every table takes about 0.4 s, twice per test, so a test that
    wrote to a few tables has just those emptied and its moved sequences reset (a DELETE of a
    big city is slower than the TRUNCATE, hence the limit)."""
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            held = set(conn.exec_driver_sql(" UNION ALL ".join(
                f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables)).scalars())
            if len(held) > 8:
                conn.exec_driver_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                                     + " RESTART IDENTITY CASCADE")
                return
            conn.exec_driver_sql(
                "SELECT setval((quote_ident(schemaname) || '.' || quote_ident(sequencename))"
                "::regclass, 1, false) FROM pg_sequences "
                "WHERE schemaname = current_schema() AND last_value IS NOT NULL")
            tables = [t for t in tables if t in held]
        for t in tables:
            conn.exec_driver_sql(f'DELETE FROM "{t}"')


def isolate_requests(app, db) -> None:
    """Make each test request behave as in production although the test holds an app context.

    Requests reuse the test's app context, so ``g`` and the session would be shared: forget what
    Flask-Login, Flask-WTF and Flask-Babel cache in ``g`` before each request, and roll back at its end, so a
    view that forgets to commit loses its changes here too.
    """
    from flask import g

    @app.before_request
    def _forget_cached_globals():
        for key in ("_login_user", "csrf_token", "_flask_babel"):
            g.pop(key, None)

    @app.teardown_request
    def _end_transaction(_exc):
        db.session.rollback()


@pytest.fixture()
def app(migrated):
    from pbapp import create_app
    from pbapp.extensions import db

    app = create_app(config_for(migrated))
    isolate_requests(app, db)
    with app.app_context():
        _empty_tables(db)
        yield app
        db.session.remove()
        _empty_tables(db)
        db.engine.dispose()


@pytest.fixture()
def fresh_limits(app):
    """Rate-limit counters start empty and are emptied again (they live in the process)."""
    from pbapp.extensions import limiter

    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


@pytest.fixture()
def make_user(app):
    """Factory: ``make_user(role="staff", email=None, name=None, password="pw-123456789",
    verified=True)``; an account has confirmed its email address unless ``verified=False``.

    The password is hashed cheaply (the site's scrypt costs 0.1-0.4 s per account, and its own
    tests sign up, change and reset passwords through the services)."""
    from werkzeug.security import generate_password_hash

    from pbapp.auth.models import User
    from pbapp.extensions import db
    from pbapp.models_base import utcnow

    counter = iter(range(1, 10_000))

    def make(role: str = "resident", email: str | None = None, name: str | None = None,
             password: str = "pw-123456789", verified: bool = True, **kw) -> User:
        n = next(counter)
        user = User(email=email or f"user{n}-{role}@example.org", name=name or f"User {n}",
                    role=role, email_verified_at=utcnow() if verified else None, **kw)
        user.password_hash = generate_password_hash(password, method="pbkdf2:sha256:1000")
        db.session.add(user)
        db.session.commit()
        return user
    return make


@pytest.fixture()
def login(client):
    """Sign a user in on ``client`` without going through the login form."""
    def sign_in(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user
    return sign_in


def csrf_token(client, url: str) -> str:
    """The CSRF token from a rendered form, as a browser would submit it."""
    import re

    page = client.get(url)
    match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page.data)
    assert match, f"no CSRF token on {url} (status {page.status_code})"
    return match.group(1).decode()


@pytest.fixture()
def csrf(client):
    return lambda url: csrf_token(client, url)


@pytest.fixture()
def make_cycle(app):
    """``make_cycle(slug="spring", phase="draft", method="greedy", max_ranks=3, budget=1000)``."""
    from pbapp.cycles.models import Cycle
    from pbapp.extensions import db

    def make(slug: str = "spring", phase: str = "draft", method: str = "greedy",
             max_ranks: int = 3, budget: int = 1000, **kw) -> Cycle:
        cycle = Cycle(slug=slug, name=kw.pop("name", f"Cycle {slug}"), phase=phase,
                      method=method, max_ranks=max_ranks, budget_cents=budget * 100, **kw)
        db.session.add(cycle)
        db.session.commit()
        return cycle
    return make


@pytest.fixture()
def make_proposal(app):
    """``make_proposal(cycle, title, cost=100, status="accepted")``; one board for them all."""
    from pbapp.boards.models import Board
    from pbapp.extensions import db
    from pbapp.proposals.models import Proposal

    boards = []

    def make(cycle, title: str, cost: int = 100, status: str = "accepted") -> Proposal:
        if not boards:
            boards.append(Board(slug="east", name="East board"))
        proposal = Proposal(cycle=cycle, board=boards[0], title=title, summary=f"About {title}",
                            cost_cents=cost * 100, status=status)
        db.session.add(proposal)
        db.session.commit()
        return proposal
    return make


def main_of(data: bytes) -> bytes:
    """The page's ``<main>`` only: what the page says, without the header and footer."""
    start, end = data.find(b"<main"), data.rfind(b"</main>")
    assert start != -1 and end != -1, "no <main> element"
    return data[start:end]


@contextlib.contextmanager
def statements_run():
    """The SQL statements sent while the block runs (the app's engine; inside an app context)."""
    from pbapp.extensions import db

    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """What a real SMTP server (aiosmtpd, in this process) received, oldest first."""

    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, _server, _session, envelope):
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 OK"

    def bodies_to(self, address: str) -> list[str]:
        return [m.get_body(("plain",)).get_content() for m in self.messages
                if address.lower() in m["To"].lower()]

    def last_link(self, address: str, path_part: str) -> str:
        """The last URL containing ``path_part`` in mail to ``address``, as the resident would
        click it."""
        import re

        for body in reversed(self.bodies_to(address)):
            for url in reversed(re.findall(r"https?://\S+", body)):
                if path_part in url:
                    return url
        raise AssertionError(f"no link with {path_part!r} in mail to {address}")


@pytest.fixture()
def mailbox(app):
    """A real SMTP server for this test, and the app set to send through it."""
    from aiosmtpd.controller import Controller

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                          MAIL_BACKEND="smtp")
        from pbapp.extensions import mail

        mail.init_app(app)
        yield box
    finally:
        controller.stop()
