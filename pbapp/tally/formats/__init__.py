"""Election files in and out: BLT, pabulib .pb, CSV cast-vote records, NIST CDF JSON, RCTab config.

``read_election(path, format="auto")`` picks the reader by extension (and, for ``.json``, by
content: an RCTab contest config or a CDF cast-vote-record report).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from ..errors import FileFormatError

FORMATS = ("blt", "pb", "csv", "cdf", "rctab")


_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|"
                             r"(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def decode(raw: bytes, path: str | Path | None = None) -> str:
    """Bytes as UTF-8 text (one leading BOM dropped); anything else is refused naming the line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FileFormatError(f"not UTF-8 text (byte {raw[exc.start]:#04x}: {exc.reason})",
                              line=line, path=None if path is None else str(path)) from None


def read_text(path: str | Path, *, newline: str | None = None) -> str:
    """The file as UTF-8 text; ``newline=""`` keeps line ends as they are (for the csv module),
    otherwise they become ``\\n`` as in ``open()``."""
    text = decode(Path(path).read_bytes(), path)
    if newline is None and "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def parse_json(text: str, path: str | None = None):
    """JSON text as Python data. Broken or too deeply nested JSON, a number of thousands of
    digits and a ``\\ud800`` escape that is half a character are format errors."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileFormatError(f"not valid JSON: {exc.msg}", line=exc.lineno, path=path) from None
    except RecursionError:
        raise FileFormatError("JSON nested too deeply to read", path=path) from None
    except ValueError as exc:  # an integer of thousands of digits
        raise FileFormatError(f"unreadable JSON: {exc}", path=path) from None
    if _SURROGATE.search(text):
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except RecursionError:
            raise FileFormatError("JSON nested too deeply to read", path=path) from None
        except UnicodeEncodeError:
            lone = _LONE_SURROGATE.search(text)
            line = text.count("\n", 0, lone.start()) + 1 if lone else None
            raise FileFormatError("not valid JSON: a \\u escape that is half a character "
                                  "(a lone surrogate)", line=line, path=path) from None
    return data


def detect_format(path: str | Path) -> str:
    """The format a file is in, from its extension and, for JSON, its top-level keys."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".blt":
        return "blt"
    if suffix == ".pb":
        return "pb"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix == ".json":
        data = parse_json(read_text(path), str(path))
        if isinstance(data, dict) and "cvrFileSources" in data:
            return "rctab"
        return "cdf"
    raise FileFormatError("cannot tell the format from the file name; pass --format "
                          f"({', '.join(FORMATS[:4])})", path=str(path))


def read_election(path: str | Path, format: str = "auto", *, strict: bool = False):
    """Read any supported file into an ``Election``; ``strict`` refuses what a reader would
    otherwise take with a warning (``.pb``: see ``pabulib``)."""
    fmt = detect_format(path) if format == "auto" else format
    if fmt == "blt":
        from .blt import read_blt
        return read_blt(path)
    if fmt == "pb":
        from .pabulib import read_pb
        return read_pb(path, strict=strict)
    if fmt == "csv":
        from .csvcvr import read_csv
        return read_csv(path)
    if fmt == "cdf":
        from .cdf import read_cdf
        return read_cdf(path)
    if fmt == "rctab":
        from .rctab import read_rctab
        return read_rctab(path)
    raise FileFormatError(f"unknown format {fmt!r}; choose auto, {', '.join(FORMATS)}")


WRITABLE = ("blt", "pb", "csv")


def write_election(election, target, format: str, **options) -> None:
    """Write ``election`` to ``target`` (a path or an open text file) as blt, pb or csv."""
    if format == "blt":
        from .blt import write_blt
        write_blt(election, target, **options)
    elif format == "pb":
        from .pabulib import write_pb
        write_pb(election, target, **options)
    elif format == "csv":
        from .csvcvr import write_csv
        write_csv(election, target, **options)
    else:
        raise FileFormatError(f"cannot write {format!r}: choose one of {', '.join(WRITABLE)}")
