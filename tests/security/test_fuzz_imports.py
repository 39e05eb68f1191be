"""Every import and every CLI command that reads a file or a number, fed hostile input.

Guards against a file or an option that ends in a traceback, a 500 or half an import (issue
16): the measurements CSV (staff page and ``flask metrics import``), the voter roll (staff page
and ``flask roll import``), paper ballot entry, ``flask codes generate``, ``flask demo``,
``flask backup`` and ``flask restore``. Hypothesis damages small valid files: hostile cells
(NUL, "²", "٥", right-to-left marks, 100,000 characters, huge and negative numbers, formulas),
wrong headers, byte order marks, quotes that never close and bytes that are not UTF-8. Every
answer is below 500 (a page) or a clean exit (a command: no traceback, and on refusal an exit
code other than 0 and a last line ``Error: ...``), and a refusal writes nothing: every table
keeps its row count. One demo town per database; each attempt is rolled back.
"""
from __future__ import annotations

import contextlib
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from pbapp.extensions import db
from tests.conftest import _empty_tables, config_for, isolate_requests
from tests.security.test_fuzz_url_map import (HOSTILE, Visitor, body, changed_tables,
                                              fingerprint, rolled_back)
from tests.security.test_route_roles import EMAILS

#: what breaks a CSV rather than a cell
CSV_TRICKS = ['"open', 'a"b', '"a""b"', '"', "a,b", "a\nb", "a\r\nb", "\r", "\ufeff", "\u2028",
              "=1+2", "-8", "+1", "@SUM(A1)", "nan", "inf", "1e400", "-0", "1_000", "1,5",
              "2026-02-30", "٢٠٢٦-٠١-٠١", "2026-1-1", "0001-01-01", "9999-12-31", "19²²",
              "18-24", "riverside", "city", "neighbourhood", "project"]
CELLS = st.one_of(st.sampled_from(HOSTILE + CSV_TRICKS), st.text(max_size=12),
                  st.integers(-2**70, 2**70).map(str))
MEASUREMENT_HEADER = ["metric", "scope", "scope_ref", "period_start", "period_end", "value",
                      "numerator", "denominator", "breakdown", "group", "source", "note"]
ROLL_HEADER = ["reference", "name", "email", "birth_year", "neighbourhood", "address"]
FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def town(migrated):
    """A small demo city; yields (app, users by role, good rows per importer)."""
    from pbapp import create_app
    from pbapp.auth.models import User
    from pbapp.metrics.models import Metric
    from pbapp.projects.models import Project

    app = create_app(config_for(migrated))
    isolate_requests(app, db)
    with app.app_context():
        _empty_tables(db)
        assert app.test_cli_runner().invoke(args=["demo", "--ballots", "100"]).exit_code == 0
        users = {role: db.session.scalar(select(User.id).where(User.email == email))
                 for role, email in EMAILS.items()}
        metric = db.session.scalar(select(Metric.key).order_by(Metric.id))
        project = db.session.scalar(select(Project.id).order_by(Project.id))
        good = {
            "measurements": [
                [metric, "city", "", "2025-01-01", "2025-03-31", "120", "", "", "", "", "x", ""],
                [metric, "neighbourhood", "riverside", "2025-01-01", "2025-03-31", "40", "", "",
                 "", "", "", "a note"],
                [metric, "project", str(project), "2025-04-01", "2025-06-30", "7", "", "",
                 "age_band", "18-24", "", ""]],
            "roll": [["R-1", "Ana Example", "ana@example.org", "1990", "riverside", "1 Road"],
                     ["R-2", "Bo Example", "", "18-24", "Northgate", ""],
                     ["R-3", "Cy Example", "cy@example.org", "", "", ""]],
        }
        db.session.remove()
        try:
            yield app, users, good
        finally:
            db.session.remove()
            _empty_tables(db)
            db.engine.dispose()


# Files -----------------------------------------------------------------------------------------

def _line(cells: list[str], quoted: bool) -> str:
    if not quoted:
        return ",".join(cells)  # as a careless tool writes it: a quote or comma breaks the row
    return ",".join('"' + c.replace('"', '""') + '"' if set(c) & set(',"\r\n') else c
                    for c in cells)


