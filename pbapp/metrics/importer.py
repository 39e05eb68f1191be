"""Measurements from a partner's CSV file, all or nothing, for the staff page and the CLI.

The header names the columns (any order): ``metric``, ``scope``, ``period_start`` and
``period_end`` are required; ``scope_ref``, ``value``, ``numerator``, ``denominator``,
``breakdown``, ``group``, ``source`` and ``note`` may be left out. Every row is checked with the
rules the staff form uses (``services.check_row``) before anything is written, and every bad
line is reported by its number (line 2 is the first row after the header). A row whose cell is
already stored with the same values is left alone, so importing a file twice changes nothing;
with other values the stored cell is corrected, and the report says how many.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..extensions import db
from ..models_base import utcnow
from ..progress import rows as rows_of
from ..request_text import control_in
from .models import Measurement
from .services import Lookup, check_row, data_of, key_of, new_measurement

COLUMNS = ("metric", "scope", "scope_ref", "period_start", "period_end", "value", "numerator",
           "denominator", "breakdown", "group", "source", "note")
REQUIRED = ("metric", "scope", "period_start", "period_end")
MAX_BYTES = 5 * 1024 * 1024


class ImportInvalid(ValueError):
    """The file was refused as a whole; ``problems`` lists what is wrong, line by line."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s); nothing was imported.")
        self.problems = problems


@dataclass(frozen=True)
class ImportReport:
    rows: int
    added: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        return (f"{self.rows} rows: {self.added} added, {self.updated} updated, "
                f"{self.unchanged} unchanged.")


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        text = data.removeprefix("\ufeff")
    else:
        if len(data) > MAX_BYTES:
            raise ImportInvalid([f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB."])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportInvalid(["The file is not UTF-8 text; save it as “CSV UTF-8” and try "
                                 "again."]) from None
    if "\x00" in text:
        raise ImportInvalid(["The file is not a CSV text file (it holds binary data)."])
    if not text.strip():
        raise ImportInvalid(["The file is empty; the first line must be the header."])
    return text


def _header(header: list[str]) -> list[str]:
    names = [h.strip().lower() for h in header]
    problems = []
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        problems.append("unknown column(s) " + ", ".join(f"“{n}”" for n in unknown))
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        problems.append("column(s) named twice: " + ", ".join(doubled))
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        problems.append("missing column(s) " + ", ".join(missing))
    if problems:
        raise ImportInvalid([f"Line 1: the header is wrong: {'; '.join(problems)}. It names "
                             f"columns from {','.join(COLUMNS)} (these are required: "
                             f"{','.join(REQUIRED)})."])
    return names


def parse(data: bytes | str, lookup: Lookup, progress: bool = False) -> list:
    """Every row validated, or ImportInvalid listing every bad line."""
    # strict: an unterminated quote is an error, not a cell running to the end of the file
    reader = csv.reader(io.StringIO(_text(data), newline=""), strict=True)
    try:
        names = _header(next(reader))
        rows, problems, seen = [], [], {}
        for record_ in rows_of(reader, "Checking rows", progress):
            line = reader.line_num
            if not any(cell.strip() for cell in record_):
                continue
            if len(record_) != len(names):
                problems.append(f"Line {line}: expected {len(names)} columns, found "
                                f"{len(record_)}.")
                continue
            if any(control_in(cell, multiline=True) for cell in record_):
                problems.append(f"Line {line}: a cell holds a control character, which "
                                "cannot be stored; remove it.")
                continue
            row, wrong = check_row(dict(zip(names, record_)), lookup)
            if wrong:
                problems.append(f"Line {line}: " + "; ".join(
                    f"{field} {message}" if field else message.removesuffix(".")
                    for field, message in wrong) + ".")
            elif row.key in seen:
                problems.append(f"Line {line}: the same cell as line {seen[row.key]} "
                                f"({row.describe()}); each cell may appear once.")
            else:
                seen[row.key] = line
                rows.append(row)
    except csv.Error as error:
        raise ImportInvalid([f"Line {reader.line_num}: this is not readable as CSV ({error})."]
                            ) from None
    if problems:
        raise ImportInvalid(problems)
    if not rows:
        raise ImportInvalid(["The file has a header but no rows."])
    return rows


def import_measurements(data: bytes | str, actor, progress: bool = False) -> ImportReport:
    """Add new cells and correct changed ones; refuse the whole file if any line is bad.
    The audit event carries counts only (partners' data stays in its own table)."""
    rows = parse(data, Lookup.load(), progress)
    metric_ids = {row.metric.id for row in rows}
    stored = {key_of(m): m for m in db.session.scalars(
        select(Measurement).where(Measurement.metric_id.in_(metric_ids)))}
    added = updated = 0
    now = utcnow()
    try:
        with db.session.begin_nested():
            for row in rows:
                current = stored.get(row.key)
                if current is None:
                    db.session.add(new_measurement(row, actor))
                    added += 1
                elif data_of(current) != row.data:
                    current.value, current.numerator, current.denominator = (
                        row.value, row.numerator, row.denominator)
                    current.source, current.note = row.source, row.note
                    current.entered_by_id = getattr(actor, "id", None)
                    current.entered_at = now
                    updated += 1
    except IntegrityError:
        raise ImportInvalid(["Someone entered some of these measurements at the same time; "
                             "import the file again (cells already stored are compared, not "
                             "added twice)."]) from None
    report = ImportReport(rows=len(rows), added=added, updated=updated,
                          unchanged=len(rows) - added - updated)
    record(actor, "metrics.import", "metrics", rows=report.rows, added=report.added,
           updated=report.updated, unchanged=report.unchanged)
    return report
