"""The production shape, run on loopback: nginx (TLS, static files) in front of two gunicorn servers.

    .venv/bin/python benchmarks/nginx_shape.py [--workers 2] [--keep-logs DIR]

One command, nothing installed or left behind: a throwaway PostgreSQL database (``CREATE
DATABASE ... TEMPLATE test``, migrated, a cycle in voting and a few codes), a self-signed
certificate for ``localhost`` made for the run (``openssl``), two gunicorn servers started with
``deploy/gunicorn.conf.py`` on unix sockets, and nginx with ``deploy/nginx-pbapp.conf`` and
``deploy/nginx-proxy.conf`` filled in, under its own prefix in a temporary folder, listening on
127.0.0.1 only, run as ``nobody`` when started as root. Redis at 127.0.0.1:6379 holds the rate
limits as in production (``PBAPP_BENCH_REDIS``; empty or not answering: each worker's memory).

Then a journey through HTTPS, as a browser without JavaScript, with the certificate verified:
plain HTTP sends to HTTPS; cookies are Secure, HttpOnly and SameSite; HSTS on pages and static
files; static files come from nginx (cache lifetimes, gzip, and absent from the app servers'
access logs); HTML is not compressed (BREACH); a ballot is cast end to end and its receipt is
in the database; both app servers answered; and no header the proxy did not set is believed: a
client's X-Forwarded-Host, -Proto and -Prefix do not change a redirect, its X-Forwarded-For
does not change the rate-limit key, a Host nginx does not serve gets no answer. Each check
prints PASS or FAIL; any FAIL exits 1. ``tests/deploy/test_nginx_shape.py`` runs it.
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import pwd
import random
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_vote import (  # noqa: E402  (the load benchmark's browser, database and checks)
    BENCH, HOST, LIVE_SLUG, NO_CONTROL_SOCKET, PG_BASE, ROOT, Browser, Failure, Journey, Report,
    cast_and_receipt, check_database, create_database, drop_database, free_port, local_app,
    run, seed, server_env, submit_code, to_review)

DEPLOY = ROOT / "deploy"
SERVER_NAME = "localhost"
REDIS_URL = os.environ.get("PBAPP_BENCH_REDIS", "redis://127.0.0.1:6379/0")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = "/etc/nginx/mime.types"
#: a vendored file (its version in its path) and one of the site's own
VENDOR_FILE = "/static/vendor/htmx-2.0.11.min.js"
OWN_FILE = "/static/css/site.css"
YEAR = 31536000


# --- HTTPS with the run's certificate -----------------------------------------------------------

class RecordingHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection that keeps every Set-Cookie line it receives, attributes and all."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_cookies: list[str] = []
        self.last_headers: list[tuple[str, str]] = []

    def getresponse(self):
        resp = super().getresponse()
        self.set_cookies.extend(resp.headers.get_all("Set-Cookie") or [])
        self.last_headers = resp.getheaders()
        return resp


class HttpsBrowser(Browser):
    """load_vote's browser without JavaScript, over HTTPS to nginx, verifying the certificate.

    It sends the Referer a browser sends (the site's policy is same-origin): over HTTPS the
    app's CSRF check refuses a form posted without one from this site."""

    def __init__(self, port: int, context: ssl.SSLContext, extra_headers: dict | None = None):
        super().__init__(port, extra_headers)
        self.conn.close()
        self.conn = RecordingHTTPS(SERVER_NAME, port, timeout=self.timeout, context=context)
        self.origin = f"https://{SERVER_NAME}:{port}"

    def request(self, method: str, path: str, form: dict | None = None):
        page = super().request(method, path, form)
        if method == "GET" and page.status == 200:
            self.extra["Referer"] = self.origin + path
        return page


def raw_request(port: int, method: str, path: str, headers: dict, context=None):
    """One request with exactly these headers; (status, headers lowercased, body bytes)."""
    conn = (http.client.HTTPSConnection(SERVER_NAME, port, timeout=10, context=context)
            if context else http.client.HTTPConnection(HOST, port, timeout=10))
    try:
        conn.request(method, path, headers=headers)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


# --- the shape ----------------------------------------------------------------------------------

def make_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                    f"/CN={SERVER_NAME}", "-addext",
                    f"subjectAltName=DNS:{SERVER_NAME},IP:127.0.0.1", "-keyout", str(key),
                    "-out", str(cert)], check=True, capture_output=True, stdin=subprocess.DEVNULL)
    return cert, key


