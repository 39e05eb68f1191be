"""Load and faults: simulated voters casting ballots with codes against gunicorn, PostgreSQL, Redis.

    .venv/bin/python benchmarks/load_vote.py [--voters 200] [--seconds 60] [--servers 1]
        [--fault none|kill-worker|restart-postgres] [--rate-seconds 10] [--js] [--json OUT.json]

One run, all on loopback: a throwaway database ``CREATE DATABASE ... TEMPLATE test`` (dropped at
the end), ``flask db upgrade``, a cycle in voting with 8 accepted proposals and codes from
``flask codes generate``, a second cycle counted and published (``count_cycle``/``publish_result``)
for the results page. gunicorn serves the app (``bench_wsgi:app``, which is ``wsgi:app`` plus a
per-run rate-limit key prefix and a header that exempts the simulated voters from the rate limits;
see that file) with 2 x cores workers per server, on free ports, with DATABASE_URL, REDIS_URL,
a random SECRET_KEY and PBAPP_ENV=production.

A second process runs the voters, one thread each, acting like a browser without JavaScript: GET
the code form, POST the code with its CSRF token, GET the ballot, POST the ranking to review,
POST the review's cast form, GET the receipt; a cast or receipt answered 503 is tried again for
up to 30 s, as that page asks (a cast sent again that is told "already cast" was stored the first
time, and counts as a cast whose answer was lost). Each voter takes the next code and starts again
until the time is up (journeys under way then finish): ballots/s is receipts over the time from
the first voter's start to the last one's end; latencies are of the cast POST alone and of the
whole journey, for journeys that ended with a receipt. Then the database is checked
against the receipts the voters were shown: every receipt's ballot is there, ballots =
participations = successful casts, nothing extra except ballots whose cast lost its answer (a
killed worker), which are counted apart, code by code.

Afterwards: a used code is refused on the other server, the same fresh code cast on two servers
at the same moment gives one ballot, the per-code and per-address failure limits trip at their
configured count across all servers (Redis), and the public results page is timed against a bare
WSGI "hello" (``hello_app.py``) served by gunicorn with the same settings; a bare Flask route,
the app's ``/healthz`` and a small static file served through the app are timed too, for what
the framework and the app's own request cycle cost before any view runs.

The servers' logs are read afterwards: the app's unhandled exceptions are counted, with the
first whole entry of each kind. Each check prints PASS or FAIL; any FAIL exits 1. Issue 22's
targets print apart, as TARGET MET or MISSED: the workers' CPU per ballot (at most 10 ms), cast
p99 under 300 ms with 100 voters, and ballots/s at least 0.45 of the ceiling this machine sets in
the same run: the ``/healthz`` rate divided by the requests a ballot took (7, and two for each
Add: without JavaScript an Add is a POST and the 303's GET of the ballot; with ``--js`` one, as
htmx sends it and the ballot area comes back in place). Processes and the database are removed
on exit, Ctrl-C included. ``--fault restart-postgres`` restarts the machine's PostgreSQL cluster:
run it only when nobody else is using that server.
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import html
import http.client
import json
import math
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import datetime, timezone
from dataclasses import asdict, dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"
PG_BASE = os.environ.get("PBAPP_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("PBAPP_BENCH_REDIS", "redis://127.0.0.1:6379/0")
LIVE_SLUG, RESULTS_SLUG = "load-test", "load-results"
EXEMPT_HEADER = "X-Bench-Load"
#: a journey's steps: form, code, ballot, review, cast, receipt; a failure at the last two
#: leaves it unknown whether the ballot was recorded
UNKNOWN_STEPS = ("cast", "receipt")
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
STATIC_PATH = "/static/css/print.css"
#: the app's lightest page: its whole request cycle (session, CSRF, login, locale, headers) with
#: no query and no template; six of these are the least a ballot can cost
FLOOR_PATH = "/healthz"
#: issue 22's targets, in terms that travel between machines (one server, this run's figures):
#: the workers' CPU per ballot, ballots/s as a share of the ceiling /healthz sets in the same
#: run, and the cast's p99 with 100 voters in flight (a cycle report: benchmarks/report_pages.py)
TARGET_WORKER_MS_PER_BALLOT = 10
TARGET_SHARE_OF_CEILING = 0.45
TARGET_CAST_P99_MS = 300
TARGET_VOTERS = 100


# --- a browser without JavaScript --------------------------------------------------------------

class Failure(Exception):
    """One request that did not give the page a browser expects; ``kind`` names why."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


@dataclass
class Page:
    status: int
    headers: dict
    body: str


_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
_INPUT = re.compile(r"<input\b([^>]*)>", re.I)
_SELECT = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.S | re.I)
_OPTION = re.compile(r"<option\b([^>]*)>", re.I)
#: how long a voter keeps trying again after a 503 (cast or receipt) before giving up
PATIENCE_AFTER_503_S = 30.0
#: what the ballot page says to a voter whose code has been used (their session holds it)
ALREADY_CAST = "A ballot has already been cast with this account or code."
_RECEIPT = re.compile(r'id="receipt-code">([A-Z0-9-]+)<')
#: the ballot's Add buttons (issue 23): each names a proposal; without JavaScript a press is a
#: POST that answers 303 back to the ballot, so each choice costs two requests
_ADD = re.compile(r'name="op" value="add:(\d+)"')
#: the benchmark cycle's max_ranks
MAX_RANKS = 5


def _attrs(text: str) -> dict:
    return {k: html.unescape(v) for k, v in _ATTR.findall(text)}


def forms(body: str) -> list[dict]:
    """Each form's action, hidden/text inputs and selects (name -> option values)."""
    found = []
    for m in _FORM.finditer(body):
        attrs, inner = _attrs(m.group(1)), m.group(2)
        inputs = {}
        for i in _INPUT.finditer(inner):
            a = _attrs(i.group(1))
            if "name" in a:
                inputs[a["name"]] = a.get("value", "")
        selects = {}
        for s in _SELECT.finditer(inner):
            a = _attrs(s.group(1))
            selects[a.get("name", "")] = [_attrs(o.group(1)).get("value", "")
                                          for o in _OPTION.finditer(s.group(2))]
        found.append({"action": attrs.get("action", ""), "id": attrs.get("id", ""),
                      "inputs": inputs, "selects": selects})
    return found


def form_to(body: str, action_end: str) -> dict:
    for f in forms(body):
        if f["action"].endswith(action_end):
            return f
    raise Failure(f"no form posting to {action_end}")


