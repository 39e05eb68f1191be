"""Browser journeys: Debian's Chromium, driven by Playwright, against the app on a real socket.

The server is the app itself (werkzeug, threaded) on a free loopback port, over the same
database as the rest of the suite (``migrated``), with the demo city seeded once per test module.
The journeys of the cycle itself (a ballot cast with a code; a board's proposal through the
count to the published result) run on SQLite and PostgreSQL; the other modules, whose server
side is tested on both databases through the test client, run on SQLite. Journeys never rely on one another: each makes what it changes
(a fresh voting code, its own cycle) so the order they run in does not matter.

The server has its own app instance, so each request gets its own app context and database
session; the test side works through a second app instance (``site.context()``) and never shares
a session with the server. Playwright and Chromium missing is a failure, not a skip: CI installs
both (``.ci/run``), and a browser suite that quietly skips proves nothing.
"""
from __future__ import annotations

import itertools
import re
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-output" / "screenshots"
#: how long an action or an expect() waits: generous for a 2-core machine running the server,
#: the database and the browser at once, and still short enough to fail fast
ACTION_TIMEOUT_MS = EXPECT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError as error:
        pytest.fail(f"Playwright for Python is missing ({error}); install the test extras: "
                    ".venv/bin/pip install -e '.[test]'", pytrace=False)
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}; install Debian's: apt-get install "
                    "chromium (the tests never download a browser)", pytrace=False)
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        browser.close()


def _fast_hash(password: str, method: str = "") -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password, method="pbkdf2:sha256:1000")


def _seed(app) -> None:
    """The demo city, its 17 accounts hashed cheaply (scrypt would take six seconds here)."""
    from tests.conftest import _empty_tables

    from pbapp.demo import seed_demo
    from pbapp.extensions import db

    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        patch.setattr("pbapp.auth.models.generate_password_hash", _fast_hash)
        _empty_tables(db)
        for _line in seed_demo(ballots=200, seed=1):
            pass
        db.session.remove()


@pytest.fixture(scope="module")
def site_settings() -> dict:
    """Settings for the server's app; a module overrides this to turn on an optional feature
    (its OpenID provider, say) for its own server."""
    return {}


@pytest.fixture(scope="module")
def site(migrated, site_settings):
    """The demo city served on http://127.0.0.1:<free port> for one test module."""
    from browser_helpers import Site
    from tests.conftest import _empty_tables, config_for
    from werkzeug.serving import make_server

    from pbapp import create_app
    from pbapp.extensions import db

    from aiosmtpd.controller import Controller
    from tests.conftest import Mailbox, free_port

    mailbox = Mailbox()  # the server sends its mail to a real SMTP server in this process
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    server_app = create_app(config_for(migrated))
    # queued mail (follows, comments) goes out after each request, as in development
    server_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_BACKEND="smtp",
                             MAIL_SEND_AFTER_REQUEST=True)
    server_app.config.update(site_settings)
    from pbapp.extensions import mail

    mail.init_app(server_app)
    data_app = create_app(config_for(migrated))
    _seed(data_app)
    server = make_server("127.0.0.1", 0, server_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="pbapp-browser-server",
                              daemon=True)
    thread.start()
    try:
        yield Site(f"http://127.0.0.1:{server.server_port}", data_app, mailbox)
    finally:
        smtp.stop()
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with data_app.app_context():
            _empty_tables(db)
            db.engine.dispose()
        with server_app.app_context():
            db.engine.dispose()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_call_failed = report.failed
    return report


@pytest.fixture()
def new_page(browser, site, request):
    """``new_page(**context_options)``: a page in a fresh browser context (own cookies).

    On a failure every page still open is saved as a screenshot, to see what the user saw."""
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=site.url, locale=options.pop("locale", "en-GB"),
                                      **options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    if getattr(request.node, "browser_call_failed", False):
        folder = _shot_folder(request.node.name)
        folder.mkdir(parents=True, exist_ok=True)
        for n, page in enumerate(p for c in contexts for p in c.pages):
            page.screenshot(path=folder / f"failure-{n}.png", full_page=True)
    for context in contexts:
        context.close()


def _shot_folder(test_name: str) -> Path:
    return SCREENSHOTS / re.sub(r"[^\w.-]+", "-", test_name).strip("-")


@pytest.fixture()
def shot(request):
    """``shot(page, "step")`` saves test-output/screenshots/<test>/NN-step.png."""
    folder = _shot_folder(request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    counter = itertools.count(1)

    def take(page, step: str) -> None:
        page.screenshot(path=folder / f"{next(counter):02d}-{step}.png", full_page=True)
    return take
