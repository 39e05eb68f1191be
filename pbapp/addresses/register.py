"""Importing a cycle's address register (all or nothing) and finding a resident's address in it.

A register file has the header ``address,postcode,neighbourhood``. Every line is checked before
anything is written, so a file with one bad line changes nothing, and staff see every bad line
by its number. An address is known by its canonical form within its postcode
(``normalise``): importing the same file again, or a longer one, adds only the new addresses.
"""
from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import func, insert, select

from ..audit.services import record
from ..cycles.models import PHASES, Cycle, Neighbourhood
from ..cycles.services import PhaseError
from ..extensions import db
from ..progress import rows as rows_of
from ..request_text import control_in
from .models import RegisterAddress
from .normalise import address_key, postcode_key

HEADER = ("address", "postcode", "neighbourhood")
MAX_BYTES = 100 * 1024 * 1024
MAX_ROWS = 2_000_000
#: bad lines listed one by one; past this many, the rest are counted
MAX_PROBLEMS = 200
_LIMITS = {"address": 200, "postcode": 20}
_CHUNK = 5000


class RegisterInvalid(ValueError):
    """The file was refused as a whole; ``problems`` lists each bad line, for staff."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s); nothing was imported.")
        self.problems = problems


@dataclass
class ImportReport:
    rows: int = 0
    added: int = 0
    already: int = 0
    repeated: int = 0

    def __str__(self) -> str:
        return (f"{self.rows} rows: {self.added} added, {self.already} already in the register"
                + (f", {self.repeated} repeating an earlier line" if self.repeated else ""))


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise RegisterInvalid([f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; "
                               "split it and import each part (re-importing is safe)."])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise RegisterInvalid([f"Line {line}: the file is not UTF-8 text; save it as "
                               "“CSV UTF-8” and try again."]) from None


def _hoods() -> dict[str, Neighbourhood]:
    lookup = {}
    for hood in db.session.scalars(select(Neighbourhood)):
        lookup[hood.name.strip().casefold()] = hood
        lookup[hood.slug.casefold()] = hood
    return lookup


def parse_register(data: bytes, progress: bool = False) -> tuple[list[dict], int]:
    """Every address as a row to insert (without its cycle), one per canonical address and
    postcode, with how many lines repeated an earlier one; or RegisterInvalid listing every bad line (line 1 is the header)."""
    text = _decode(data)
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise RegisterInvalid([f"Line {line}: the file holds a NUL byte, so it is not a text "
                               "CSV file; export it again as “CSV UTF-8”."])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return _rows(reader, progress)
    except csv.Error as error:  # a quote never closed, a cell longer than csv allows
        raise RegisterInvalid([f"Line {reader.line_num}: this is not readable as CSV "
                               f"({error})."]) from None


def _rows(reader, progress: bool) -> tuple[list[dict], int]:
    header = next(reader, None)
    if header is None or tuple(h.strip().casefold() for h in header) != HEADER:
        raise RegisterInvalid([f"Line 1: the header must be exactly {','.join(HEADER)}."])
    hoods = _hoods()
    seen: dict[tuple[str, str], tuple[int, int]] = {}  # keys -> (line, neighbourhood id)
    out, problems, repeated, extra = [], [], 0, 0

    def bad(text: str) -> None:
        nonlocal extra
        if len(problems) < MAX_PROBLEMS:
            problems.append(text)
        else:
            extra += 1

    for row in rows_of(reader, "Checking addresses", progress):
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(out) + len(problems) + extra >= MAX_ROWS:
            raise RegisterInvalid([f"Line {line}: a register is at most {MAX_ROWS:,} "
                                   "addresses per file; split it (re-importing is safe)."])
        if len(row) != len(HEADER):
            bad(f"Line {line}: expected {len(HEADER)} columns, found {len(row)}.")
            continue
        values = dict(zip(HEADER, (cell.strip() for cell in row)))
        wrong = []
        if any(control_in(cell) for cell in values.values()):
            wrong.append("a cell holds a control character (such as a line break), which "
                         "cannot be stored")
        for name, limit in _LIMITS.items():
            if len(values[name]) > limit:
                wrong.append(f"{name} is longer than {limit} characters")
        akey, pkey = address_key(values["address"]), postcode_key(values["postcode"])
        if not values["address"]:
            wrong.append("address is missing")
        elif not akey:
            wrong.append(f"address {values['address'][:60]!r} has no letters or digits")
        if not values["postcode"]:
            wrong.append("postcode is missing")
        elif not pkey:
            wrong.append(f"postcode {values['postcode'][:30]!r} has no letters or digits")
        hood = hoods.get(values["neighbourhood"].casefold()) if values["neighbourhood"] else None
        if not values["neighbourhood"]:
            wrong.append("neighbourhood is missing")
        elif hood is None:
            wrong.append(f"neighbourhood {values['neighbourhood'][:60]!r} is not a known "
                         "neighbourhood (use its slug or name)")
        if not wrong and (akey, pkey) in seen:
            first, first_hood = seen[akey, pkey]
            if first_hood != hood.id:
                wrong.append(f"this is the address of line {first} (written differently), "
                             "there in another neighbourhood")
            else:
                repeated += 1
                continue
        if wrong:
            bad(f"Line {line}: " + "; ".join(wrong) + ".")
            continue
        seen[akey, pkey] = (line, hood.id)
        out.append({"address": values["address"], "postcode": values["postcode"],
                    "address_key": akey, "postcode_key": pkey, "neighbourhood_id": hood.id})
    if extra:
        problems.append(f"… and {extra} more bad lines.")
    if problems:
        raise RegisterInvalid(problems)
    if not out:
        raise RegisterInvalid(["The file has a header but no addresses."])
    return out, repeated


def import_register(cycle: Cycle, data: bytes, actor, progress: bool = False) -> ImportReport:
    """Add the file's addresses not yet in the cycle's register; refuse the whole file if any
    line is bad, including an address already registered in another neighbourhood."""
    if PHASES.index(cycle.phase) > PHASES.index("voting"):
        raise PhaseError("Voting has closed, so the address register can no longer change.")
    rows, repeated = parse_register(data, progress)
    known = {(a, p): h for a, p, h in db.session.execute(
        select(RegisterAddress.address_key, RegisterAddress.postcode_key,
               RegisterAddress.neighbourhood_id).where(RegisterAddress.cycle_id == cycle.id))}
    names = dict(db.session.execute(select(Neighbourhood.id, Neighbourhood.name)).all())
    clashes = [f"{r['address']}, {r['postcode']}: already in the register in "
               f"{names.get(known[k])}, not {names.get(r['neighbourhood_id'])}"
               for r in rows if (k := (r["address_key"], r["postcode_key"])) in known
               and known[k] != r["neighbourhood_id"]]
    if clashes:
        raise RegisterInvalid(clashes[:MAX_PROBLEMS])
    new = [dict(r, cycle_id=cycle.id) for r in rows
           if (r["address_key"], r["postcode_key"]) not in known]
    for start in range(0, len(new), _CHUNK):
        db.session.execute(insert(RegisterAddress), new[start:start + _CHUNK])
    report = ImportReport(rows=len(rows) + repeated, added=len(new),
                          already=len(rows) - len(new), repeated=repeated)
    record(actor, "addresses.import", f"cycle:{cycle.id}", rows=report.rows,
           added=report.added, already=report.already)
    return report


def register_size(cycle: Cycle) -> int:
    return db.session.scalar(select(func.count()).select_from(RegisterAddress)
                             .where(RegisterAddress.cycle_id == cycle.id))


class AddressRefused(Exception):
    """The address is not in the cycle's area; the message says why, for the resident, and
    ``suggestions`` lists close addresses of the register ("12 High Street, AB1 2CD")."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        super().__init__(message)
        self.suggestions = suggestions or []


