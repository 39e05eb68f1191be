"""Numbers read from election files: ASCII digits only, within stated ranges.

``str.isdigit()`` and ``int()`` accept far more than a person types: ``"²".isdigit()`` is true
but ``int("²")`` fails, ``int("٥")`` is 5, ``int("1_000")`` is 1000, and a 5,000-digit number
is refused by ``int()`` with a ``ValueError``. Every reader goes through these two functions, so
such text is refused with a ``FileFormatError`` that the caller names the line of.
"""
from __future__ import annotations

import re

from .errors import FileFormatError

#: most ballots one line of a file may stand for (also the cap on costs and budgets)
MAX_COUNT = 10 ** 12
#: the highest rank a ballot may give
MAX_RANK = 1000

_INT = re.compile(r"-?[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)
_DIGITS = 30  # far beyond any range here, far below int()'s own limit


def _show(text) -> str:
    shown = repr(text)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _check(text, what: str, pattern: re.Pattern, kind: str, line: int | None,
           path: str | None) -> str:
    raw = text.strip() if isinstance(text, str) else text
    if not isinstance(raw, str) or not pattern.fullmatch(raw):
        raise FileFormatError(f"{what} must be {kind} (digits 0-9), not {_show(text)}",
                              line=line, path=path)
    if len(raw.lstrip("-").lstrip("0").split(".")[0]) > _DIGITS:
        raise FileFormatError(f"{what} {_show(raw)} is too large", line=line, path=path)
    return raw


def _in_range(value, raw: str, what: str, minimum, maximum, line, path):
    if minimum is not None and value < minimum:
        raise FileFormatError(f"{what} must be at least {minimum}, not {_show(raw)}",
                              line=line, path=path)
    if maximum is not None and value > maximum:
        raise FileFormatError(f"{what} must be at most {maximum:,}, not {_show(raw)}",
                              line=line, path=path)
    return value


def ascii_int(text, *, what: str, minimum: int | None = None, maximum: int | None = None,
              line: int | None = None, path: str | None = None) -> int:
    """A whole number in ASCII digits (an optional leading ``-``), surrounding spaces allowed."""
    raw = _check(text, what, _INT, "a whole number", line, path)
    return _in_range(int(raw), raw, what, minimum, maximum, line, path)


def ascii_decimal(text, *, what: str, minimum: float | None = None,
                  maximum: float | None = None, line: int | None = None,
                  path: str | None = None) -> int | float:
    """A plain decimal such as ``3`` or ``1.5`` (no exponent, no ``nan``); whole values as int."""
    raw = _check(text, what, _DECIMAL, "a number", line, path)
    value = float(raw)
    value = int(value) if value.is_integer() else value
    return _in_range(value, raw, what, minimum, maximum, line, path)