@st.composite
def damaged_csv(draw, header: list[str], good: list[list[str]]) -> bytes:
    """A valid file with its header, cells, rows and bytes damaged, each with some chance."""
    header = list(header)
    damage = draw(st.sampled_from(["none", "none", "rename", "drop", "double", "hostile",
                                   "case"]), label="header damage")
    at = draw(st.integers(0, len(header) - 1))
    if damage == "rename":
        header[at] = header[at] + "x"
    elif damage == "drop":
        del header[at]
    elif damage == "double":
        header.append(header[at])
    elif damage == "hostile":
        header[at] = draw(CELLS)
    elif damage == "case":
        header = [f" {h.upper()} " for h in header]
    rows = [list(r) for r in draw(st.lists(st.sampled_from(good), max_size=4), label="rows")]
    for _ in range(draw(st.integers(0, 4 if rows else 0))):
        row = draw(st.sampled_from(rows))
        row[draw(st.integers(0, len(row) - 1))] = draw(CELLS, label="cell")
    if rows and draw(st.booleans()):
        row = draw(st.sampled_from(rows))
        if draw(st.booleans()):
            row.append(draw(CELLS))
        else:
            row.pop()
    quoted = draw(st.booleans(), label="quoted")
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(_line(r, quoted) for r in [header, *rows]) + newline
    data = text.encode("utf-8", "surrogatepass")
    bytes_damage = draw(st.sampled_from(["none", "none", "bom", "boms", "latin1", "bad byte",
                                         "truncate", "nul"]), label="byte damage")
    if bytes_damage == "bom":
        data = b"\xef\xbb\xbf" + data
    elif bytes_damage == "boms":
        data = b"\xef\xbb\xbf\xef\xbb\xbf" + data
    elif bytes_damage == "latin1":
        data = text.encode("latin-1", "replace") + b"caf\xe9\n"
    elif bytes_damage == "bad byte":
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80"])) + data[cut:]
    elif bytes_damage == "truncate":
        data = data[:draw(st.integers(0, len(data)))]
    elif bytes_damage == "nul":
        data = data.replace(b",", b"\x00,", 1)
    return data


# Checking a command ----------------------------------------------------------------------------

def invoke(app, connection, args: list[str]):
    """Run a ``flask`` command in a savepoint rolled back afterwards; check it ended cleanly
    and, when it refused, that it said so in a last line and wrote nothing."""
    before = fingerprint()
    db.session.remove()
    savepoint = connection.begin_nested()
    try:
        result = app.test_cli_runner().invoke(args=args)
        db.session.remove()
        after = fingerprint()
    finally:
        db.session.remove()
        if savepoint.is_active:
            savepoint.rollback()
    shown = " ".join(a[:60] for a in args)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"{shown}: {result.exception!r}\n{result.output[-2000:]}"
    assert "Traceback" not in result.output, shown
    if result.exit_code != 0:
        last = result.output.rstrip("\n").rsplit("\n", 1)[-1]
        assert last.startswith("Error: ") and len(last) > 12, (shown, result.output[-500:])
        assert after == before, f"{shown}: refused but wrote {changed_tables(before, after)}"
    return result


@contextlib.contextmanager
def staff_visitor(app, users):
    with rolled_back(app) as connection:
        yield Visitor(app, users, {}, connection, "staff"), connection


def upload(visitor: Visitor, url: str, data: bytes):
    token = visitor.csrf(visitor.send("GET", url).data)
    return visitor.send("POST", url, files={"csrf_token": token,
                                            "file": (io.BytesIO(data), "upload.csv")})


# The importers ---------------------------------------------------------------------------------

@FUZZ
@given(data=st.data())
def test_measurement_imports(town, data, tmp_path):
    """The staff page and ``flask metrics import`` on the same damaged file."""
    app, users, good = town
    csv = data.draw(damaged_csv(MEASUREMENT_HEADER, good["measurements"]))
    path = tmp_path / "measurements.csv"
    path.write_bytes(csv)
    with staff_visitor(app, users) as (visitor, connection):
        upload(visitor, "/metrics/import", csv)
        invoke(app, connection, ["metrics", "import", str(path)])


@FUZZ
@given(data=st.data())
def test_roll_imports(town, data, tmp_path):
    """The staff page and ``flask roll import`` on the same damaged file."""
    app, users, good = town
    csv = data.draw(damaged_csv(ROLL_HEADER, good["roll"]))
    path = tmp_path / "roll.csv"
    path.write_bytes(csv)
    with staff_visitor(app, users) as (visitor, connection):
        upload(visitor, "/cycles/manage/2026-autumn/roll", csv)
        invoke(app, connection, ["roll", "import", "--cycle", "2026-autumn", str(path)])


def test_the_good_files_import(town, tmp_path):
    """The seeds are valid, so the damage is what gets refused."""
    app, users, good = town
    for name, header, args in (
            ("measurements", MEASUREMENT_HEADER, ["metrics", "import"]),
            ("roll", ROLL_HEADER, ["roll", "import", "--cycle", "2026-autumn"])):
        path = tmp_path / f"{name}.csv"
        path.write_text("\n".join(",".join(r) for r in [header, *good[name]]) + "\n")
        with rolled_back(app) as connection:
            result = invoke(app, connection, [*args, str(path)])
        assert result.exit_code == 0, result.output