class Browser:
    """One visitor: one connection (reopened as gunicorn's sync workers close it) and cookies.

    A GET whose connection fails is sent again for up to ``patience`` seconds, as a person
    reloads a page that did not load; a POST never is (a browser asks first)."""

    def __init__(self, port: int, extra_headers: dict | None = None, timeout: float = 30.0,
                 patience: float = 5.0):
        self.port = port
        self.timeout = timeout
        self.patience = patience
        self.conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        self.cookies: dict[str, str] = {}
        self.extra = dict(extra_headers or {})
        self.retries = 0

    def close(self) -> None:
        self.conn.close()

    def request(self, method: str, path: str, form: dict | None = None,
                more_headers: dict | None = None) -> Page:
        body = urlencode(form) if form is not None else None
        headers = {"User-Agent": "pbapp-load/1", "Accept": "text/html", **self.extra,
                   **(more_headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        give_up = time.monotonic() + (self.patience if method == "GET" else 0.0)
        attempt = 0
        while True:
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (TimeoutError, socket.timeout):
                self.conn.close()
                raise Failure("timeout") from None
            except ConnectionRefusedError:
                self.conn.close()
                kind = "connection refused"
            except (ConnectionError, http.client.HTTPException) as exc:
                self.conn.close()
                kind = ("connection lost" if isinstance(exc, (
                    ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected,
                    http.client.IncompleteRead, http.client.BadStatusLine))
                    else f"network: {type(exc).__name__}")
            except OSError as exc:
                self.conn.close()
                kind = f"network: {type(exc).__name__}"
            if time.monotonic() >= give_up:
                raise Failure(kind)
            self.retries += 1
            attempt += 1
            time.sleep(min(1.0, 0.05 * 2 ** attempt))
        for raw in resp.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(raw)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Page(resp.status, {k.lower(): v for k, v in resp.getheaders()},
                    data.decode("utf-8", "replace"))

    def expect(self, page: Page, status: int, location_end: str | None = None) -> Page:
        if page.status != status:
            if page.status == 200 and "flash-error" in page.body:
                raise Failure("refused by the page")
            raise Failure(f"HTTP {page.status}")
        if location_end and not page.headers.get("location", "").split("?")[0].endswith(
                location_end):
            raise Failure(f"redirected to {page.headers.get('location')}")
        return page


@dataclass
class Journey:
    """One voter's attempt with one code, as the voter saw it."""

    code: str
    server: int
    started: float
    ended: float = 0.0
    step: str = "form"
    receipt: str | None = None
    error: str | None = None
    cast_s: float | None = None
    #: GETs sent again after a lost connection (a browser's reload)
    retries: int = 0
    #: requests a journey that ends with a receipt sends: code form, code, ballot, review (POST
    #: and its 303's GET), cast, receipt, and two for each Add (added as they are pressed)
    requests: int = 7
    #: casts sent again and receipt pages loaded again after a 503, as that page asks
    casts_resent: int = 0
    receipt_reloads: int = 0

    @property
    def unknown(self) -> bool:
        """The cast was sent but its answer lost: the ballot may or may not be recorded."""
        return (self.receipt is None and self.error not in (None, "cast refused")
                and self.step in UNKNOWN_STEPS)


def submit_code(b: Browser, slug: str, code: str) -> Page:
    """GET the code form and POST the code with its CSRF token, as a browser does."""
    page = b.expect(b.request("GET", f"/vote/{slug}/code"), 200)
    fields = form_to(page.body, f"/vote/{slug}/code")["inputs"]
    fields["code"] = code
    return b.request("POST", f"/vote/{slug}/code", fields)


#: what htmx sends with an Add when the page has JavaScript (``--js``)
HTMX_HEADERS = {"HX-Request": "true", "HX-Target": "ballot-area",
                "HX-Current-URL": "/vote/{slug}/code/ballot"}


def to_review(b: Browser, slug: str, code: str, rng: random.Random, j: Journey,
              js: bool = False) -> dict:
    """From the code form to the review page; returns the review's cast form. With ``js``
    each Add is sent as htmx sends it and answered with the ballot area in place: one request,
    not a POST and the 303's GET."""
    j.step = "form"
    page = submit_code(b, slug, code)
    j.step = "code"
    if page.status == 429:
        raise Failure("rate limited (429)")
    if page.status == 200 and "flash-error" in page.body:
        raise Failure("code refused")
    b.expect(page, 303, f"/vote/{slug}/code/ballot")
    j.step = "ballot"
    page = b.expect(b.request("GET", f"/vote/{slug}/code/ballot"), 200)
    choices = _ADD.findall(page.body)
    if not choices:
        raise Failure("ballot without Add buttons")
    picked = rng.sample(choices, rng.randint(1, min(MAX_RANKS, len(choices))))
    for pid in picked:  # Add, as a browser without JavaScript: 303 back to the ballot's GET
        j.step = "add"
        fields = dict(form_to(page.body, f"/vote/{slug}/code/review")["inputs"], op=f"add:{pid}")
        if js:
            hx = {k: v.format(slug=slug) for k, v in HTMX_HEADERS.items()}
            page = b.expect(b.request("POST", f"/vote/{slug}/code/ballot", fields, hx), 200)
            continue
        b.expect(b.request("POST", f"/vote/{slug}/code/ballot", fields), 303,
                 f"/vote/{slug}/code/ballot")
        page = b.expect(b.request("GET", f"/vote/{slug}/code/ballot"), 200)
    fields = form_to(page.body, f"/vote/{slug}/code/review")["inputs"]
    ranked = [fields[k] for k in sorted((k for k in fields if k.startswith("rank_")),
                                        key=lambda k: int(k[5:]))]
    if ranked != picked:
        raise Failure("ballot kept another ranking than the one added")
    j.step = "review"
    b.expect(b.request("POST", f"/vote/{slug}/code/review", fields), 303,
             f"/vote/{slug}/code/review")
    page = b.expect(b.request("GET", f"/vote/{slug}/code/review"), 200)
    j.requests += (1 if js else 2) * len(picked)
    return form_to(page.body, f"/vote/{slug}/code/cast")


def again_after_503(b: Browser, page: Page, method: str, path: str, form: dict | None = None):
    """The 503 page says: try again in a few seconds, that shows whether the ballot was
    recorded. A voter does, for as long as a person would wait on a phone (a POST is sent
    again as a browser does once its person agrees). Returns the last answer and the tries."""
    tries = 0
    give_up = time.monotonic() + PATIENCE_AFTER_503_S
    while page.status == 503 and time.monotonic() < give_up:
        tries += 1
        time.sleep(min(float(page.headers.get("retry-after", "5")), 5.0))
        page = b.request(method, path, form)
    return page, tries


def cast_and_receipt(b: Browser, slug: str, cast_form: dict, j: Journey) -> None:
    j.step = "cast"
    t = time.perf_counter()
    page = b.request("POST", cast_form["action"], cast_form["inputs"])
    j.cast_s = time.perf_counter() - t
    page, j.casts_resent = again_after_503(b, page, "POST", cast_form["action"],
                                           cast_form["inputs"])
    if page.status == 200 and "flash-error" in page.body:
        if j.casts_resent and ALREADY_CAST in page.body:  # the first try was stored after all
            raise Failure("cast stored before its 503 (already cast when sent again)")
        raise Failure("cast refused")
    b.expect(page, 303, f"/vote/{slug}/code/receipt")
    j.step = "receipt"
    page = b.request("GET", f"/vote/{slug}/code/receipt")
    page, j.receipt_reloads = again_after_503(b, page, "GET", f"/vote/{slug}/code/receipt")
    page = b.expect(page, 200)
    m = _RECEIPT.search(page.body)
    if not m:
        raise Failure("receipt page without a code")
    j.receipt = m.group(1)


def vote_with_code(port: int, server: int, slug: str, code: str, rng: random.Random,
                   headers: dict | None, js: bool = False) -> Journey:
    j = Journey(code=code, server=server, started=time.time())
    b = Browser(port, headers)
    try:
        cast_and_receipt(b, slug, to_review(b, slug, code, rng, j, js), j)
    except Failure as f:
        j.error = f.kind
    except Exception as exc:  # a bug in the client must not pass for a server fault
        j.error = f"client error: {type(exc).__name__}: {exc}"
    finally:
        b.close()
        j.retries = b.retries
        j.ended = time.time()
    return j


# --- the load process ---------------------------------------------------------------------------

def voters_main(ports: list[int], slug: str, codes: list[str], voters: int, seconds: float,
                headers: dict | None, js: bool, queue) -> None:
    """Entry of the load process: ``voters`` threads, each voting with code after code.

    Puts ("started", t0) on ``queue`` as the voters start, then ("done", journeys as dicts,
    seconds from start to the last voter's end, this process's CPU seconds)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us
    pool = iter(codes)
    lock = threading.Lock()
    out: list[Journey] = []
    t0 = time.time()
    deadline = time.monotonic() + seconds

    def next_code() -> str | None:
        with lock:
            return next(pool, None)

    def voter(n: int) -> None:
        rng = random.Random(n)
        port_i = n % len(ports)
        code = None
        mine = []
        while time.monotonic() < deadline:
            code = code or next_code()
            if code is None:
                break
            j = vote_with_code(ports[port_i], port_i, slug, code, rng, headers, js)
            mine.append(j)
            if j.receipt or j.unknown or j.error in ("code refused", "cast refused"):
                code = None  # used, or its fate is for the database to tell
            if j.error:  # a person waits a moment before trying again (with the same code)
                time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
        with lock:
            out.extend(mine)

    threads = [threading.Thread(target=voter, args=(n,), daemon=True) for n in range(voters)]
    queue.put(("started", t0))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    import resource

    use = resource.getrusage(resource.RUSAGE_SELF)
    queue.put(("done", [asdict(j) for j in out], time.time() - t0, use.ru_utime + use.ru_stime))


def rates_main(targets: list[tuple[str, int, str]], seconds: float, concurrency: int,
               queue, rounds: int = 5) -> None:
    """Entry of the rate process: each (name, port, path) GET in a closed loop for ``seconds``.

    The time is cut into ``rounds`` slices taken in turn (hello, flask, static, results, hello,
    ...), so a slower moment of the machine (the database tidying up after the load, say) falls
    on every target alike instead of on whichever was measured last."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    totals = {name: {"ok": 0, "bad": Counter(), "lat": [], "seconds": 0.0}
              for name, _, _ in targets}
    for _ in range(rounds):
        for name, port, path in targets:
            ok, bad, lat, elapsed = _rate_slice(port, path, seconds / rounds, concurrency)
            total = totals[name]
            total["ok"] += ok
            total["bad"].update(bad)
            total["lat"].extend(lat)
            total["seconds"] += elapsed
    results = {}
    for name, _, path in targets:
        t = totals[name]
        results[name] = {"path": path, "ok": t["ok"], "seconds": t["seconds"],
                         "per_s": t["ok"] / t["seconds"], "p50_ms": pct(t["lat"], 50) * 1000,
                         "p95_ms": pct(t["lat"], 95) * 1000, "errors": dict(t["bad"])}
    queue.put(("done", results))


def _rate_slice(port: int, path: str, seconds: float, concurrency: int):
    """``concurrency`` clients GET ``path`` in a closed loop for ``seconds``."""
    ok, bad, lat = [0], Counter(), []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop() -> None:
        b = Browser(port, patience=0)
        mine_ok, mine_lat, mine_bad = 0, [], Counter()
        while time.monotonic() < deadline:
            t = time.perf_counter()
            try:
                page = b.request("GET", path)
                if page.status == 200:
                    mine_ok += 1
                    mine_lat.append(time.perf_counter() - t)
                else:
                    mine_bad[f"HTTP {page.status}"] += 1
            except Failure as f:
                mine_bad[f.kind] += 1
        b.close()
        with lock:
            ok[0] += mine_ok
            lat.extend(mine_lat)
            bad.update(mine_bad)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=loop, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return ok[0], bad, lat, time.perf_counter() - t0


def in_child(target, *args):
    """Start ``target(*args, queue)`` in a fresh interpreter (spawn): the client's own process."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue), daemon=True)
    proc.start()
    return proc, queue


# --- gunicorn -----------------------------------------------------------------------------------

def _no_control_socket() -> list[str]:
    """gunicorn >= 24 opens a control socket at one fixed path; two servers would share it."""
    try:
        from gunicorn.config import KNOWN_SETTINGS
    except ImportError:
        return []
    return ["--no-control-socket"] if any(
        "--no-control-socket" in (s.cli or []) for s in KNOWN_SETTINGS) else []


NO_CONTROL_SOCKET = _no_control_socket()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds of each of these processes still alive."""
    used = {}
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def children_of(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            kids.append(int(entry))
    return sorted(kids)


class Server:
    """A gunicorn master in its own session (so Ctrl-C reaches us, and we stop it)."""

    def __init__(self, app: str, env: dict, workers: int, logdir: Path, name: str,
                 port: int | None = None):
        self.app, self.env, self.workers, self.name = app, env, workers, name
        self.port = port or free_port()
        self.log = logdir / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Server":
        cmd = [sys.executable, "-m", "gunicorn", "--workers", str(self.workers),
               "--bind", f"{HOST}:{self.port}", "--pythonpath", str(BENCH), "--chdir", str(ROOT),
               "--timeout", "30", "--graceful-timeout", "5", "--error-logfile", "-",
               *NO_CONTROL_SOCKET, self.app]
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        return self

    def worker_pids(self) -> list[int]:
        return children_of(self.proc.pid) if self.proc else []

    def answers(self, path: str) -> bool:
        try:
            return Browser(self.port, timeout=5, patience=0).request("GET", path).status == 200
        except Failure:
            return False

    def wait_ready(self, path: str, timeout: float = 120) -> float:
        """Seconds until every worker is up and the page answers 200 (then a few warm-ups)."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see its log:\n{self.tail()}")
            if len(self.worker_pids()) >= self.workers and self.answers(path):
                for _ in range(self.workers * 3):
                    self.answers(path)
                return time.monotonic() - t0
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer {path} in {timeout:.0f}s:\n{self.tail()}")

    def tail(self, n: int = 25) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def exceptions(self) -> tuple[collections.Counter, dict[str, str]]:
        """What the app logged as unhandled (Flask logs each 500 with its traceback): the last
        line of each traceback, counted, and the first whole log entry for each, so a run's 500s
        are traced to their cause, not guessed at."""
        found: collections.Counter = collections.Counter()
        first: dict[str, str] = {}
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return found, first
        entry: list[str] = []
        last = None
        for line in lines + ["[end of log]"]:
            if line.startswith("["):  # a new log entry: the one before it is complete
                if last:
                    found[last] += 1
                    first.setdefault(last, "\n".join(entry))
                entry, last = [line], None
                continue
            entry.append(line)
            if line.startswith("Traceback ("):
                last = ""
            elif last is not None and re.match(r"[\w.]+(: |$)", line):
                last = line[:160]  # chained tracebacks: the final exception wins
        return found, first

    def kill(self) -> None:
        """kill -9 the master and its workers (the whole process group we started)."""
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if not self.proc or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()
        with contextlib.suppress(ProcessLookupError):  # a straggling worker of ours
            os.killpg(self.proc.pid, signal.SIGKILL)


# --- the database and the data --------------------------------------------------------------

def pg_admin():
    import psycopg

    return psycopg.connect(f"{PG_BASE}/postgres", autocommit=True)


def create_database(name: str) -> None:
    """CREATE DATABASE ... TEMPLATE test, retried while a test run briefly holds the template."""
    import psycopg

    for attempt in range(40):
        try:
            with pg_admin() as conn:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE test')
            return
        except psycopg.errors.ObjectInUse:
            time.sleep(0.5 + attempt * 0.1)
    raise RuntimeError("the template database 'test' stayed busy")


def drop_database(name: str) -> None:
    with pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flask_cmd(env: dict, *args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                         env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if out.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    return out.stdout


def server_env(database_url: str, secret: str, *, redis: bool, token: str | None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "FLASK_DEBUG")}
    env.update(DATABASE_URL=database_url, SECRET_KEY=secret, PBAPP_ENV="production",
               BENCH_RATELIMIT_PREFIX=f"bench-{uuid.uuid4().hex[:10]}", PYTHONUNBUFFERED="1")
    if redis:
        env["REDIS_URL"] = REDIS_URL
    if token:
        env["BENCH_EXEMPT_TOKEN"] = token
    return env


def local_app(database_url: str, secret: str):
    """The app in this process, for seeding and for checking, with the servers' secret."""
    from sqlalchemy.engine import make_url

    from pbapp import create_app
    from pbapp.config import database_url as normalise_url

    url = normalise_url(database_url)
    make_url(url)  # fail early on a bad URL
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret,
                       "RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_ENABLED": False})


