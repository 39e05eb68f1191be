"""Where a ballot's CPU goes, in one process: the load benchmark's voter through the test client.

    .venv/bin/python benchmarks/ballot_profile.py [--journeys 60] [--db sqlite|postgresql]
        [--js] [--profile N] [--warmup 10]

The same journey as ``load_vote.py`` (code form, code, ballot, one Add per choice, review, cast,
receipt), with the same seeded cycle, driven through Flask's test client over HTTPS with the
production settings, so no socket, gunicorn or second process blurs the figures. ``--js`` sends
each Add as htmx does (one POST answered with the ballot in place) instead of a browser without
JavaScript (a POST and the 303's GET).

Prints, for each kind of request: how many, CPU ms each (``time.process_time`` around the
request), SQL statements each; the CPU per ballot; and with ``--profile N`` the N costliest
functions by their own time and by cumulative time (cProfile over all measured journeys). The
first ``--warmup`` journeys are not measured (templates compiled, pools filled).
"""
from __future__ import annotations

import argparse
import collections
import cProfile
import io
import logging
import os
import pstats
import random
import secrets
import sys
import tempfile
import time
import uuid
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import load_vote as lv  # noqa: E402


class ClientBrowser(lv.Browser):
    """``load_vote.Browser`` over Flask's test client: same pages, no socket; each request's
    CPU and statements are booked under its kind."""

    def __init__(self, client, book):
        self.client, self.book, self.retries = client, book, 0

    def close(self) -> None:
        pass

    def request(self, method: str, path: str, form: dict | None = None,
                more_headers: dict | None = None) -> lv.Page:
        headers = {"User-Agent": "pbapp-profile/1", "Accept": "text/html",
                   "Referer": "https://localhost" + path,  # checked by CSRF over HTTPS
                   **(more_headers or {})}
        kind = f"{method} {path.rsplit('/', 1)[-1] if '/code' in path else path}"
        if form and "op" in form:
            kind += " (add)" + (" htmx" if more_headers else "")
        statements = self.book.statements
        t = time.process_time()
        resp = self.client.open(path, method=method, data=form, headers=headers,
                                base_url="https://localhost")
        spent = time.process_time() - t
        body = resp.get_data(as_text=True)
        self.book.record(kind, spent, self.book.statements - statements)
        return lv.Page(resp.status_code, {k.lower(): v for k, v in resp.headers.items()}, body)


class Book:
    def __init__(self):
        self.statements = 0
        self.on = False
        self.rows = collections.defaultdict(lambda: [0, 0.0, 0])

    def record(self, kind: str, cpu: float, statements: int) -> None:
        if self.on:
            row = self.rows[kind]
            row[0] += 1
            row[1] += cpu
            row[2] += statements


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--journeys", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--js", action="store_true", help="Add as htmx does: one request")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()

    os.environ["PBAPP_ENV"] = "production"
    secret = secrets.token_hex(32)
    tmp = Path(tempfile.mkdtemp(prefix="pbapp-profile-"))
    pg_name = None
    if args.db == "postgresql":
        pg_name = f"pbapp_profile_{uuid.uuid4().hex[:10]}"
        lv.create_database(pg_name)
        url = f"{lv.PG_BASE}/{pg_name}"
    else:
        url = f"sqlite:///{tmp / 'profile.sqlite'}"
    try:
        return run(args, url, secret, tmp)
    finally:
        if pg_name:
            lv.drop_database(pg_name)


def run(args, url: str, secret: str, tmp: Path) -> int:
    from flask_migrate import upgrade
    from sqlalchemy import event

    from pbapp import create_app
    from pbapp.config import database_url
    from pbapp.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(url), "SECRET_KEY": secret,
                      "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://"})
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with app.app_context():
        upgrade()
    ids = lv.seed(app, 0)
    codes = make_codes(app, ids[lv.LIVE_SLUG], args.journeys + args.warmup)
    book = Book()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute",
                     lambda *a: setattr(book, "statements", book.statements + 1))
    rng = random.Random(11)
    profiler = cProfile.Profile() if args.profile else None
    journeys = 0
    for n, code in enumerate(codes):
        measured = n >= args.warmup
        book.on = measured
        client = app.test_client()
        b = ClientBrowser(client, book)
        j = lv.Journey(code=code, server=0, started=time.time())
        if profiler and measured:
            profiler.enable()
        lv.cast_and_receipt(b, lv.LIVE_SLUG, lv.to_review(b, lv.LIVE_SLUG, code, rng, j, args.js),
                            j)
        if profiler and measured:
            profiler.disable()
        journeys += measured
    rows = sorted(book.rows.items(), key=lambda kv: -kv[1][1])
    total_cpu = sum(r[1] for _k, r in rows)
    total_req = sum(r[0] for _k, r in rows)
    print(f"{journeys} journeys on {args.db}{' with htmx' if args.js else ''}: "
          f"{total_req / journeys:.2f} requests a ballot, {1000 * total_cpu / journeys:.1f} ms "
          f"CPU a ballot, {1000 * total_cpu / total_req:.2f} ms a request")
    print(f"{'request':34} {'n':>6} {'ms each':>8} {'share':>6} {'SQL each':>9}")
    for kind, (count, cpu, statements) in rows:
        print(f"{kind:34} {count:6d} {1000 * cpu / count:8.2f} {cpu / total_cpu:6.1%} "
              f"{statements / count:9.1f}")
    if profiler:
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.profile)
            print(out.getvalue()[-12000:])
    return 0


def make_codes(app, cycle_id: int, count: int) -> list[str]:
    """Codes made as ``flask codes generate`` makes them, in this process."""
    out = Path(tempfile.mkdtemp()) / "codes.csv"
    result = app.test_cli_runner().invoke(
        args=["codes", "generate", "--cycle", lv.LIVE_SLUG, "--count", str(count),
              "--out", str(out)])
    if result.exit_code:
        raise SystemExit(result.output)
    return out.read_text().split()[1:]


if __name__ == "__main__":
    raise SystemExit(main())