PAPER_FIELDS = ("serial", "code", "roll", "rank_1", "rank_2", "rank_3")


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(PAPER_FIELDS), st.one_of(
    st.sampled_from(HOSTILE + CSV_TRICKS), st.text(max_size=12)), min_size=1),
    step=st.sampled_from(["enter", "correct", "void", "batch"]))
def test_paper_entry(town, fields, step):
    """Typing a paper ballot, correcting one, voiding a serial and starting a batch, with
    hostile fields: below 500, and a refusal writes nothing."""
    from pbapp.cycles.models import Cycle
    from pbapp.models_base import utcnow
    from pbapp.paper.models import PaperBatch, PaperEntry

    app, users, _ = town
    with staff_visitor(app, users) as (visitor, connection):
        cycle = db.session.scalar(select(Cycle).where(Cycle.slug == "2026-autumn"))
        batch = PaperBatch(cycle_id=cycle.id, label="Fuzz", status="open",
                           created_by=users["admin"])
        db.session.add(batch)
        db.session.flush()
        db.session.add(PaperEntry(batch_id=batch.id, serial="7", entry_round=1,
                                  entered_by=users["admin"], ranking=[],
                                  voter_ref=f"user:{users['resident']}", entered_at=utcnow()))
        db.session.commit()
        batch_id = batch.id
        db.session.remove()
        visitor.rows = fingerprint()
        db.session.remove()
        url = {"enter": f"/staff/paper/batch/{batch_id}/round/1",
               "correct": f"/staff/paper/batch/{batch_id}/round/1/7",
               "void": f"/staff/paper/batch/{batch_id}",
               "batch": "/staff/paper/2026-autumn"}[step]
        token = visitor.csrf(visitor.send("GET", url).data)
        if step == "void":
            url += "/void"
            fields = {"serial": fields.get("serial", "7"), "reason": fields.get("code", "")}
        elif step == "batch":
            fields = {"label": next(iter(fields.values()))}
        visitor.send("POST", url, data=body([("csrf_token", token), *fields.items()]))


# Commands that take numbers and files ----------------------------------------------------------

NUMBERS = st.one_of(st.sampled_from(["٥", "²", "1_000", "+5", " 5", "-1", "0", "1e3", "5.0",
                                     str(10**30), str(-2**63), "9" * 5000, "", "0x10",
                                     "\u200f5", "5\u202e"]),
                    st.text(max_size=8), st.integers(-5, 5).map(str),
                    st.integers(2**31, 2**70).map(str))  # not a million codes in a test
NAMES = st.one_of(st.sampled_from(["x" * 5000, "no/such/folder/f.csv", ".", "/", "",
                                   "a\x1bb.csv", "\u202ecsv.exe", "٥.csv"]),
                  st.text(alphabet=st.characters(blacklist_characters="\x00\n\r"), max_size=12))


@FUZZ
@given(count=NUMBERS, batch=st.one_of(st.none(), NUMBERS, NAMES), out=NAMES,
       cycle=st.sampled_from(["2026-youth-fund", "2026-autumn", "²", "x" * 5000]))
def test_codes_generate(town, tmp_path_factory, count, batch, out, cycle):
    app, _, _ = town
    folder = tmp_path_factory.mktemp("codes")
    args = ["codes", "generate", "--cycle", cycle, "--count", count,
            "--out", str(folder / out) if out and not out.startswith("/") else out]
    if batch is not None:
        args += ["--batch", batch]
    with rolled_back(app) as connection:
        invoke(app, connection, args)


@FUZZ
@given(ballots=NUMBERS, seed=NUMBERS)
def test_demo_numbers(town, ballots, seed):
    """The demo is there already, so a number that is read seeds nothing; one that is not
    must be refused before anything else."""
    app, _, _ = town
    with rolled_back(app) as connection:
        invoke(app, connection, ["demo", "--ballots", ballots, "--seed", seed])


@FUZZ
@given(content=st.one_of(st.binary(max_size=200), st.sampled_from(
    [b"", b"SQLite format 3\x00" + b"\x00" * 200, b"PGDMP" + b"\x00" * 100])),
    name=NAMES)