def seed(app, published_ballots: int, seed_value: int = 7) -> dict:
    """A cycle in voting (8 accepted proposals) and, if asked, a counted and published one."""
    from pbapp.boards.models import Board
    from pbapp.cycles.models import Cycle
    from pbapp.cycles.services import count_cycle, publish_result
    from pbapp.extensions import db
    from pbapp.proposals.models import Proposal
    from pbapp.voting.models import Ballot, Participation
    from pbapp.voting.services import new_receipt, receipt_hash, voter_key
    from sqlalchemy import insert

    rng = random.Random(seed_value)
    titles = ["Violence interruption team", "Crisis response without police", "Summer youth jobs",
              "Street lighting on Canal Walk", "Hospital-based intervention",
              "Weekend wellness events", "Safe routes to school", "Vacant lot greening",
              "Trauma counselling for families", "Late-night youth centre"]
    with app.app_context():
        board = Board(slug="bench-board", name="Benchmark Safety Board")
        db.session.add(board)
        made = {}
        for slug, phase, n in ((LIVE_SLUG, "voting", 8), (RESULTS_SLUG, "voting", 10)):
            if slug == RESULTS_SLUG and not published_ballots:
                continue
            cycle = Cycle(slug=slug, name=f"Benchmark {slug}", phase=phase,
                          method="equal-shares", completion="add1", max_ranks=5,
                          budget_cents=600_000_00, vote_by_code=True,
                          vote_by_account=False)  # anonymous letter codes only
            db.session.add(cycle)
            db.session.flush()
            props = [Proposal(cycle=cycle, board=board, title=t, summary=f"About {t.lower()}.",
                              cost_cents=rng.randrange(50_000, 250_000) * 100, status="accepted")
                     for t in titles[:n]]
            db.session.add_all(props)
            db.session.flush()
            made[slug] = cycle
        if published_ballots:
            cycle = made[RESULTS_SLUG]
            ids = [p.id for p in db.session.query(Proposal).filter_by(cycle_id=cycle.id)]
            weights = [rng.uniform(0.3, 3.0) ** 2 for _ in ids]
            parts, ballots = [], []
            for i in range(published_ballots):
                pool, w, ranking = ids[:], weights[:], []
                for _ in range(rng.randint(1, 5)):
                    k = rng.choices(range(len(pool)), weights=w)[0]
                    ranking.append(pool.pop(k))
                    w.pop(k)
                when = datetime.now(timezone.utc)
                parts.append({"cycle_id": cycle.id, "voter_key": voter_key("bench", i),
                              "channel": "code", "voted_at": when})
                ballots.append({"id": str(uuid.uuid4()), "cycle_id": cycle.id, "channel": "code",
                                "ranking": ranking, "receipt_hash": receipt_hash(new_receipt()),
                                "cast_on": when.date()})
            db.session.execute(insert(Participation), parts)
            db.session.execute(insert(Ballot), ballots)
            cycle.phase = "counting"
            db.session.flush()
            publish_result(count_cycle(cycle, None), None)
        db.session.commit()
        ids = {slug: c.id for slug, c in made.items()}
        db.engine.dispose()
    return ids


