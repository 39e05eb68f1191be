"""The voter roll: importing the council's CSV, all or nothing, and counting it for turnout.

A roll file has the header ``reference,name,email,birth_year,neighbourhood``, optionally followed
by ``address`` (postal, for the letters that carry personal codes). Every line is
checked before anything is written, so a file with one bad line changes nothing and staff see
every bad line at once, by its line number. ``reference`` identifies a person within the cycle:
importing the same file again, or a longer version of it, adds only the new people.
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..cycles.models import PHASES, Cycle, Neighbourhood
from ..cycles.services import PhaseError
from ..extensions import db
from ..numbers import EARLIEST_YEAR, NumberRefused, year
from ..progress import rows as rows_of
from ..request_text import control_in
from .eligibility import age_in
from .models import VoterRollEntry

HEADER = ("reference", "name", "email", "birth_year", "neighbourhood")
WITH_ADDRESS = (*HEADER, "address")
AGE_BANDS = ("under 18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
EARLIEST_BIRTH_YEAR = EARLIEST_YEAR
MAX_BYTES = 5 * 1024 * 1024
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LIMITS = {"reference": 80, "name": 160, "email": 254, "address": 300}


class RollInvalid(ValueError):
    """The file was refused as a whole; ``problems`` lists each bad line, for staff."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s); nothing was imported.")
        self.problems = problems


@dataclass
class ImportReport:
    added: int = 0
    already: int = 0
    rows: int = 0
    new_entries: list[VoterRollEntry] = field(default_factory=list, repr=False)


def band_of(age: int | None) -> str | None:
    if age is None:
        return None
    if age < 18:
        return AGE_BANDS[0]
    if age >= 65:
        return AGE_BANDS[-1]
    for band in AGE_BANDS[1:-1]:
        low, high = (int(x) for x in band.split("-"))
        if low <= age <= high:
            return band
    return None  # pragma: no cover - the bands cover 18..64


