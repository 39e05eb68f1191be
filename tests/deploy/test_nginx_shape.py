"""The production shape works as deployed: deploy/'s nginx site and gunicorn settings, run on
loopback by benchmarks/nginx_shape.py (TLS with a certificate made for the run, two app servers,
PostgreSQL, Redis when it answers). Guards against a proxy that leaks client-set forwarded
headers into the app (spoofed host, scheme or address), cookies sent over plain HTTP, static
files that fall through to the app, and a site file nginx no longer accepts."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_https_journey_through_nginx_passes_every_check():
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "nginx_shape.py")],
                         capture_output=True, text=True, timeout=300, cwd=ROOT,
                         stdin=subprocess.DEVNULL)
    lines = out.stdout.splitlines()
    failed = [line for line in lines if line.startswith("FAIL")]
    assert out.returncode == 0 and not failed, out.stdout[-4000:] + out.stderr[-4000:]
    passed = [line for line in lines if line.startswith("PASS ")]
    for check in ("a ballot is cast through nginx", "every cookie set on the way is Secure",
                  "HSTS on a page", "static files are answered by nginx",
                  "X-Forwarded-For does not change the rate-limit key",
                  "X-Forwarded-Host/-Proto/-Prefix do not change a redirect",
                  "a Host nginx does not serve gets no answer"):
        assert any(check in line for line in passed), (check, out.stdout[-4000:])