def make_codes(env: dict, count: int, tmp: Path) -> list[str]:
    out = tmp / "codes.csv"
    flask_cmd(env, "codes", "generate", "--cycle", LIVE_SLUG, "--count", str(count),
              "--out", str(out))
    codes = out.read_text().split()[1:]
    out.unlink()
    return codes


# --- checks -------------------------------------------------------------------------------------

class Report:
    def __init__(self):
        self.checks: list[dict] = []
        self.figures: dict = {}

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.checks.append({"check": name, "ok": bool(ok), "detail": detail})
        print(f"{'PASS' if ok else 'FAIL'} {name}" + (f": {detail}" if detail else ""),
              flush=True)
        return bool(ok)

    def target(self, name: str, met: bool, detail: str) -> None:
        """A performance target: printed MET or MISSED, kept apart from the checks (a missed
        target is a figure to report, not a lost or doubled ballot), and in the JSON."""
        self.figures.setdefault("targets", []).append({"target": name, "met": bool(met),
                                                       "detail": detail})
        print(f"TARGET {'MET' if met else 'MISSED'} {name}: {detail}", flush=True)

    def skip(self, name: str, why: str) -> None:
        self.checks.append({"check": name, "ok": None, "detail": why})
        print(f"SKIP {name}: {why}", flush=True)

    @property
    def failed(self) -> bool:
        return any(c["ok"] is False for c in self.checks)