def test_restore_refuses_what_is_not_a_backup(town, tmp_path_factory, content, name):
    """A file that is not a backup (or no file at all) is refused and the database kept."""
    app, _, _ = town
    folder = tmp_path_factory.mktemp("restore")
    path = folder / "backup.db"
    path.write_bytes(content)
    with app.app_context():
        before = fingerprint()
        db.session.remove()
    for source in (str(path), str(folder / name) if name else name):
        result = app.test_cli_runner().invoke(args=["restore", "--yes", source])
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            f"{source[:80]}: {result.exception!r}"
        assert result.exit_code != 0 and result.output.rstrip().rsplit("\n", 1)[-1] \
            .startswith("Error: "), result.output
    with app.app_context():
        assert fingerprint() == before
        db.session.remove()


@FUZZ
@given(name=NAMES)
def test_backup_to_a_path_that_cannot_be_written(town, tmp_path_factory, name):
    app, _, _ = town
    folder = tmp_path_factory.mktemp("backup")
    with app.app_context():
        target = str(folder / "no-such-folder" / name) if name else name
        result = app.test_cli_runner().invoke(args=["backup", target])
        db.session.remove()
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"{target[:80]}: {result.exception!r}"
    if result.exit_code:
        assert result.output.rstrip().rsplit("\n", 1)[-1].startswith("Error: ")


# Found by the fuzzers --------------------------------------------------------------------------

@pytest.mark.parametrize("option, value", [("--count", "٥"), ("--count", "1_000"),
                                           ("--count", "+5"), ("--count", "0")])
def test_codes_count_is_ascii_digits(town, tmp_path, option, value):
    """click's INT read "٥" as 5 and "1_000" as 1000."""
    app, _, _ = town
    with rolled_back(app) as connection:
        result = invoke(app, connection, ["codes", "generate", "--cycle", "2026-youth-fund",
                                          option, value, "--out", str(tmp_path / "c.csv")])
    assert result.exit_code == 2 and f"Invalid value for '{option}'" in result.output
    assert not (tmp_path / "c.csv").exists()


@pytest.mark.parametrize("value", ["٥", "1_000", "-1"])
def test_demo_numbers_are_ascii_digits(town, value):
    app, _, _ = town
    with rolled_back(app) as connection:
        result = invoke(app, connection, ["demo", "--ballots", value])
    assert result.exit_code == 2 and "Invalid value for '--ballots'" in result.output


@pytest.mark.parametrize("out", ["no-such-folder/codes.csv", "x" * 5000])
def test_codes_to_a_file_that_cannot_be_written_is_one_line(town, tmp_path, out):
    """A missing folder was a FileNotFoundError traceback (after the codes' hashes were made),
    a name too long an OSError one."""
    app, _, _ = town
    with rolled_back(app) as connection:
        result = invoke(app, connection, ["codes", "generate", "--cycle", "2026-youth-fund",
                                          "--count", "2", "--out", str(tmp_path / out)])
    assert result.exit_code == 1
    assert "Cannot write" in result.output and "no codes were made" in result.output


def test_a_batch_label_with_a_control_character_is_refused(town, tmp_path):
    app, _, _ = town
    with rolled_back(app) as connection:
        result = invoke(app, connection, ["codes", "generate", "--cycle", "2026-youth-fund",
                                          "--count", "1", "--batch", "a\x1b[2Jb",
                                          "--out", str(tmp_path / "c.csv")])
    assert result.exit_code == 1 and "control characters" in result.output


@pytest.mark.parametrize("out", ["no-such-folder/copy.db", "y" * 5000])
def test_backup_to_a_file_that_cannot_be_written_is_one_line(town, tmp_path, out):
    """sqlite3.OperationalError (no folder) and OSError (name too long) were tracebacks."""
    app, _, _ = town
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / out)])
        db.session.remove()
    assert result.exit_code == 1, result.output
    assert "Cannot write" in result.output or "pg_dump failed" in result.output, result.output


@pytest.mark.parametrize("make", ["empty file", "empty database", "other database"])
def test_restoring_what_is_not_a_site_backup_keeps_the_database(town, tmp_path, make):
    """An empty file opens as an empty SQLite database that passes its integrity check: the
    restore copied it over the live database and every table was gone."""
    import sqlite3

    app, _, _ = town
    path = tmp_path / "backup.db"
    path.write_bytes(b"")
    if make != "empty file":
        with contextlib.closing(sqlite3.connect(path)) as other:
            if make == "other database":
                other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
            other.commit()
    with app.app_context():
        before = fingerprint()
        db.session.remove()
        result = app.test_cli_runner().invoke(args=["restore", "--yes", str(path)])
        assert result.exit_code == 1 and "Error: " in result.output, result.output
        assert fingerprint() == before
        db.session.remove()


def test_restore_from_a_name_too_long_is_one_line(town, tmp_path):
    app, _, _ = town
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["restore", "--yes",
                                                    str(tmp_path / ("z" * 5000))])
    assert result.exit_code == 1 and result.output.startswith("Error: Cannot read")
