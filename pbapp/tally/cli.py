"""``pbapp-tally``: recount any election file without running the site.

    pbapp-tally FILE [--method M] [--seats N] [--budget B] [--rules CONFIG.json]
                [--format auto|blt|pb|csv|cdf] [--json] [--tie-break CHOICE[,CHOICE...]]
                [--strict] [--part-fund SHARE]

Defaults come from the file (BLT seats, ``.pb`` META keys, RCTab config). Prints a round-by-round
table, or the result JSON with ``--json``. Exit status 2 means the file or an option was refused:
stderr then holds one line naming the file (and the line in it, when the problem is on a line)
and what is wrong, never a traceback, so a script or a person can act on it. What a file holds
that was read with a warning (a project named twice in one vote, a vote breaking the META ballot
rules) is counted as documented and named on stderr, one line per kind ("pbapp-tally: warning:
FILE:line N: ..."); ``--strict`` refuses it instead.

``--part-fund SHARE`` (budget methods): once the rule has finished, the first proposal in its
order that does not fit the money left gets that money if it is at least SHARE of its cost.
SHARE is a fraction (``0.5``) or a percent with its sign (``50%``), more than 0 and at most 1;
see ``pbapp.tally.part_funding``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import METHODS, PB_METHODS, BallotError, FileFormatError, TallyError, money
from .formats import WRITABLE, decode, detect_format, read_election, write_election
from .numbers import ascii_int
from .part_funding import share as part_share
from .report import render_text

#: files larger than this show a progress bar while being read (on a terminal only)
PROGRESS_BYTES = 8 * 1024 * 1024


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pbapp-tally", description=__doc__.split("\n\n")[0],
        epilog="Methods: " + ", ".join(METHODS))
    p.add_argument("file", metavar="FILE", help="election file (.blt, .pb, .csv, CDF .json, "
                   "or an RCTab contest config .json)")
    p.add_argument("--method", choices=sorted(METHODS), help="counting method (default: from "
                   "the file)")
    # read as ASCII digits in _run, so a refusal is one line naming the file, as for a file's
    p.add_argument("--seats", help="number of winners (ranked methods)")
    p.add_argument("--budget", help="budget, an amount such as 1250 or 1250.50 (PB methods)")
    p.add_argument("--rules", metavar="CONFIG.json", help="RCTab contest config whose rules apply")
    p.add_argument("--format", default="auto", choices=["auto", "blt", "pb", "csv", "cdf"],
                   help="file format (default: from the name and content)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--seed", help="seed of the tie-break draw (recorded in the result)")
    p.add_argument("--tie-break", metavar="CHOICE[,CHOICE...]",
                   help="PB ties: cheaper (default), dearer, more-votes, lottery (with --seed), "
                   "file-order or id; several, comma-separated, are tried in turn. Ranked "
                   "methods: previous-round (default), draw, candidate-order, rctab-random, ...")
    p.add_argument("--strict", action="store_true", help="refuse what is otherwise read with "
                   "a warning (a project named twice in one vote, a vote breaking META rules)")
    p.add_argument("--part-fund", metavar="SHARE",
                   help="budget methods: give the money left to the first proposal that does "
                   "not fit, if it is at least SHARE of its cost; SHARE is a fraction (0.5) or "
                   "a percent (50%%)")
    p.add_argument("--option", "-o", action="append", default=[], metavar="KEY=VALUE",
                   help="any other method option, e.g. -o overvote=skip -o variant=meek")
    p.add_argument("--output", metavar="RESULT.json", help="also write the result JSON here")
    p.add_argument("--convert", metavar="OUT", help="write the ballots to OUT (.blt, .pb or "
                   ".csv) instead of counting")
    return p


def parse_option(text: str) -> tuple[str, object]:
    """``key=value``; the value is read as JSON when it can be (numbers, true, lists)."""
    key, sep, raw = text.partition("=")
    if not sep or not key:
        raise BallotError(f"--option takes KEY=VALUE, not {text!r}")
    try:
        value = json.loads(raw)
    except ValueError:  # not JSON, or a number of thousands of digits, which int() refuses
        value = raw
    return key.strip().replace("-", "_"), value


def load(path: str, fmt: str, strict: bool = False):
    """Read the file, with a progress bar for big files on a terminal."""
    size = os.path.getsize(path)
    if fmt == "auto":
        fmt = detect_format(path)
    if size < PROGRESS_BYTES or not sys.stderr.isatty() or fmt == "rctab":
        return read_election(path, fmt, strict=strict)
    from tqdm import tqdm

    chunks = []
    with open(path, "rb") as fh, tqdm(total=size, unit="B", unit_scale=True,
                                      desc="reading", file=sys.stderr, leave=False) as bar:
        while chunk := fh.read(1 << 20):
            chunks.append(chunk)
            bar.update(len(chunk))
    return _parse_text(decode(b"".join(chunks), path), fmt, path, strict)


def _parse_text(text: str, fmt: str, path: str, strict: bool = False):
    if fmt == "blt":
        from .formats.blt import parse_blt
        return parse_blt(text, path=path)
    if fmt == "pb":
        from .formats.pabulib import parse_pb
        return parse_pb(text, path=path, strict=strict)
    if fmt == "csv":
        from .formats.csvcvr import parse_csv
        return parse_csv(text, path=path)
    from .formats.cdf import parse_cdf
    return parse_cdf(text, path=path)


def convert(election, out: str) -> None:
    suffix = Path(out).suffix.lower().lstrip(".")
    if suffix not in WRITABLE:
        raise BallotError(f"cannot write {out!r}: use a .blt, .pb or .csv file name")
    write_election(election, out, suffix)


def load_rules(path: str) -> tuple[str, dict]:
    """The method and options of an RCTab config; every refusal names the config file."""
    from .formats.rctab import load_config, rules_from_config

    try:
        return rules_from_config(load_config(path), path)
    except BallotError as exc:
        raise FileFormatError(str(exc), path=path) from None


def run(argv: list[str] | None = None) -> int:
    return _run(build_parser().parse_args(argv))


def _run(args: argparse.Namespace) -> int:
    election = load(args.file, args.format, args.strict)
    method = args.method
    options: dict = {}
    if args.rules:
        rule_method, rule_options = load_rules(args.rules)
        election.options.update(rule_options)
        election.method = rule_method
        if rule_options.get("seats"):
            election.seats = int(rule_options["seats"])
    if args.convert:
        convert(election, args.convert)
        return 0
    for text in args.option:
        key, value = parse_option(text)
        options[key] = value
    if args.seats is not None:
        options["seats"] = ascii_int(args.seats, what="--seats", minimum=1)
    if args.budget is not None:
        options["budget"] = money.amount(args.budget, "--budget")
    if args.seed is not None:
        options["seed"] = args.seed
    if args.tie_break is not None:
        options["tiebreak"] = args.tie_break
    if args.part_fund is not None:
        options["part_fund"] = part_share(args.part_fund)
        if not election.is_pb and (method or "") not in PB_METHODS:
            raise BallotError("--part-fund applies to budget methods (greedy, equal-shares); "
                              "this file has no budget")
    result = election.count(method, **options)
    data = result.to_dict()
    for warning in data.get("warnings") or []:
        where = f"{args.file}:line {warning['lines'][0]}" if warning.get("lines") else args.file
        print(f"pbapp-tally: warning: {where}: {warning['message']}", file=sys.stderr)
    if args.output:
        Path(args.output).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                                     encoding="utf-8")
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(render_text(result, title=election.title))
    return 0


def describe(exc: Exception, path: str) -> str:
    """One line naming the file at fault: the error's own file, else the election file."""
    if isinstance(exc, FileFormatError) and exc.path:
        text = str(exc)
    elif isinstance(exc, OSError) and exc.filename is not None:
        text = f"{exc.filename}: {exc.strerror or exc}"
    else:
        text = f"{path}: {exc}"
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (TallyError, OSError) as exc:
        print(f"pbapp-tally: error: {describe(exc, args.file)}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