def pct(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(q / 100 * len(s)) - 1))]


def summarise(journeys: list[Journey], elapsed: float, report: Report, cpu: dict) -> None:
    ok = [j for j in journeys if j.receipt]
    casts = [j.cast_s for j in ok]
    whole = [j.ended - j.started for j in ok]
    errors = Counter(f"{j.error} at {j.step}" for j in journeys if j.error)
    fig = {"ballots": len(ok), "elapsed_s": round(elapsed, 2),
           "ballots_per_s": round(len(ok) / elapsed, 2) if elapsed else None,
           "cast_ms": {f"p{q}": round(pct(casts, q) * 1000, 1) for q in (50, 95, 99)},
           "journey_ms": {f"p{q}": round(pct(whole, q) * 1000, 1) for q in (50, 95, 99)},
           "attempts": len(journeys), "errors": dict(errors.most_common()),
           "requests": sum(j.requests for j in ok),
           "get_retries": sum(j.retries for j in journeys),
           "casts_resent_after_503": sum(j.casts_resent for j in journeys),
           "receipts_after_a_resent_cast": sum(1 for j in journeys
                                               if j.receipt and j.casts_resent),
           "receipt_reloads_after_503": sum(j.receipt_reloads for j in journeys),
           "receipts_shown_after_a_503": sum(1 for j in journeys
                                             if j.receipt and j.receipt_reloads), **cpu,
           "machine_load_average": os.getloadavg()[0]}
    report.figures["load"] = fig
    print(f"ballots cast with a receipt: {fig['ballots']} in {fig['elapsed_s']} s = "
          f"{fig['ballots_per_s']} ballots/s ({len(journeys)} attempts)")
    print("cast request latency ms    p50 {p50}  p95 {p95}  p99 {p99}".format(**fig["cast_ms"]))
    print("whole journey latency ms   p50 {p50}  p95 {p95}  p99 {p99}".format(
        **fig["journey_ms"]))
    print("errors by kind: " + (", ".join(f"{k} x{n}" for k, n in errors.most_common())
                                 or "none")
          + f"; GETs sent again after a lost connection: {fig['get_retries']}"
          + f"; casts sent again after a 503: {fig['casts_resent_after_503']}, receipts then "
          f"given: {fig['receipts_after_a_resent_cast']}; receipt pages reloaded after a 503: "
          f"{fig['receipt_reloads_after_503']}, receipts then shown: "
          f"{fig['receipts_shown_after_a_503']}")
    print(f"CPU over {elapsed:.1f} s: client process {cpu['client_cpu_s']} s, server workers "
          f"{cpu['server_workers_cpu_s']} s; machine load average now "
          f"{fig['machine_load_average']:.2f} on {os.cpu_count()} cores")


def check_database(app, cycle_id: int, journeys: list[Journey], report: Report) -> dict:
    """Receipts the voters were shown against the ballots and participations stored."""
    from pbapp.extensions import db
    from pbapp.voting.codes import code_hash, code_voter_key
    from pbapp.voting.models import Ballot, Participation
    from pbapp.voting.services import receipt_hash
    from sqlalchemy import func, select

    with app.app_context():
        n_ballots = db.session.scalar(select(func.count()).select_from(Ballot)
                                      .where(Ballot.cycle_id == cycle_id))
        n_parts = db.session.scalar(select(func.count()).select_from(Participation)
                                    .where(Participation.cycle_id == cycle_id))
        stored_receipts = set(db.session.scalars(select(Ballot.receipt_hash)
                                                 .where(Ballot.cycle_id == cycle_id)))
        stored_keys = set(db.session.scalars(select(Participation.voter_key)
                                             .where(Participation.cycle_id == cycle_id)))
        got = [receipt_hash(j.receipt) for j in journeys if j.receipt]
        keyed = {j.code: code_voter_key(code_hash(j.code)) for j in journeys
                 if j.receipt or j.unknown}
        db.session.remove()
        db.engine.dispose()
    receipted = {keyed[j.code] for j in journeys if j.receipt}
    unknown = {keyed[j.code] for j in journeys if j.unknown} - receipted
    landed = unknown & stored_keys
    lost = [h for h in got if h not in stored_receipts]
    report.check("every ballot acknowledged with a receipt is in the database", not lost,
                 f"{len(got) - len(lost)} of {len(got)} receipts found")
    report.check("no receipt given twice", len(got) == len(set(got)),
                 f"{len(got)} receipts, {len(set(got))} distinct")
    report.check("every receipted code has its participation", receipted <= stored_keys,
                 f"{len(receipted & stored_keys)} of {len(receipted)}")
    extra = stored_keys - receipted - unknown
    report.check("no participation without its voter's cast", not extra,
                 f"{len(extra)} unexplained participations")
    report.check("ballots = participations = successful casts (+ casts whose answer was lost)",
                 n_ballots == n_parts == len(got) + len(landed),
                 f"ballots {n_ballots}, participations {n_parts}, successful casts {len(got)}"
                 + (f", answer lost after the ballot was stored {len(landed)} of {len(unknown)}"
                    if unknown else ""))
    return {"ballots": n_ballots, "participations": n_parts, "receipts": len(got),
            "unknown_outcome": len(unknown), "unknown_landed": len(landed)}


