"""Addresses and postcodes as one canonical text, so "12 high st." finds "12 High Street".

Pure: no Flask, no database. ``address_key`` folds case, accents, punctuation, spacing and the
common abbreviations of street types and directions; ``postcode_key`` keeps letters and digits.
Both are idempotent (a key normalised again is the same key) and accept any text.
"""
from __future__ import annotations

import re
import unicodedata

#: the long form of each abbreviation residents and registers write (English and Spanish)
ABBREVIATIONS = {
    "st": "street", "str": "street", "ave": "avenue", "av": "avenue", "avn": "avenue",
    "rd": "road", "ln": "lane", "dr": "drive", "ct": "court", "pl": "place", "sq": "square",
    "cres": "crescent", "cr": "crescent", "blvd": "boulevard", "hwy": "highway",
    "pk": "park", "gdns": "gardens", "gdn": "garden", "ter": "terrace", "terr": "terrace",
    "cl": "close", "mt": "mount", "apt": "apartment", "flt": "flat", "no": "number",
    "n": "north", "s": "south", "e": "east", "w": "west",
    "c": "calle", "avda": "avenida", "pza": "plaza",
}
_APOSTROPHES = dict.fromkeys(map(ord, "'\u2019\u02bc"), None)
_WORD = re.compile(r"[0-9]+|[^\W\d_]+")


def _fold(text: str) -> str:
    """Lower case, compatibility forms folded (full-width digits, ligatures) and accents
    dropped, so "Ñandú" and "nandu" meet; apostrophes go ("St John's" has the word "johns"),
    and so do numbers that are not digits ("²", "½"), which no house number is written with."""
    text = "".join(" " if unicodedata.category(c) == "No" else c
                   for c in str(text).translate(_APOSTROPHES))
    text = unicodedata.normalize("NFKD", text).casefold()
    return "".join(c for c in text if not unicodedata.combining(c))


def address_key(text: str) -> str:
    """The canonical form of an address line: its words and numbers, spelt out, one space apart.

    Only ASCII digits count as numbers (a "²" or "٥" is not the 2 or 5 of a house number)."""
    words = []
    for word in _WORD.findall(_fold(text)):
        if word.isdigit() and not word.isascii():
            continue
        if word.isdigit():
            word = word.lstrip("0") or "0"
        words.append(ABBREVIATIONS.get(word, word))
    return " ".join(words)


def postcode_key(text: str) -> str:
    """A postcode's letters and digits, upper case: "sw1a 1aa" and "SW1A1AA" are one."""
    return "".join(c for c in _fold(text) if c.isascii() and c.isalnum()).upper()