def _neighbourhood_lookup() -> dict[str, Neighbourhood]:
    """Neighbourhoods by slug and by name, both compared case-insensitively."""
    lookup = {}
    for hood in db.session.scalars(select(Neighbourhood)):
        lookup[hood.name.strip().lower()] = hood
        lookup[hood.slug.lower()] = hood
    return lookup


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise RollInvalid([f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB."])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RollInvalid(["The file is not UTF-8 text; save it as “CSV UTF-8” and try again."]
                          ) from None


def parse_roll(cycle: Cycle, data: bytes | str, progress: bool = False) -> list[VoterRollEntry]:
    """Every row as an unsaved entry, or RollInvalid listing every bad line (1 is the header)."""
    reader = csv.reader(io.StringIO(_decode(data), newline=""), strict=True)
    try:
        return _entries(cycle, reader, progress)
    except csv.Error as error:  # e.g. a quote never closed: strict, not read to the end
        raise RollInvalid([f"Line {reader.line_num}: this is not readable as CSV ({error})."]
                          ) from None


def _entries(cycle: Cycle, reader, progress: bool = False) -> list[VoterRollEntry]:
    header = next(reader, None)
    columns = tuple(h.strip().lower() for h in header) if header is not None else None
    if columns not in (HEADER, WITH_ADDRESS):
        raise RollInvalid([f"Line 1: the header must be exactly {','.join(HEADER)} "
                           "(optionally followed by ,address)."])
    hoods = _neighbourhood_lookup()
    this_year = date.today().year
    seen: dict[str, int] = {}
    entries, problems = [], []
    for row in rows_of(reader, "Checking rows", progress):
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            problems.append(f"Line {line}: expected {len(columns)} columns, found {len(row)}.")
            continue
        values = dict(zip(columns, (cell.strip() for cell in row)))
        wrong = []
        if any(control_in(cell, multiline=True) for cell in values.values()):
            wrong.append("a cell holds a control character, which cannot be stored")
        for name, limit in _LIMITS.items():
            if len(values.get(name, "")) > limit:
                wrong.append(f"{name} is longer than {limit} characters")
        reference, email = values["reference"], values["email"].lower() or None
        if not reference:
            wrong.append("reference is missing")
        elif reference in seen:
            wrong.append(f"reference {reference!r} is already on line {seen[reference]}")
        else:
            seen[reference] = line
        if not values["name"]:
            wrong.append("name is missing")
        if email and not _EMAIL.match(email):
            wrong.append(f"email {values['email']!r} is not an email address")
        birth_year = band = None
        raw_year = values["birth_year"]
        if raw_year.lower() in AGE_BANDS:
            band = raw_year.lower()
        elif raw_year:
            try:
                birth_year = year(raw_year)
            except NumberRefused:
                wrong.append(f"birth_year {raw_year!r} is not a year between "
                             f"{EARLIEST_BIRTH_YEAR} and {this_year} or an age band "
                             f"({', '.join(AGE_BANDS)})")
        hood = None
        if values["neighbourhood"]:
            hood = hoods.get(values["neighbourhood"].lower())
            if hood is None:
                wrong.append(f"neighbourhood {values['neighbourhood']!r} is not a known "
                             "neighbourhood (use its slug or name)")
        if wrong:
            problems.append(f"Line {line}: " + "; ".join(wrong) + ".")
            continue
        entries.append(VoterRollEntry(cycle_id=cycle.id, reference=reference,
                                      name=values["name"], email=email, birth_year=birth_year,
                                      address=values.get("address") or None,
                                      age_band=band, neighbourhood_id=hood and hood.id))
    if problems:
        raise RollInvalid(problems)
    return entries


def import_roll(cycle: Cycle, data: bytes | str, actor, progress: bool = False) -> ImportReport:
    """Add the file's people not yet on the cycle's roll; refuse the whole file if any line is
    bad. The audit event carries counts only: a roll is personal data."""
    if PHASES.index(cycle.phase) > PHASES.index("voting"):
        raise PhaseError("Voting has closed, so the roll can no longer change.")
    entries = parse_roll(cycle, data, progress)
    known = set(db.session.scalars(select(VoterRollEntry.reference)
                                   .where(VoterRollEntry.cycle_id == cycle.id)))
    new = [e for e in entries if e.reference not in known]
    try:
        with db.session.begin_nested():
            db.session.add_all(new)
    except IntegrityError:
        raise RollInvalid(["Another import of this roll was running at the same time; "
                           "import the file again (people already added are skipped)."]
                          ) from None
    report = ImportReport(added=len(new), already=len(entries) - len(new), rows=len(entries),
                          new_entries=new)
    record(actor, "roll.import", f"cycle:{cycle.id}", rows=report.rows, added=report.added,
           already=report.already)
    return report


def roll_table(cycle: Cycle) -> dict:
    """Roll size by neighbourhood (rows) and age band (columns), for turnout statistics."""
    names = {h.id: h.name for h in db.session.scalars(select(Neighbourhood))}
    cells: Counter = Counter()
    for hood_id, birth_year, band in db.session.execute(
            select(VoterRollEntry.neighbourhood_id, VoterRollEntry.birth_year,
                   VoterRollEntry.age_band).where(VoterRollEntry.cycle_id == cycle.id)):
        place = names.get(hood_id, "Not given")
        cells[place, band or band_of(age_in(cycle, birth_year)) or "unknown"] += 1
    bands = [b for b in (*AGE_BANDS, "unknown") if any(k[1] == b for k in cells)]
    places = sorted({k[0] for k in cells}, key=lambda p: (p == "Not given", p))
    rows = [(p, [cells[p, b] for b in bands], sum(cells[p, b] for b in bands)) for p in places]
    return {"bands": bands, "rows": rows,
            "totals": [sum(cells[p, b] for p in places) for b in bands],
            "total": sum(cells.values())}