def probe_double_votes(ports: list[int], used: list[Journey], fresh: list[str], headers: dict,
                       report: Report) -> list[Journey]:
    """A used code is refused on another server; one fresh code cast on two servers at the same
    moment gives exactly one ballot. Returns the race's journeys (for the database check)."""
    where = "the other server" if len(ports) > 1 else "the same server"
    refused = 0
    tries = used[:5]
    for j in tries:
        other = (j.server + 1) % len(ports)
        b = Browser(ports[other], headers)
        page = submit_code(b, LIVE_SLUG, j.code)
        b.close()
        refused += page.status == 200 and "flash-error" in page.body
    report.check(f"a used code is refused on {where}", bool(tries) and refused == len(tries),
                 f"{refused} of {len(tries)} refused")
    race: list[Journey] = []
    singles = 0
    for n, code in enumerate(fresh):
        pair = []
        for side in range(2):
            port_i = side % len(ports)
            j = Journey(code=code, server=port_i, started=time.time())
            b = Browser(ports[port_i], headers)
            try:
                pair.append((b, j, to_review(b, LIVE_SLUG, code, random.Random(n), j)))
            except Failure as f:
                j.error = f.kind
                race.append(j)
        gate = threading.Barrier(len(pair))

        def cast(b, j, form):
            gate.wait()
            try:
                cast_and_receipt(b, LIVE_SLUG, form, j)
            except Failure as f:
                j.error = f.kind
            j.ended = time.time()

        threads = [threading.Thread(target=cast, args=p) for p in pair]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for b, j, _ in pair:
            b.close()
            race.append(j)
        receipts = sum(1 for _, j, _ in pair if j.receipt)
        refusals = sum(1 for _, j, _ in pair if j.error == "cast refused")
        singles += len(pair) == 2 and receipts == 1 and refusals == 1
    both = "two servers" if len(ports) > 1 else "one server twice"
    report.check(f"one code cast at the same moment on {both} gives one ballot",
                 bool(fresh) and singles == len(fresh),
                 f"{singles} of {len(fresh)} races: one receipt, one refusal")
    return race


def parse_limit(text: str) -> int:
    return int(text.split()[0])


def probe_shared_limits(ports: list[int], report: Report) -> None:
    """Failed code attempts alternate across the servers until 429: the per-code and the
    per-address limits must trip at their configured totals, not per server."""
    from pbapp.voting.views import CODE_FAILURES_PER_ADDRESS, CODE_FAILURES_PER_CODE

    per_code, per_address = parse_limit(CODE_FAILURES_PER_CODE), parse_limit(
        CODE_FAILURES_PER_ADDRESS)
    spread = f"across {len(ports)} servers" if len(ports) > 1 else "on one server"

    def hammer(code_for) -> tuple[int, int | None]:
        refusals = 0
        for n in range(3 * per_address):
            b = Browser(ports[n % len(ports)])
            try:
                page = submit_code(b, LIVE_SLUG, code_for(n))
            finally:
                b.close()
            if page.status == 429:
                return refusals, n
            refusals += page.status == 200 and "flash-error" in page.body
        return refusals, None

    def fake(_n=0) -> str:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
        return "-".join(raw[i:i + 4] for i in range(0, 16, 4))

    one = fake()
    refusals, at = hammer(lambda n: one)
    report.check(f"per-code failure limit ({CODE_FAILURES_PER_CODE}) is shared {spread}",
                 at is not None and refusals == per_code,
                 f"{refusals} refusals, then 429" if at is not None else
                 f"{refusals} refusals and never 429")
    more, at = hammer(fake)
    report.check(f"per-address failure limit ({CODE_FAILURES_PER_ADDRESS}) is shared {spread}",
                 at is not None and refusals + more == per_address,
                 f"{refusals + more} refusals from 127.0.0.1 in all, then 429"
                 if at is not None else f"{refusals + more} refusals and never 429")


# --- faults -------------------------------------------------------------------------------------

def poll_until_ok(port: int, path: str, since: float, limit: float = 120) -> float | None:
    """Seconds from ``since`` (monotonic) until the page answers 200 again."""
    while time.monotonic() - since < limit:
        try:
            if Browser(port, timeout=5, patience=0).request("GET", path).status == 200:
                return time.monotonic() - since
        except Failure:
            pass
        time.sleep(0.05)
    return None


def kill_worker(server: Server, path: str) -> dict:
    """kill -9 the worker that used the most CPU in the last half second: the one most likely
    to be in the middle of a request."""
    first = cpu_seconds(server.worker_pids())
    time.sleep(0.5)
    busy = {pid: used - first.get(pid, 0.0) for pid, used in cpu_seconds(list(first)).items()}
    victim = max(busy, key=busy.get)
    t = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    answered = poll_until_ok(server.port, path, t)
    replaced = None
    while time.monotonic() - t < 60:
        now = server.worker_pids()
        if len(now) >= server.workers and victim not in now:
            replaced = time.monotonic() - t
            break
        time.sleep(0.05)
    print(f"fault: kill -9 worker {victim} of {server.name} (CPU s in the last 0.5 s by worker:"
          f" {', '.join(f'{v:.2f}' for v in busy.values())}); site answered 200 after "
          f"{answered if answered is None else round(answered, 3)} s, worker replaced after "
          f"{replaced if replaced is None else round(replaced, 3)} s", flush=True)
    return {"fault": "kill-worker", "pid": victim, "answered_s": answered,
            "worker_replaced_s": replaced}


def pg_cluster() -> tuple[str, str]:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    return version, "main"


