"""One-time voting codes: generated from ``secrets``, handed out on paper, stored only as hashes.

A code is 16 characters of a 31-letter alphabet without look-alikes (no 0/O, 1/I/L), about
79 bits, printed in groups of four for reading aloud. Only an HMAC-SHA256 of the normalised code,
keyed with SECRET_KEY, is stored; whether it voted is the participation row for
``voter_key("code", code_hash)``.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from flask import current_app
from sqlalchemy import select

from ..cycles.models import Cycle
from ..extensions import db
from ..labels import N_
from .models import VotingCode
from .services import has_voted, voter_key

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
#: the English text; shown with ``gettext(CODE_REFUSED)`` in the visitor's language
CODE_REFUSED = N_("This code cannot be used. Check it, or ask staff for help.")
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
    """The code's hash if it belongs to this cycle and has not voted; None otherwise (unknown
    and used codes are deliberately indistinguishable to the caller's visitor)."""
    if len(normalise(code)) != CODE_LENGTH:
        return None
    hashed = code_hash(code)
    known = db.session.scalar(select(VotingCode.id).where(VotingCode.cycle_id == cycle.id,
                                                          VotingCode.code_hash == hashed))
    if known is None or has_voted(cycle, code_voter_key(hashed)):
        return None
    return hashed


def is_code_of(cycle: Cycle, hashed: str) -> bool:
    return db.session.scalar(select(VotingCode.id).where(
        VotingCode.cycle_id == cycle.id, VotingCode.code_hash == hashed)) is not None


def generate_codes(cycle: Cycle, count: int, batch: str | None = None, progress=None) -> list[str]:
    """Add ``count`` new codes' hashes to the session (caller commits) and return the codes."""
    if count < 1:
        raise ValueError("count must be at least 1")
    codes: dict[str, str] = {}
    steps = progress if progress is not None else range(count)
    for _ in steps:
        while True:
            code = new_code()
            hashed = code_hash(code)
            if hashed not in codes:
                break
        codes[hashed] = code
    db.session.add_all(VotingCode(cycle_id=cycle.id, code_hash=h, batch=batch) for h in codes)
    db.session.flush()
    return list(codes.values())
