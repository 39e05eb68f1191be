"""``wsgi:app`` as the load benchmarks serve it: the same app with two benchmark-only settings.

The code-voting rate limits in ``pbapp/voting/views.py`` (per address, per code) must not
shape a load run's capacity figures. So, only when the benchmark sets them in the environment:

- ``BENCH_EXEMPT_TOKEN``: requests carrying ``X-Bench-Load: <token>`` skip every rate limit
  (Flask-Limiter's ``request_filter``), so the simulated voters measure capacity while the
  limit probes, which do not send it, meet the limits exactly as configured;
- ``BENCH_RATELIMIT_PREFIX``: a per-run key prefix in Redis, so one run's counters (per address,
  per code) never leak into the next run's.

Nothing here changes a default: ``wsgi.py`` and ``pbapp`` are untouched.
"""
import hmac
import os

from flask import request

from pbapp import create_app
from pbapp.extensions import limiter

app = create_app({"RATELIMIT_KEY_PREFIX": os.environ.get("BENCH_RATELIMIT_PREFIX", "")})
_TOKEN = os.environ.get("BENCH_EXEMPT_TOKEN", "")

if _TOKEN:
    @limiter.request_filter
    def _benchmark_load() -> bool:
        return hmac.compare_digest(request.headers.get("X-Bench-Load", ""), _TOKEN)