def restart_postgres(server: Server, path: str) -> dict:
    version, cluster = pg_cluster()
    t = time.monotonic()
    out = subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster,
                          "restart"], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    restarted = time.monotonic() - t
    answered = poll_until_ok(server.port, path, t)
    print(f"fault: pg_ctlcluster {version} {cluster} restart (exit {out.returncode}, "
          f"{restarted:.2f} s); site answered 200 after "
          f"{answered if answered is None else round(answered, 3)} s", flush=True)
    if out.returncode:
        print(out.stdout + out.stderr, flush=True)
    return {"fault": "restart-postgres", "exit": out.returncode, "restart_s": restarted,
            "answered_s": answered}


def check_recovery(fault: dict, journeys: list[Journey], report: Report) -> None:
    answered = fault.get("answered_s")
    report.check("the site answers again by itself after the fault", answered is not None,
                 f"first 200 {answered:.2f} s after the fault" if answered is not None else
                 "no 200 within the time allowed")
    back = fault["at_epoch"] + (answered or 0)
    after = [j for j in journeys if j.receipt and j.ended > back]
    report.check("ballots are cast after the fault", bool(after),
                 f"{len(after)} receipts given after the site answered again")


def run_load(ports, codes, voters, seconds, headers, faults=(), servers=(), js=False):
    """The load process; meanwhile this process injects each (at seconds, fault function).

    Returns the journeys, the wall time, the faults and the CPU seconds the client and the
    ``servers``' workers used (of which workers killed meanwhile are left out)."""
    cpu_before = cpu_seconds([p for s in servers for p in s.worker_pids()])
    proc, queue = in_child(voters_main, ports, LIVE_SLUG, codes, voters, seconds, headers, js)
    done = []
    try:
        _, t0 = queue.get(timeout=120)
        for fault_at, fault_fn in faults:
            time.sleep(max(0.0, t0 + fault_at - time.time()))
            at = time.time()
            fault = fault_fn()
            fault["at_s"] = round(at - t0, 2)
            fault["at_epoch"] = at
            done.append(fault)
        _, rows, elapsed, client_cpu = queue.get(timeout=seconds + 300)
        cpu_after = cpu_seconds([p for s in servers if s.proc for p in s.worker_pids()])
        cpu = {"client_cpu_s": round(client_cpu, 2), "server_workers_cpu_s": round(sum(
            used - cpu_before.get(pid, 0.0) for pid, used in cpu_after.items()), 2)}
        proc.join(30)
    finally:
        if proc.is_alive():
            proc.terminate()
            proc.join(5)
    return [Journey(**r) for r in rows], elapsed, done, cpu


