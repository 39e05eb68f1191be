"""Times protecting and auditing every demo metric against plainly copying its rows, in one run.

    .venv/bin/python benchmarks/protect_metrics.py [--repeat 5] [--ballots 300]

Seeds the demo into a throwaway SQLite file, then, ``--repeat`` times after one warm-up, times
``published.publish_all()`` (read each metric's measurements, find every relation, suppress,
audit by linear programming, store the ``PublishedCell`` rows and the ``MetricAudit``) and a
peer that does the same reading and writing with no protection at all: read every measurement
row of the metric and write as many ``PublishedCell`` rows with the raw values. Each repeat is
rolled back. Prints the median seconds of both, their ratio, and each metric's median seconds;
the issue's target is under 5 s for all demo metrics.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete, insert, select  # noqa: E402

TARGET_SECONDS = 5.0


def copy_without_protection(metric) -> None:
    """The peer: the same rows read and written, nothing hidden, nothing solved."""
    from pbapp.extensions import db
    from pbapp.metrics.models import Measurement, PublishedCell

    rows = list(db.session.scalars(select(Measurement).where(Measurement.metric_id == metric.id)))
    db.session.execute(delete(PublishedCell).where(PublishedCell.metric_id == metric.id))
    db.session.execute(insert(PublishedCell), [
        dict(metric_id=metric.id, scope=m.scope, scope_ref=m.scope_ref,
             period_start=m.period_start, period_end=m.period_end, breakdown=m.breakdown,
             group_name=m.group_name, value=m.effective_value, hidden=None) for m in rows])
    db.session.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--ballots", type=int, default=300)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from pbapp import create_app
    from pbapp.demo import seed_demo
    from pbapp.extensions import db
    from pbapp.metrics.models import Metric
    from pbapp.metrics.published import publish

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite",
                          "RATELIMIT_ENABLED": False})
        with app.app_context():
            upgrade(revision="heads")
            for _ in seed_demo(ballots=args.ballots, seed=2026):
                pass
            db.session.commit()
            metrics = list(db.session.scalars(select(Metric).order_by(Metric.id)))
            keys = [m.key for m in metrics]
            ours: dict[str, list[float]] = {m.key: [] for m in metrics}
            peer: dict[str, list[float]] = {m.key: [] for m in metrics}
            totals: dict[str, list[float]] = {"ours": [], "peer": []}
            audits = {}
            for round_ in range(args.repeat + 1):  # the first is a warm-up
                for name, run, per in (("peer", copy_without_protection, peer),
                                       ("ours", publish, ours)):
                    began = time.perf_counter()
                    for m in metrics:
                        start = time.perf_counter()
                        result = run(m)
                        if round_:
                            per[m.key].append(time.perf_counter() - start)
                        if name == "ours":
                            audits[m.key] = (result.passed, result.cells, result.small,
                                             result.hidden)
                    if round_:
                        totals[name].append(time.perf_counter() - began)
                    db.session.rollback()

    total, base = statistics.median(totals["ours"]), statistics.median(totals["peer"])
    print(f"{len(keys)} demo metrics, median of {args.repeat} runs after a warm-up")
    print(f"{'metric':32} {'cells':>5} {'small':>5} {'hidden':>6} {'audit':>6} "
          f"{'ours s':>7} {'copy s':>7} {'× copy':>7}")
    for key in keys:
        passed, cells, small, hidden = audits[key]
        mine, theirs = statistics.median(ours[key]), statistics.median(peer[key])
        print(f"{key:32} {cells:5} {small:5} {hidden:6} {'passed' if passed else 'FAILED':>6} "
              f"{mine:7.3f} {theirs:7.3f} {mine / theirs:7.1f}")
    print(f"{'all metrics':32} {'':5} {'':5} {'':6} {'':6} {total:7.3f} {base:7.3f} "
          f"{total / base:7.1f}")
    verdict = "under" if total < TARGET_SECONDS else "OVER"
    print(f"protecting and auditing all demo metrics: {total:.2f} s, {verdict} the "
          f"{TARGET_SECONDS:g} s target")
    return 0 if total < TARGET_SECONDS and all(a[0] for a in audits.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