def render_site(sockets: list[Path], http_port: int, https_port: int, cert: Path,
                key: Path) -> str:
    """deploy/nginx-pbapp.conf with its names between @ signs filled in for loopback (IPv4 only)."""
    text = (DEPLOY / "nginx-pbapp.conf").read_text()
    values = {"@APP_1@": f"unix:{sockets[0]}", "@APP_2@": f"unix:{sockets[1]}",
              "@HTTP_PORT@": f"{HOST}:{http_port}", "@HTTPS_PORT@": f"{HOST}:{https_port}",
              "@HTTPS_SUFFIX@": f":{https_port}", "@SERVER_NAME@": SERVER_NAME,
              "@CERT@": str(cert), "@KEY@": str(key), "@APP_ROOT@": str(ROOT),
              "@PROXY_PARAMS@": str(DEPLOY / "nginx-proxy.conf")}
    for name, value in values.items():
        text = text.replace(name, value)
    left = sorted(set(re.findall(r"@[A-Z_0-9]+@", text)))
    if left:
        raise RuntimeError(f"deploy/nginx-pbapp.conf has names this run does not fill: {left}")
    return "\n".join(line for line in text.splitlines() if "listen [::]" not in line) + "\n"


def nginx_main_conf(prefix: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf gives a site (mime types, gzip on for HTML), with
    every path inside ``prefix``, in the foreground."""
    return f"""daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log notice;
events {{ worker_connections 256; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    server_tokens off;
    gzip on;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    include {prefix}/site.conf;
}}
"""


def as_nobody():
    """Drop root before nginx starts (its master would otherwise stay root)."""
    if os.geteuid() != 0:
        return None
    nobody = pwd.getpwnam("nobody")

    def drop():
        os.setgroups([])
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)
    return drop, nobody.pw_uid, nobody.pw_gid


class Process:
    """A process in its own session, stopped (and its group killed) at the end."""

    def __init__(self, name: str, cmd: list[str], log: Path, env: dict | None = None,
                 preexec=None):
        self.name, self.log = name, log
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True, preexec_fn=preexec)

    def tail(self, n: int = 20) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


def wait_for(check, what: str, procs: list[Process], timeout: float = 60) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        for p in procs:
            if p.proc.poll() is not None:
                raise RuntimeError(f"{p.name} exited while waiting for {what}:\n{p.tail()}")
        with contextlib.suppress(OSError, http.client.HTTPException, ssl.SSLError):
            if check():
                return time.monotonic() - t0
        time.sleep(0.1)
    raise RuntimeError(f"no {what} in {timeout:.0f} s:\n" + "\n".join(p.tail() for p in procs))


def redis_answers(url: str) -> bool:
    if not url:
        return False
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except Exception:  # noqa: BLE001  (any failure means: use memory)
        return False


# --- the journey --------------------------------------------------------------------------------

def cookie_flags(lines: list[str]) -> dict[str, dict]:
    flags = {}
    for raw in lines:
        jar = SimpleCookie()
        jar.load(raw)
        for name, m in jar.items():
            flags[name] = {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]),
                           "samesite": m["samesite"]}
    return flags


def journey(report: Report, ports: dict, context: ssl.SSLContext, code: str,
            app, cycle_id: int, shared_limits: bool, limit: int) -> list[dict]:
    """The HTTPS journey's checks; returns the headers of the static files' answers."""
    https, plain = ports["https"], ports["http"]
    page_path = f"/vote/{LIVE_SLUG}/code"

    status, headers, _ = raw_request(plain, "GET", page_path,
                                     {"Host": f"{SERVER_NAME}:{plain}"})
    want = f"https://{SERVER_NAME}:{https}{page_path}"
    report.check("plain HTTP answers with a redirect to HTTPS", status == 301
                 and headers.get("location") == want, f"{status} -> {headers.get('location')}")

    b = HttpsBrowser(https, context)
    j = Journey(code=code, server=0, started=time.time())
    try:
        cast_and_receipt(b, LIVE_SLUG, to_review(b, LIVE_SLUG, code, random.Random(1), j), j)
    except Failure as f:
        j.error = f.kind
    j.ended = time.time()
    report.check("a ballot is cast through nginx and a receipt shown", bool(j.receipt),
                 f"receipt {j.receipt}" if j.receipt else f"{j.error} at {j.step}")
    check_database(app, cycle_id, [j], report)

    flags = cookie_flags(b.conn.set_cookies)
    bad = {n: f for n, f in flags.items() if not (f["secure"] and f["httponly"]
                                                  and f["samesite"].lower() in ("lax", "strict"))}
    report.check("every cookie set on the way is Secure, HttpOnly and SameSite", flags and not bad,
                 ", ".join(f"{n}: {f}" for n, f in (bad or flags).items()))
    b.close()

    status, headers, body = raw_request(https, "GET", page_path, {
        "Accept-Encoding": "gzip", "X-Forwarded-Proto": "http"}, context)
    report.check("HSTS on a page (a client's X-Forwarded-Proto: http changes nothing)",
                 status == 200 and "max-age=" in headers.get("strict-transport-security", ""),
                 headers.get("strict-transport-security", "absent"))
    report.check("HTML is not compressed (a CSRF token beside visitor text: BREACH)",
                 "content-encoding" not in headers and b"csrf_token" in body,
                 headers.get("content-encoding", "identity"))

    static_headers = []
    status, headers, body = raw_request(https, "GET", VENDOR_FILE, {"Accept-Encoding": "gzip"},
                                        context)
    cache = headers.get("cache-control", "")
    static_headers.append(headers)
    report.check("a vendored static file: a year's cache, compressed, HSTS",
                 status == 200 and f"max-age={YEAR}" in cache and "immutable" in cache
                 and headers.get("content-encoding") == "gzip"
                 and "strict-transport-security" in headers,
                 f"{status}, Cache-Control {cache!r}, {headers.get('content-encoding')}")
    status, headers, _ = raw_request(https, "GET", OWN_FILE, {"Accept-Encoding": "gzip"}, context)
    etag = headers.get("etag", "")
    again, again_headers, _ = raw_request(https, "GET", OWN_FILE, {"If-None-Match": etag},
                                          context)
    static_headers += [headers, again_headers]
    report.check("the site's own static file is revalidated (no-cache, ETag, 304)",
                 status == 200 and headers.get("cache-control") == "no-cache"
                 and headers.get("content-encoding") == "gzip" and etag and again == 304,
                 f"{status}, Cache-Control {headers.get('cache-control')!r}, then {again}")
    status, headers, _ = raw_request(https, "GET", "/api/v1/openapi.json",
                                     {"Accept-Encoding": "gzip"}, context)
    report.check("open data JSON is compressed", status == 200
                 and headers.get("content-encoding") == "gzip", f"{status}, "
                 f"{headers.get('content-encoding', 'identity')}")

    status, headers, _ = raw_request(https, "GET", "/api/v1", {
        "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http",
        "X-Forwarded-Prefix": "/evil", "Forwarded": "host=evil.example;proto=http"}, context)
    want = f"https://{SERVER_NAME}:{https}/api/v1/"
    report.check("a client's X-Forwarded-Host/-Proto/-Prefix do not change a redirect",
                 headers.get("location") == want, f"{status} -> {headers.get('location')}")

    try:
        status, _, _ = raw_request(https, "GET", "/", {"Host": "evil.example"}, context)
        outcome = f"HTTP {status}"
    except (http.client.RemoteDisconnected, ConnectionError, ssl.SSLError) as exc:
        status, outcome = None, f"connection closed ({type(exc).__name__})"
    report.check("a Host nginx does not serve gets no answer", status is None, outcome)

    # wrong codes, each from a "different address" the client claims: if X-Forwarded-For were
    # believed, no address would ever reach the limit
    refusals, limited_at = 0, None
    tries = limit + 1 if shared_limits else 4 * limit + 1
    for n in range(tries):
        wrong = "-".join(secrets.token_hex(2).upper() for _ in range(4))
        b = HttpsBrowser(https, context, {"X-Forwarded-For": f"203.0.113.{n + 1}",
                                          "X-Real-IP": f"203.0.113.{n + 1}"})
        try:
            page = submit_code(b, LIVE_SLUG, wrong)
        finally:
            b.close()
        if page.status == 429:
            limited_at = n
            break
        refusals += page.status == 200 and "flash-error" in page.body
    exact = refusals == limit if shared_limits else refusals >= limit
    report.check("a client's X-Forwarded-For does not change the rate-limit key",
                 limited_at is not None and exact,
                 (f"{refusals} refusals from {refusals} claimed addresses, then 429"
                  + ("" if shared_limits else " (memory storage: counted per worker)"))
                 if limited_at is not None else f"{refusals} refusals and never 429")
    return static_headers


def static_only_at_nginx(report: Report, static_headers: list[dict],
                         app_logs: list[Path]) -> None:
    """The static answers lack the header the app puts on every response, and the app servers'
    access logs name no static file; both servers took requests."""
    app_lines = [p.read_text(errors="replace").splitlines() if p.exists() else []
                 for p in app_logs]
    at_app = [line for lines in app_lines for line in lines if "/static/" in line]
    with_csp = sum("content-security-policy" in h for h in static_headers)
    report.check("static files are answered by nginx, never by the app",
                 static_headers and not at_app and not with_csp,
                 f"{len(static_headers)} static answers, {with_csp} with the app's CSP header; "
                 f"{len(at_app)} static requests in the app servers' access logs"
                 + (f", e.g. {at_app[0]}" if at_app else ""))
    counts = [len(lines) for lines in app_lines]
    report.check("both app servers answered requests through nginx", all(counts),
                 f"requests per server {counts}")


# --- the run ------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 2)[2])
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server")
    ap.add_argument("--keep-logs", help="copy nginx's and the servers' logs here at the end")
    args = ap.parse_args(argv)
    if not Path(NGINX).exists():
        print("FAIL nginx is installed: apt-get install nginx", flush=True)
        return 1
    started = time.monotonic()
    report = Report()
    dbname = f"pbapp_nginx_{uuid.uuid4().hex[:10]}"
    secret = secrets.token_urlsafe(48)

    def on_term(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pbapp-nginx-")))
        prefix = tmp / "nginx"
        for sub in ("tmp", "run"):
            (prefix / sub).mkdir(parents=True)
        create_database(dbname)
        stack.callback(drop_database, dbname)
        shared = redis_answers(REDIS_URL)
        env = server_env(f"{PG_BASE}/{dbname}", secret, redis=shared, token=None)
        if shared:
            env["REDIS_URL"] = REDIS_URL
        env["TRUSTED_HOSTS"] = SERVER_NAME
        app = local_app(env["DATABASE_URL"], secret)
        # the same commands as flask_cmd, in this process: each new interpreter costs seconds
        cli = app.test_cli_runner()
        done = cli.invoke(args=["db", "upgrade"])
        if done.exit_code:
            raise RuntimeError(f"flask db upgrade failed:\n{done.output}") from done.exception
        cycle_id = seed(app, 0)[LIVE_SLUG]
        codes_file = tmp / "codes.csv"
        done = cli.invoke(args=["codes", "generate", "--cycle", LIVE_SLUG, "--count", "2",
                                "--out", str(codes_file)])
        if done.exit_code:
            raise RuntimeError(f"flask codes generate failed:\n{done.output}")
        code = codes_file.read_text().split()[1]
        cert, key = make_certificate(prefix)
        print(f"setup: database {dbname} migrated and seeded, certificate made in "
              f"{time.monotonic() - started:.1f} s; rate limits in "
              f"{'Redis ' + REDIS_URL if shared else 'each worker (no Redis answered)'}",
              flush=True)

        sockets = [prefix / "run" / f"app-{i}.sock" for i in (1, 2)]
        app_logs = [tmp / f"app-{i}.access.log" for i in (1, 2)]
        servers = []
        for i, (sock, access) in enumerate(zip(sockets, app_logs), 1):
            cmd = [sys.executable, "-m", "gunicorn", "--config",
                   str(DEPLOY / "gunicorn.conf.py"), "--bind", f"unix:{sock}", "--workers",
                   str(args.workers), "--access-logfile", str(access), "--pythonpath",
                   str(BENCH), *NO_CONTROL_SOCKET, "bench_wsgi:app"]
            servers.append(Process(f"app server {i}", cmd, tmp / f"app-{i}.log", env))
            stack.callback(servers[-1].stop)

        def sockets_listen() -> bool:
            for sock in sockets:
                with socket.socket(socket.AF_UNIX) as s:
                    s.connect(str(sock))
            return True

        # nginx counts a refused connection as a failure of that server for 10 s: start it once
        # both masters listen (their workers may still be loading; the socket queues requests)
        wait_for(sockets_listen, "app server sockets", servers)
        ports = {"http": free_port(), "https": free_port()}
        (prefix / "site.conf").write_text(render_site(sockets, ports["http"], ports["https"],
                                                      cert, key))
        (prefix / "nginx.conf").write_text(nginx_main_conf(prefix))
        drop = as_nobody()
        if drop:  # nginx's workers and master run as nobody: let it into its own prefix
            for path in [tmp, *prefix.rglob("*"), prefix]:
                os.chown(path, drop[1], drop[2])
        test = subprocess.run([NGINX, "-t", "-q", "-p", str(prefix), "-e",
                               str(prefix / "error.log"), "-c", str(prefix / "nginx.conf")],
                              capture_output=True, text=True, preexec_fn=drop and drop[0])
        report.check("nginx accepts the deploy/ site (nginx -t)", test.returncode == 0,
                     (test.stderr or test.stdout).strip()[-400:])
        if test.returncode:
            return 1
        nginx = Process("nginx", [NGINX, "-p", str(prefix), "-e", str(prefix / "error.log"),
                                  "-c", str(prefix / "nginx.conf")], tmp / "nginx.out",
                        preexec=drop and drop[0])
        stack.callback(nginx.stop)
        context = ssl.create_default_context(cafile=str(cert))
        took = wait_for(lambda: all(
            raw_request(ports["https"], "GET", "/healthz", {}, context)[0] == 200
            for _ in range(4)), "answer through nginx", [nginx, *servers])
        user = "nobody" if drop else pwd.getpwuid(os.geteuid()).pw_name
        print(f"shape: nginx {'(as ' + user + ')'} on https://{SERVER_NAME}:{ports['https']} "
              f"and http :{ports['http']}, 2 gunicorn servers x {args.workers} workers on unix "
              f"sockets, up in {took:.1f} s", flush=True)

        from pbapp.voting.views import CODE_FAILURES_PER_ADDRESS

        static_headers = journey(report, ports, context, code, app, cycle_id, shared,
                int(CODE_FAILURES_PER_ADDRESS.split()[0]))
        static_only_at_nginx(report, static_headers, app_logs)
        if args.keep_logs:
            keep = Path(args.keep_logs)
            keep.mkdir(parents=True, exist_ok=True)
            for log in [*tmp.glob("*.log"), prefix / "access.log", prefix / "error.log"]:
                if log.exists():
                    shutil.copy(log, keep / log.name)
        if report.failed:
            for p in [nginx, *servers]:
                print(f"--- last lines of {p.name}'s log ---\n{p.tail()}", flush=True)
            print(f"--- nginx error log ---\n"
                  f"{(prefix / 'error.log').read_text(errors='replace')[-2000:]}", flush=True)
    print(f"{'FAIL' if report.failed else 'PASS'} in {time.monotonic() - started:.1f} s",
          flush=True)
    return 1 if report.failed else 0


if __name__ == "__main__":
    run(main)