def _suggest(typed: str, found: list[RegisterAddress]) -> list[str]:
    by_key = {r.address_key: r for r in found}
    close = difflib.get_close_matches(typed, list(by_key), n=3, cutoff=0.75)
    return [f"{by_key[k].address}, {by_key[k].postcode}" for k in close]


def find_address(cycle: Cycle, address: str, postcode: str) -> RegisterAddress:
    """The register's entry for what the resident typed, or AddressRefused saying why."""
    akey, pkey = address_key(address), postcode_key(postcode)
    if not akey:
        raise AddressRefused(gettext("Type your street address, with the house number."))
    if not pkey:
        raise AddressRefused(gettext("Type your postcode."))
    in_cycle = select(RegisterAddress).where(RegisterAddress.cycle_id == cycle.id)
    found = db.session.scalar(in_cycle.where(RegisterAddress.address_key == akey,
                                             RegisterAddress.postcode_key == pkey))
    if found is not None:
        covered = {n.id: n.name for n in cycle.neighbourhoods}
        if covered and found.neighbourhood_id not in covered:
            hood = db.session.get(Neighbourhood, found.neighbourhood_id)
            raise AddressRefused(gettext(
                "That address is in %(hood)s, and this cycle is for residents of %(places)s.",
                hood=hood.name, places=", ".join(sorted(covered.values()))))
        return found
    same_postcode = list(db.session.scalars(in_cycle.where(RegisterAddress.postcode_key == pkey)
                                            .limit(5000)))
    if same_postcode:
        suggestions = _suggest(akey, same_postcode)
        message = gettext("We could not find that address at the postcode %(postcode)s in this "
                          "cycle's area.", postcode=postcode.strip()[:20])
    else:
        suggestions = [f"{r.address}, {r.postcode}" for r in db.session.scalars(
            in_cycle.where(RegisterAddress.address_key == akey).limit(3))]
        message = gettext("No address with the postcode %(postcode)s is in this cycle's area.",
                          postcode=postcode.strip()[:20])
    if suggestions:
        message += " " + gettext("Check the spelling; did you mean one of the addresses below?")
    else:
        message += " " + gettext("Only residents whose address is in the area can vote in this "
                                 "cycle. If you live there, check the spelling or ask staff.")
    raise AddressRefused(message, suggestions)