# --- the run ------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 2)[2])
    ap.add_argument("--voters", type=int, default=TARGET_VOTERS, help="simulated voters (threads)")
    ap.add_argument("--seconds", type=float, default=60, help="how long the voters vote")
    ap.add_argument("--servers", type=int, default=1, choices=(1, 2),
                    help="gunicorn servers sharing PostgreSQL and Redis; voters split between")
    ap.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1),
                    help="gunicorn workers per server (default 2 x cores)")
    ap.add_argument("--fault", choices=("none", "kill-worker", "restart-postgres"),
                    default="none", help="fault injected halfway through the load")
    ap.add_argument("--codes", type=int, default=None,
                    help="voting codes to make (default 150 per second of load)")
    ap.add_argument("--published-ballots", type=int, default=3000,
                    help="ballots in the published cycle whose results page is timed")
    ap.add_argument("--rate-seconds", type=float, default=10,
                    help="seconds each for the results page and the hello peer (0: skip)")
    ap.add_argument("--rate-concurrency", type=int, default=16,
                    help="concurrent clients for the page-rate comparison")
    ap.add_argument("--app-limits", action="store_true",
                    help="do not exempt the voters from the rate limits (shows the policy cap)")
    ap.add_argument("--js", action="store_true",
                    help="voters whose browser runs JavaScript: each Add is one htmx request "
                         "answered in place (default: no JavaScript, a POST and its 303's GET)")
    ap.add_argument("--json", help="also write the figures and checks as JSON here")
    args = ap.parse_args(argv)
    if args.voters < 1 or args.seconds <= 0:
        ap.error("--voters and --seconds must be positive")

    report = Report()
    secret = secrets.token_urlsafe(48)
    token = None if args.app_limits else secrets.token_urlsafe(24)
    headers = {EXEMPT_HEADER: token} if token else {}
    dbname = f"pbapp_load_{uuid.uuid4().hex[:10]}"
    database_url = f"{PG_BASE}/{dbname}"
    code_path = f"/vote/{LIVE_SLUG}/code"

    def on_term(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pbapp-load-")))
        print(f"machine: {os.cpu_count()} cores, load average "
              f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}; database {dbname}", flush=True)
        create_database(dbname)
        stack.callback(drop_database, dbname)
        env = server_env(database_url, secret, redis=True, token=token)
        t = time.monotonic()
        flask_cmd(env, "db", "upgrade")
        app = local_app(database_url, secret)
        ids = seed(app, args.published_ballots)
        n_codes = args.codes or int(150 * args.seconds) + 50
        codes = make_codes(env, n_codes, tmp)
        reserved, codes = codes[:5], codes[5:]
        print(f"setup: migrated, seeded ({args.published_ballots} published ballots), "
              f"{n_codes} codes in {time.monotonic() - t:.1f} s", flush=True)

        servers = [Server("bench_wsgi:app", env, args.workers, tmp, f"pbapp-{i}")
                   for i in range(args.servers)]
        for s in servers:
            s.start()
            stack.callback(s.stop)
        for s in servers:
            took = s.wait_ready(code_path)
            print(f"{s.name}: gunicorn {args.workers} workers on {HOST}:{s.port}, ready in "
                  f"{took:.1f} s", flush=True)
        ports = [s.port for s in servers]

        fault_fn = None
        if args.fault == "kill-worker":
            fault_fn = lambda: kill_worker(servers[0], code_path)  # noqa: E731
        elif args.fault == "restart-postgres":
            fault_fn = lambda: restart_postgres(servers[0], code_path)  # noqa: E731
        print(f"load: {args.voters} voters"
              f" ({'with JavaScript: htmx Adds' if args.js else 'without JavaScript'})"
              f" for {args.seconds:g} s on {len(ports)} server(s)"
              + (f", fault {args.fault} at {args.seconds / 2:g} s" if fault_fn else "")
              + ("" if token else ", rate limits applied to the voters"), flush=True)
        journeys, elapsed, faults, cpu = run_load(
            ports, codes, args.voters, args.seconds, headers,
            [(args.seconds / 2, fault_fn)] if fault_fn else [], servers, js=args.js)
        summarise(journeys, elapsed, report, cpu)
        load = report.figures["load"]
        setting = ("" if (args.voters, args.servers) == (TARGET_VOTERS, 1) else
                   f" (this run: {args.voters} voters, {args.servers} server(s); the target is "
                   f"for {TARGET_VOTERS} voters on one server)")
        ballots = load["ballots"] or 1
        per_ballot_ms = 1000 * cpu["server_workers_cpu_s"] / ballots
        load["worker_cpu_ms_per_ballot"] = round(per_ballot_ms, 1)
        load["requests_per_ballot"] = round(load["requests"] / ballots, 2)
        load["worker_cpu_ms_per_request"] = round(per_ballot_ms / load["requests_per_ballot"], 2)
        report.target(f"worker CPU per ballot at most {TARGET_WORKER_MS_PER_BALLOT} ms",
                      per_ballot_ms <= TARGET_WORKER_MS_PER_BALLOT,
                      f"{per_ballot_ms:.1f} ms ({load['requests_per_ballot']} requests a ballot"
                      f", {load['worker_cpu_ms_per_request']} ms each)")
        report.target(f"cast p99 under {TARGET_CAST_P99_MS} ms with {TARGET_VOTERS} voters",
                      load["cast_ms"]["p99"] < TARGET_CAST_P99_MS,
                      f"{load['cast_ms']['p99']} ms{setting}")
        used = sum(1 for j in journeys if j.receipt or j.unknown)
        if used >= len(codes):
            print("warning: the voters ran out of codes; raise --codes", flush=True)
        for fault in faults:
            report.figures["fault"] = fault
            check_recovery(fault, journeys, report)
        for s in servers:
            if s.proc.poll() is not None:
                report.check(f"{s.name} still running", False, s.tail())
            logged, first = s.exceptions()
            report.figures.setdefault("logged_exceptions", {})[s.name] = dict(logged)
            print(f"{s.name}: {sum(logged.values())} unhandled exceptions logged"
                  + "".join(f"\n  {n} x {line}" for line, n in logged.most_common(5)), flush=True)
            for line, _ in logged.most_common(3):
                print(f"--- the first of these in {s.name}'s log ---\n{first[line]}", flush=True)

        race = probe_double_votes(ports, [j for j in journeys if j.receipt], reserved,
                                  headers, report)
        report.figures["database"] = check_database(app, ids[LIVE_SLUG], journeys + race,
                                                    report)
        if token:
            probe_shared_limits(ports, report)
        else:
            report.skip("shared rate limits", "the voters' failures already count (--app-limits)")

        if args.rate_seconds > 0:
            hello = Server("hello_app:app", env, args.workers, tmp, "hello").start()
            stack.callback(hello.stop)
            hello.wait_ready("/")
            results_path = f"/cycles/{RESULTS_SLUG}/results"
            if not servers[0].answers(results_path):
                report.check("the published results page answers", False)
            else:
                # /healthz is the floor of any page of the app: its request cycle with no
                # template or query; the static file adds reading and sending a file
                targets = [("hello", hello.port, "/"), ("flask", hello.port, "/flask"),
                           ("app", ports[0], FLOOR_PATH), ("static", ports[0], STATIC_PATH),
                           ("results", ports[0], results_path)]
                proc, queue = in_child(rates_main, targets, args.rate_seconds,
                                       args.rate_concurrency)
                try:
                    _, rates = queue.get(timeout=len(targets) * args.rate_seconds + 120)
                finally:
                    proc.join(10)
                    if proc.is_alive():
                        proc.terminate()
                hello.stop()
                ratio = rates["results"]["per_s"] / max(rates["hello"]["per_s"], 1e-9)
                report.figures["rates"] = {**rates, "ratio": round(ratio, 3)}
                for name, r in rates.items():
                    print(f"{name:<8} {r['path']:<30} {r['per_s']:8.1f} req/s  p50 "
                          f"{r['p50_ms']:.1f} ms  p95 {r['p95_ms']:.1f} ms  errors "
                          f"{r['errors'] or 'none'}", flush=True)
                failed = {n: r["errors"] for n, r in rates.items() if r["errors"]}
                report.check("every page request of the rate comparison answered 200", not failed,
                             "; ".join(f"{n}: {e}" for n, e in failed.items()))
                report.check("results page served at no less than half the hello rate",
                             ratio >= 0.5, f"ratio {ratio:.3f} (to a bare Flask route: "
                             f"{rates['results']['per_s'] / max(rates['flask']['per_s'], 1e-9):.3f}"
                             f"; a static file through the app: "
                             f"{rates['static']['per_s'] / max(rates['hello']['per_s'], 1e-9):.3f}"
                             " of hello)")
                per_ballot = load["requests_per_ballot"]
                ceiling = rates["app"]["per_s"] / per_ballot
                report.figures["ceiling_ballots_per_s"] = round(ceiling, 1)
                print(f"ceiling: a ballot took {per_ballot} requests on average (7, and "
                      f"{'one' if args.js else 'two'} for each Add); the app's lightest one ({FLOOR_PATH}: its request cycle with no"
                      f" query or template) ran at {rates['app']['per_s']:.0f} req/s with the "
                      f"client on the same cores, so this machine serves at most {ceiling:.0f} "
                      f"ballots/s even if every view cost nothing (bare WSGI hellos: "
                      f"{rates['hello']['per_s'] / per_ballot:.0f})", flush=True)
                done = load["ballots_per_s"] or 0
                report.figures["ballots_per_ceiling"] = round(done / ceiling, 3)
                report.target(f"ballots/s at least {TARGET_SHARE_OF_CEILING} of the /healthz "
                              "ceiling", done / ceiling >= TARGET_SHARE_OF_CEILING,
                              f"{done} ballots/s = {done / ceiling:.2f} of {ceiling:.0f}")

        if report.failed:
            for s in servers:
                print(f"--- last lines of {s.name}'s log ---\n{s.tail()}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"args": vars(args), "figures": report.figures,
                                               "checks": report.checks}, indent=2))
    print("FAIL" if report.failed else "PASS", flush=True)
    return 1 if report.failed else 0


def run(main_fn) -> None:
    """Exit 1 on FAIL, 130 on Ctrl-C (after the clean-up has run)."""
    try:
        sys.exit(main_fn())
    except KeyboardInterrupt:
        print("interrupted; servers stopped and databases removed", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    run(main)
