"""Progress bars for the long steps operators run in a terminal (``flask demo``, imports).

Shown only on a terminal: a web request, a test or a redirected log gets nothing extra.
"""
from __future__ import annotations

import sys
from typing import Iterable, TypeVar

from tqdm import tqdm

T = TypeVar("T")


def rows(items: Iterable[T], label: str, shown: bool = False) -> Iterable[T]:
    """``items`` counted as they are read, when ``shown`` (the CLI asks) and on a terminal."""
    if not shown:
        return items
    return tqdm(items, desc=label, unit=" rows", disable=None, leave=False, file=sys.stderr)


def steps(total: int, label: str) -> tqdm:
    """A bar of ``total`` named steps; ``bar.set_postfix_str(name)`` then ``bar.update()``."""
    return tqdm(total=total, desc=label, unit=" steps", disable=None, file=sys.stderr)
