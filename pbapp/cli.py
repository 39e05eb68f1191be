"""``flask`` commands for operators: demo data now; codes, imports and backups as they land."""
from __future__ import annotations

import click
from flask import Flask

from .numbers import DB_INT_MAX, NumberRefused, whole
from .request_text import control_in


class WholeNumber(click.ParamType):
    """A number option in the digits 0 to 9, between ``low`` and ``high``: click's own INT
    reads "٥" as 5 and "1_000" as 1000, which nobody typing a count means."""

    name = "integer"

    def __init__(self, low: int = 0, high: int = DB_INT_MAX):
        self.low, self.high = low, high

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value  # a default
        try:
            return whole(str(value).strip(), self.low, self.high)
        except NumberRefused as refused:
            self.fail(str(refused), param, ctx)


def register(app: Flask) -> None:
    @app.cli.command("demo")
    @click.option("--ballots", type=WholeNumber(), default=3000, show_default=True,
                  help="ballots in the finished cycle")
    @click.option("--seed", type=WholeNumber(), default=2026, show_default=True,
                  help="random seed, for a repeatable city")
    def demo(ballots: int, seed: int) -> None:
        """Seed a believable city so every page has something real to show."""
        from .demo import seed_demo

        for line in seed_demo(ballots=ballots, seed=seed):
            click.echo(line)

    @app.cli.group("codes")
    def codes() -> None:
        """One-time voting codes for residents without an account."""

    @codes.command("generate")
    @click.option("--cycle", "slug", required=True, help="slug of the budget cycle")
    @click.option("--count", type=WholeNumber(1, 100_000), default=None,  # as the staff page
                  help="how many anonymous codes to make (cycles without accounts or a roll)")
    @click.option("--from-roll", is_flag=True,
                  help="one personal code per roll entry that has none yet, with the entry's "
                       "name and address for a mail merge")
    @click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
                  help="CSV file to write the codes to (must not exist yet)")
    @click.option("--batch", default=None, help="optional label, e.g. a venue or mailing")
    def generate(slug: str, count: int | None, from_roll: bool, out: str,
                 batch: str | None) -> None:
        """Make voting codes for CYCLE: written to OUT only, stored as hashes only.

        Anonymous codes (--count N) vote as themselves, so they are refused where residents can
        also vote with an account or the roll decides who votes: one person could vote twice.
        Personal codes (--from-roll) vote as their roll entry, so the entry's account and its
        code share one ballot."""
        from pathlib import Path

        from sqlalchemy import select

        from .cycles.models import Cycle
        from .extensions import db
        from .voting.codes import CodesRefused

        if from_roll == (count is not None):
            raise click.ClickException("Give either --count N (anonymous codes) or --from-roll "
                                       "(personal codes); no codes were made.")
        cycle = db.session.scalar(select(Cycle).where(Cycle.slug == slug))
        if cycle is None:
            raise click.ClickException(f"No cycle with the slug {slug!r}; no codes were made.")
        path = Path(out)
        try:
            exists = path.exists()
        except OSError as error:  # e.g. a name longer than the system allows
            raise click.ClickException(f"Cannot write {out[:80]!r}: {error.strerror}; no codes "
                                       "were made.") from None
        if exists:
            raise click.ClickException(f"{out} already exists; choose a new file "
                                       "(codes cannot be recovered once overwritten).")
        if batch is not None and (len(batch) > 80 or control_in(batch)):
            raise click.ClickException("--batch is at most 80 characters, with no control "
                                       "characters.")
        try:
            if from_roll:
                made = _write_codes(path, cycle, batch, personal=True)
            else:
                made = _write_codes(path, cycle, batch, personal=False, count=count)
        except CodesRefused as refusal:
            raise click.ClickException(f"{refusal} No codes were made.") from None
        except OSError as error:  # a folder that does not exist, a disk that is full
            raise click.ClickException(f"Cannot write {out[:80]!r}: {error.strerror}; no codes "
                                       "were made.") from None
        what = "personal codes (one per roll entry)" if from_roll else "codes"
        click.echo(f"Wrote {made} {what} for {cycle.name} to {out}. Only their hashes are "
                   "stored: keep the file safe and delete it once the codes are printed.")

    def _bar(items):
        with click.progressbar(items, label="Generating codes") as bar:
            yield from bar

    def _write_codes(path, cycle, batch, *, personal: bool, count: int = 0) -> int:
        """Make the codes and write them to a temporary file, then commit and move it into
        place: either the file and the stored hashes both exist, or neither does."""
        import csv
        import os

        from .audit.services import record
        from .extensions import db
        from .voting.codes import (PERSONAL_HEADER, CodesRefused, anonymous_codes_refusal,
                                   generate_codes, generate_roll_codes, personal_code_lines)

        tmp = path.with_name(f".{path.name}.tmp")
        try:
            if personal:
                rows = generate_roll_codes(cycle, batch=batch, progress=_bar)
                header, lines = PERSONAL_HEADER, personal_code_lines(rows)
            else:
                refusal = anonymous_codes_refusal(cycle)
                if refusal:
                    raise CodesRefused(refusal)
                lines = [[code] for code in generate_codes(cycle, count, batch=batch,
                                                            progress=_bar(range(count)))]
                header = ["code"]
            record(None, "codes.generate", target=f"cycle:{cycle.slug}", count=len(lines),
                   personal=personal)
            with open(tmp, "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(header)
                writer.writerows(lines)
            db.session.commit()
            os.replace(tmp, path)
        except BaseException:
            db.session.rollback()
            tmp.unlink(missing_ok=True)
            raise
        return len(lines)

    @app.cli.group("roll")
    def roll() -> None:
        """The voter roll of a budget cycle."""

    @roll.command("import")
    @click.option("--cycle", "slug", required=True, help="slug of the budget cycle")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    def import_(slug: str, file: str) -> None:
        """Add the people in FILE (CSV: reference,name,email,birth_year,neighbourhood) to the
        roll of CYCLE. All or nothing: any bad line imports nothing and every bad line is
        listed. People whose reference is already on the roll are skipped, so re-running is safe."""
        from pathlib import Path

        from sqlalchemy import select

        from .cycles.models import Cycle
        from .cycles.services import PhaseError
        from .extensions import db
        from .voting.roll import RollInvalid, import_roll

        cycle = db.session.scalar(select(Cycle).where(Cycle.slug == slug))
        if cycle is None:
            raise click.ClickException(f"No cycle with the slug {slug!r}; nothing was imported.")
        try:
            report = import_roll(cycle, Path(file).read_bytes(), None, progress=True)
        except (RollInvalid, PhaseError) as error:
            db.session.rollback()
            for problem in getattr(error, "problems", []):
                click.echo(problem, err=True)
            raise click.ClickException(f"{error} Nothing was imported."
                                       if isinstance(error, PhaseError) else str(error))
        db.session.commit()
        click.echo(f"Imported {report.rows} rows into the roll of {cycle.name}: "
                   f"{report.added} added, {report.already} already on it.")

    @app.cli.group("metrics")
    def metrics() -> None:
        """Shared metrics and the measurements partners supply."""

    @metrics.command("import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    def import_measurements_(file: str) -> None:
        """Import the measurements in FILE (CSV whose header names columns from
        metric,scope,scope_ref,period_start,period_end,value,numerator,denominator,breakdown,
        group,source,note). All or nothing: any bad line imports nothing and every bad line is
        listed. Cells already stored with the same values are left alone, so re-running is safe."""
        from pathlib import Path

        from .extensions import db
        from .metrics.importer import ImportInvalid, import_measurements

        try:
            report = import_measurements(Path(file).read_bytes(), None, progress=True)
        except ImportInvalid as error:
            db.session.rollback()
            for problem in error.problems:
                click.echo(problem, err=True)
            raise click.ClickException(str(error))
        db.session.commit()
        click.echo(f"Imported {report}")

    @metrics.command("protect")
    @click.option("--metric", "key", default=None, help="one metric's key (default: every metric)")
    def protect_metrics(key: str | None) -> None:
        """Protect and audit the public numbers of every metric (or one) again, and say how
        each audit went. Needed once after upgrading to stored protection; after that every
        change to measurements does it by itself."""
        from sqlalchemy import select

        from .extensions import db
        from .metrics.models import Metric
        from .metrics.published import publish

        query = select(Metric).order_by(Metric.key)
        if key is not None:
            query = query.where(Metric.key == key)
        metrics = list(db.session.scalars(query))
        if key is not None and not metrics:
            raise click.ClickException(f"There is no metric with the key {key!r}.")
        failed = 0
        for metric in metrics:
            audit = publish(metric)
            failed += not audit.passed
            click.echo(f"{metric.key}: {'passed' if audit.passed else 'FAILED'} - "
                       f"{audit.cells} cells, {audit.small} small, {audit.hidden} hidden "
                       f"in all, {audit.seconds:.2f} s"
                       + ("" if audit.passed else f"\n  {audit.problems}"))
        db.session.commit()
        if failed:
            raise click.ClickException(f"{failed} metric(s) failed the audit and publish "
                                       "nothing until their numbers are corrected.")
