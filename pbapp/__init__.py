"""pbapp: participatory budgeting and advisory boards for community safety partnerships."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template
from flask_babel import get_locale

from . import sqlite  # noqa: F401  (SQLite tuning, registered on import)
from .config import config_from_env

ROOT = Path(__file__).resolve().parents[1]


#: a vendored file's version is in its path (static/vendor/pico-2.1.1/...), so a new version is
#: a new address and the old one can be cached for a year; the site's own files are revalidated
VENDOR_MAX_AGE = 365 * 24 * 3600


class PbApp(Flask):
    def get_send_file_max_age(self, filename: str | None) -> int | None:
        if filename and filename.replace("\\", "/").startswith("vendor/"):
            return VENDOR_MAX_AGE
        return super().get_send_file_max_age(filename)


def create_app(config: type | dict | None = None) -> Flask:
    """Build an app; ``config`` is a Config class or a dict of overrides (tests)."""
    app = PbApp(__name__, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"), instance_path=str(ROOT / "instance"))
    app.config.from_object(config_from_env())
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    Path(app.instance_path).mkdir(exist_ok=True)
    from . import front, number_inputs, request_text, security

    app.wsgi_app = front.KeptPages(app.wsgi_app, app)  # inside security's ProxyFix
    security.init_app(app)
    request_text.init_app(app)  # the first before_request: bad text never reaches CSRF or views
    number_inputs.install(app)  # <int:...> for every route, so before the blueprints

    from .extensions import babel, csrf, db, limiter, login_manager, mail, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    if not app.config.get("MAIL_SERVER") and not app.config.get("MAIL_BACKEND"):
        from .mail import LOG_BACKEND

        app.config["MAIL_BACKEND"] = LOG_BACKEND
    mail.init_app(app)
    from .i18n import select_locale

    babel.init_app(app, locale_selector=select_locale)

    from .text import render_markdown

    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.add_extension("pbapp.labels.LabelFilters")
    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions
    app.jinja_env.globals["get_locale"] = get_locale
    from . import chrome

    chrome.init_app(app)
    for blueprint in blueprints():
        app.register_blueprint(blueprint)

    from . import auth, models  # noqa: F401  (user loader; every table known to Alembic)

    from . import cli

    cli.register(app)
    from .agreements import cli as agreements_cli

    agreements_cli.register(app)
    from .addresses import cli as addresses_cli

    addresses_cli.register(app)
    from .directory import cli as directory_cli

    directory_cli.register(app)
    from .surveys import cli as surveys_cli

    surveys_cli.register(app)
    from . import outbox

    outbox.init_app(app)  # `flask mail`, and the worker after each request in development
    from . import backup

    backup.register(app)
    register_error_pages(app)
    close_sessions_quietly(app)
    return app


def close_sessions_quietly(app: Flask) -> None:
    """Closing a request's session rolls back its open transaction. If the database went away
    after the page was built (a restart), that rollback fails, and the error, raised after the
    response was ready, would turn a finished page into a 500 (seen under
    ``benchmarks/load_vote.py --fault restart-postgres``). The connection is dead anyway: it is
    dropped, the pool opens another for the next request. Registered after Flask-SQLAlchemy's
    own teardown so it runs first (Flask runs them last-registered first)."""
    from sqlalchemy.exc import SQLAlchemyError

    from .extensions import db

    @app.teardown_appcontext
    def close_session(_exc):
        if not db.session.registry.has():  # this request never used the database
            return
        session = db.session.registry()
        try:
            session.close()
        except SQLAlchemyError as error:
            app.logger.warning("database connection lost while closing a session: %s", error)
            try:
                session.invalidate()
            except SQLAlchemyError:
                pass


def blueprints() -> list:
    """Every blueprint, imported inside the factory so importing pbapp stays cheap."""
    from .agreements import bp as agreements_bp
    from .api import bp as api_bp
    from .audit import bp as audit_bp
    from .auth import bp as auth_bp
    from .boards import bp as boards_bp
    from .comments import bp as comments_bp
    from .cycles import bp as cycles_bp
    from .directory import bp as directory_bp
    from .follows import bp as follows_bp, views as _follow_views  # noqa: F401
    from .feeds import bp as feeds_bp
    from .i18n import bp as i18n_bp
    from .images import bp as images_bp
    from .main import bp as main_bp
    from .maps import bp as maps_bp
    from .metrics import bp as metrics_bp
    from .paper import bp as paper_bp
    from .plans import bp as plans_bp
    from .projects import bp as projects_bp
    from .proposals import bp as proposals_bp
    from .reports import bp as reports_bp
    from .stories import bp as stories_bp
    from .surveys import bp as surveys_bp
    from .voting import bp as voting_bp

    return [main_bp, i18n_bp, auth_bp, boards_bp, cycles_bp, proposals_bp, voting_bp, projects_bp,
            audit_bp, paper_bp, metrics_bp, api_bp, feeds_bp, reports_bp, images_bp, maps_bp,
            stories_bp,
            comments_bp, directory_bp, follows_bp, plans_bp, surveys_bp, agreements_bp]


def register_error_pages(app: Flask) -> None:
    from flask import g

    from .extensions import db, login_manager

    def page(code: int, title: str):
        def handler(error):
            if code == 500:
                db.session.rollback()
            if getattr(error, "response", None) is not None:  # e.g. a limit's own page
                return error.response
            return render_template("errors/error.html", code=code, title=title), code
        return handler

    for code, title in ((400, "Bad request"), (403, "Not allowed"), (404, "Page not found"),
                        (429, "Too many attempts"), (500, "Something went wrong")):
        app.register_error_handler(code, page(code, title))

    from flask_babel import gettext
    from flask_wtf.csrf import CSRFError
    from werkzeug.exceptions import SecurityError

    from sqlalchemy.exc import (InterfaceError, InvalidRequestError, OperationalError,
                                PendingRollbackError)

    @app.errorhandler(InvalidRequestError)
    def connection_lost(error):
        """The pool gives up with "This connection is closed" when the server keeps dropping
        new connections (a restart under way), and a session whose connection died mid-way
        refuses to reconnect (``PendingRollbackError``, "Can't reconnect until invalid
        transaction is rolled back"): the database is away. Any other ``InvalidRequestError``,
        a failed flush's ``PendingRollbackError`` included, is a bug: on to the 500 page."""
        text = str(error)
        if text == "This connection is closed" or (
                isinstance(error, PendingRollbackError)
                and text.startswith("Can't reconnect until invalid")):
            return database_away(error)
        raise error

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_away(_error):
        """The database dropped the connection or is restarting (the pool reconnects by
        itself): a 503 that says to try again, not a 500 that sounds like a bug. A cast whose
        commit was cut off either was stored or was not; trying again tells which."""
        try:
            db.session.rollback()
        except Exception:  # the connection is gone; the pool replaces it
            pass
        if "_login_user" not in g:  # the failure may have been loading the user: page as anonymous
            g._login_user = login_manager.anonymous_user()
        app.logger.warning("database unavailable: %s", _error)
        reason = gettext("The site cannot reach its database just now. Please try again in a "
                         "few seconds. If you were casting a ballot, trying again shows whether "
                         "it was recorded.")
        return render_template("errors/error.html", code=503, title="Briefly unavailable",
                               reason=reason), 503, {"Retry-After": "5"}

    @app.errorhandler(CSRFError)
    def form_expired(_error):
        """A form sent without this session's token: forged, or left open too long. Nothing
        was changed; say so in words, so a resident knows to go back and send it again."""
        reason = gettext("The form had expired or did not come from this site, so nothing was "
                         "changed. Go back, reload the page and send it again.")
        return render_template("errors/error.html", code=400, title="Bad request",
                               reason=reason), 400

    @app.errorhandler(413)
    def too_large(_error):
        """A body over ``MAX_CONTENT_LENGTH``, refused from its Content-Length before anything
        reads it (the CSRF check is the first to ask for the form). Big voter rolls have a
        way in that does not pass through a browser: say which."""
        megabytes = (app.config.get("MAX_CONTENT_LENGTH") or 0) / (1024 * 1024)
        reason = gettext("What was sent is larger than this site accepts (%(size)s MB at most), "
                         "so nothing was saved. A voter roll larger than that is imported on the "
                         "server with the command “flask roll import”.",
                         size=f"{megabytes:g}")
        return render_template("errors/error.html", code=413, title="Upload too large",
                               reason=reason), 413

    @app.errorhandler(SecurityError)
    def unknown_host(_error):
        """A Host outside ``TRUSTED_HOSTS``. No URL can be built for it (Flask bound none), so
        the page is a plain one that links nowhere and does not repeat the host."""
        return render_template("errors/bad_host.html"), 400
