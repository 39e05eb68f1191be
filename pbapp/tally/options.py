"""Option checking shared by every method, so a typo is an error rather than a silent default."""
from __future__ import annotations

import functools
import re

from .errors import BallotError

#: options every method accepts (a method may refuse a value, e.g. IRV with seats > 1)
COMMON = frozenset({"seats", "seed", "withdrawn", "tiebreak"})
_ASCII_INT = re.compile(r"-?[0-9]{1,30}", re.ASCII)


def method_options(*names: str):
    """Declare a method's options; unknown ones raise ``BallotError`` naming the allowed ones.

    The wrapped function gets ``.options`` (a frozenset) so callers such as ``Election.count``
    can pass only the file defaults a method understands.
    """
    allowed = COMMON | frozenset(names)

    def wrap(fn):
        @functools.wraps(fn)
        def checked(ballots, **options):
            unknown = sorted(set(options) - allowed - {"candidates"})
            if unknown:
                raise BallotError(f"{fn.__name__.removeprefix('count_')}: unknown option(s) "
                                  f"{', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")
            return fn(ballots, **options)

        checked.options = allowed
        return checked

    return wrap


def positive_int(name: str, value, *, minimum: int = 1) -> int:
    """Validate a whole-number option such as ``seats``."""
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()) or \
            (isinstance(value, str) and not _ASCII_INT.fullmatch(value.strip())):
        raise BallotError(f"{name} must be a whole number, not {value!r}")  # "٥" is not 5
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BallotError(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise BallotError(f"{name} must be at least {minimum}, not {value!r}")
    return number
