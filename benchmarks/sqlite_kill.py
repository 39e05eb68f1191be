"""SQLite durability: kill -9 the server while voters cast ballots, restart it, lose nothing.

    .venv/bin/python benchmarks/sqlite_kill.py [--voters 20] [--seconds 12] [--kills 1]
        [--down 1.0] [--json OUT.json]

The app runs under gunicorn (1 worker, ``bench_wsgi:app``) on a SQLite file in a temporary
folder, migrated with ``flask db upgrade``, with a cycle in voting and codes from ``flask codes
generate``. A second process runs the voters exactly as ``load_vote.py`` does (a browser without
JavaScript, CSRF tokens and all). ``--kills`` times during the run, evenly spread, the whole
server (master and worker) gets SIGKILL in the middle of whatever it was doing, stays down for
``--down`` seconds and is started again on the same port and file; the voters keep going.

Then, with the server stopped: ``PRAGMA integrity_check`` is ``ok``; every ballot acknowledged
with a receipt is in the file; ballots = participations = successful casts, plus only casts
whose answer was lost to the kill (checked code by code); ballots were cast after each restart.
Each check prints PASS or FAIL; any FAIL exits 1. Processes and files are removed on exit.

A process kill leaves the operating system's page cache intact, so this proves the app commits
before it answers and that SQLite recovers its WAL; it does not simulate a power cut.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import secrets
import signal
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_vote import (EXEMPT_HEADER, LIVE_SLUG, Report, Server, check_database,  # noqa: E402
                       check_recovery, flask_cmd, local_app, make_codes, poll_until_ok,
                       run, run_load, seed, server_env, summarise)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 2)[2])
    ap.add_argument("--voters", type=int, default=20, help="simulated voters (threads)")
    ap.add_argument("--seconds", type=float, default=12, help="how long the voters vote")
    ap.add_argument("--kills", type=int, default=1, help="times the server is killed")
    ap.add_argument("--down", type=float, default=1.0,
                    help="seconds the server stays dead before it is started again")
    ap.add_argument("--workers", type=int, default=1, help="gunicorn workers")
    ap.add_argument("--codes", type=int, default=None,
                    help="voting codes to make (default 60 per second of load)")
    ap.add_argument("--json", help="also write the figures and checks as JSON here")
    args = ap.parse_args(argv)
    if args.voters < 1 or args.seconds <= 0 or args.kills < 0:
        ap.error("--voters and --seconds must be positive, --kills at least 0")

    report = Report()
    secret = secrets.token_urlsafe(48)
    token = secrets.token_urlsafe(24)
    headers = {EXEMPT_HEADER: token}
    code_path = f"/vote/{LIVE_SLUG}/code"

    def on_term(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pbapp-sqlite-")))
        path = tmp / "pbapp.sqlite"
        env = server_env(f"sqlite:///{path}", secret, redis=False, token=token)
        flask_cmd(env, "db", "upgrade")
        app = local_app(f"sqlite:///{path}", secret)
        ids = seed(app, 0)
        codes = make_codes(env, args.codes or int(60 * args.seconds) + 50, tmp)
        server = Server("bench_wsgi:app", env, args.workers, tmp, "pbapp-sqlite")
        live = [server.start()]
        stack.callback(lambda: live[-1].stop())
        print(f"gunicorn {args.workers} worker(s) on 127.0.0.1:{server.port}, SQLite {path}, "
              f"ready in {server.wait_ready(code_path):.1f} s", flush=True)

        def kill_and_restart() -> dict:
            old = live[-1]
            old.kill()
            time.sleep(args.down)
            new = Server("bench_wsgi:app", env, args.workers, tmp, "pbapp-sqlite",
                         port=old.port).start()
            live.append(new)
            t = time.monotonic()
            answered = poll_until_ok(new.port, code_path, t)
            print(f"fault: kill -9 of the server; down {args.down:g} s; restarted server answered"
                  f" 200 after {answered if answered is None else round(answered, 2)} s",
                  flush=True)
            return {"fault": "kill -9 server", "down_s": args.down,
                    "answered_s": None if answered is None else args.down + answered}

        at = [args.seconds * (k + 1) / (args.kills + 1) for k in range(args.kills)]
        print(f"load: {args.voters} voters for {args.seconds:g} s; kill -9 at "
              f"{', '.join(f'{a:.1f}' for a in at) or 'never'} s", flush=True)
        journeys, elapsed, faults, cpu = run_load([server.port], codes, args.voters,
                                                  args.seconds, headers,
                                                  [(a, kill_and_restart) for a in at], live)
        live[-1].stop()
        summarise(journeys, elapsed, report, cpu)
        report.figures["faults"] = faults
        for fault in faults:
            check_recovery(fault, journeys, report)
        with contextlib.closing(sqlite3.connect(path)) as conn:
            integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        report.check("PRAGMA integrity_check is ok", integrity == ["ok"], "; ".join(integrity))
        report.figures["database"] = check_database(app, ids[LIVE_SLUG], journeys, report)
        if report.failed:
            for s in live:
                print(f"--- last lines of {s.name}'s log ---\n{s.tail()}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"args": vars(args), "figures": report.figures,
                                               "checks": report.checks}, indent=2))
    print("FAIL" if report.failed else "PASS", flush=True)
    return 1 if report.failed else 0


if __name__ == "__main__":
    run(main)
