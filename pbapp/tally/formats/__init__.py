"""Election files in and out: BLT, pabulib .pb, CSV cast-vote records, NIST CDF JSON, RCTab config.

``read_election(path, format="auto")`` picks the reader by extension (and, for ``.json``, by
content: an RCTab contest config or a CDF cast-vote-record report).
"""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import FileFormatError

FORMATS = ("blt", "pb", "csv", "cdf", "rctab")


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
        try:
            with open(path, encoding="utf-8-sig") as fh:
                data = json.load(fh)
        except json.JSONDecodeError as exc:
            raise FileFormatError(f"not valid JSON: {exc.msg}", line=exc.lineno,
                                  path=str(path)) from None
        if isinstance(data, dict) and "cvrFileSources" in data:
            return "rctab"
        return "cdf"
    raise FileFormatError("cannot tell the format from the file name; pass --format "
                          f"({', '.join(FORMATS[:4])})", path=str(path))


def read_election(path: str | Path, format: str = "auto"):
    """Read any supported file into an ``Election``."""
    fmt = detect_format(path) if format == "auto" else format
    if fmt == "blt":
        from .blt import read_blt
        return read_blt(path)
    if fmt == "pb":
        from .pabulib import read_pb
        return read_pb(path)
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
