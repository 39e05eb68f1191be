"""One-time voting codes: generated from ``secrets``, handed out on paper, stored only as hashes.

A code is 16 characters of a 31-letter alphabet without look-alikes (no 0/O, 1/I/L), about
79 bits, printed in groups of four for reading aloud. Only an HMAC-SHA256 of the normalised code,
keyed with SECRET_KEY, is stored. A code is anonymous (it votes as itself, the participation
row for ``voter_key("code", code_hash)``; only in cycles without accounts or a roll) or personal
(made from the voter roll: it votes as its roll entry, see ``pbapp.voting.identity``).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from ..cycles.models import Cycle
from ..extensions import db
from ..labels import N_
from .models import VoterRollEntry, VotingCode
from .services import has_voted, voter_key

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
#: the English texts; shown by ``code_refused()`` in the visitor's language
CODE_REFUSED = N_("This code cannot be used. Check it, or ask staff for help.")
CODE_REFUSED_WRITE = N_("This code cannot be used. Check it, or write to %(email)s for help: "
                        "say which cycle you were voting in, never your code.")


def code_refused() -> str:
    """Why a code was refused, with where to get help when the site has a contact address."""
    contact = current_app.config.get("CONTACT_EMAIL")
    return gettext(CODE_REFUSED_WRITE, email=contact) if contact else gettext(CODE_REFUSED)
_NOT_CODE = re.compile(r"[^A-Z0-9]")


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise(code: str) -> str:
    """Upper case, without spaces or hyphens, as a resident might type it."""
    return _NOT_CODE.sub("", (code or "").upper())


def code_hash(code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, normalise(code).encode(), hashlib.sha256).hexdigest()


def code_voter_key(hashed: str) -> str:
    return voter_key("code", hashed)


def usable_code(cycle: Cycle, code: str) -> str | None:
    """The code's hash if it belongs to this cycle and its voter has not voted (by any channel:
    a personal code's voter is its roll entry); None otherwise (unknown and used codes are
    deliberately indistinguishable to the caller's visitor)."""
    from .identity import code_row, code_voter

    if len(normalise(code)) != CODE_LENGTH:
        return None
    hashed = code_hash(code)
    row = code_row(cycle, hashed)
    if row is None or has_voted(cycle, code_voter(cycle, row).key):
        return None
    return hashed


def is_code_of(cycle: Cycle, hashed: str) -> bool:
    return db.session.scalar(select(VotingCode.id).where(
        VotingCode.cycle_id == cycle.id, VotingCode.code_hash == hashed)) is not None


class CodesRefused(ValueError):
    """No codes were made; the message says why in one line, for staff."""


def anonymous_codes_refusal(cycle: Cycle) -> str | None:
    """Why anonymous codes cannot be made for ``cycle``, or None. An anonymous code is a second
    identity: where residents can also vote with an account, or the roll decides who votes,
    one person could vote once with each."""
    if cycle.vote_by_account:
        return ("Anonymous codes cannot be made for a cycle where residents also vote with an "
                "account (one person could vote twice): make personal codes from the voter roll "
                "(--from-roll), or turn account voting off.")
    if cycle.use_roll:
        return ("This cycle votes from its voter roll: make personal codes from it "
                "(--from-roll) instead of anonymous ones.")
    return None


def has_anonymous_codes(cycle_id: int | None) -> bool:
    if cycle_id is None:
        return False
    return db.session.scalar(select(VotingCode.id).where(
        VotingCode.cycle_id == cycle_id, VotingCode.roll_entry_id.is_(None)).limit(1)) is not None


def _unique_codes(count: int, progress=None) -> dict[str, str]:
    codes: dict[str, str] = {}
    for _ in (progress if progress is not None else range(count)):
        while True:
            code = new_code()
            hashed = code_hash(code)
            if hashed not in codes:
                break
        codes[hashed] = code
    return codes


def generate_codes(cycle: Cycle, count: int, batch: str | None = None, progress=None) -> list[str]:
    """Add ``count`` new anonymous codes' hashes to the session (caller commits) and return the
    codes; CodesRefused where anonymous codes would let one person vote twice."""
    if count < 1:
        raise ValueError("count must be at least 1")
    refusal = anonymous_codes_refusal(cycle)
    if refusal:
        raise CodesRefused(refusal)
    codes = _unique_codes(count, progress)
    db.session.add_all(VotingCode(cycle_id=cycle.id, code_hash=h, batch=batch) for h in codes)
    db.session.flush()
    return list(codes.values())


def roll_entries_without_code(cycle: Cycle) -> list[VoterRollEntry]:
    has_code = select(VotingCode.roll_entry_id).where(VotingCode.cycle_id == cycle.id,
                                                      VotingCode.roll_entry_id.is_not(None))
    return list(db.session.scalars(select(VoterRollEntry).where(
        VoterRollEntry.cycle_id == cycle.id, VoterRollEntry.id.not_in(has_code))
        .order_by(VoterRollEntry.id)))


def generate_roll_codes(cycle: Cycle, batch: str | None = None,
                        progress=None) -> list[tuple[VoterRollEntry, str]]:
    """One personal code for each roll entry that has none yet (re-running after a longer roll
    is imported adds codes for the new people only), for a mail merge. A personal code votes as
    its roll entry, so it and the entry's account share one ballot. ``progress`` wraps an
    iterable to show progress (a command's bar)."""
    if not cycle.use_roll:
        raise CodesRefused(gettext("This cycle does not use a voter roll: turn “Voters must be "
                                   "on the roll” on, import the roll, then make its codes."))
    if not cycle.vote_by_code:
        raise CodesRefused(gettext("This cycle does not take votes with codes: allow voting "
                                   "with a code first."))
    entries = roll_entries_without_code(cycle)
    if not entries:
        raise CodesRefused(gettext("Every person on this cycle's roll already has a personal "
                                   "code (or the roll is empty)."))
    codes = list(_unique_codes(len(entries), progress and progress(range(len(entries)))).items())
    db.session.add_all(VotingCode(cycle_id=cycle.id, code_hash=h, batch=batch,
                                  roll_entry_id=entry.id)
                       for entry, (h, _) in zip(entries, codes))
    db.session.flush()
    return [(entry, code) for entry, (_, code) in zip(entries, codes)]


PERSONAL_HEADER = ("code", "reference", "name", "address", "email", "neighbourhood")


def personal_code_lines(rows: list[tuple[VoterRollEntry, str]]) -> list[list[str]]:
    """The mail-merge lines of ``generate_roll_codes``' result, in ``PERSONAL_HEADER`` order."""
    from ..cycles.models import Neighbourhood

    hoods = dict(db.session.execute(select(Neighbourhood.id, Neighbourhood.name)).all())
    return [[code, e.reference, e.name, e.address or "", e.email or "",
             hoods.get(e.neighbourhood_id, "")] for e, code in rows]
