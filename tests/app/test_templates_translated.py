"""Spanish everywhere (issue 18): no template shows English that the catalogue cannot translate.

Each template is read with Jinja's own lexer: the HTML between Jinja tags (text, and the alt,
title, aria-label and placeholder attributes people read) must hold no words, and a quoted text
inside a Jinja tag that reads as words ("Save changes", "open-ended") must be an argument of
``_()``/``gettext``/``ngettext``. Code (``<code>``, ``<pre>``, scripts) and the brand are allowed.
Cheap: no app, no database; the catalogue test then checks each marked text has its Spanish.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ALLOWED = {"pbapp", "CSV", "JSON", "SHA"}  # the brand, and names of formats
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
QUIET_TAGS = {"script", "style", "code", "pre"}
TRANSLATING = {"_", "gettext", "ngettext", "pgettext", "npgettext"}
WORDS = re.compile(r"[^\W\d_]{2,}")
# a quoted text that reads as words: two words or more, or one of the small words shown alone
PHRASE = re.compile(r"^(?=.*[^\W\d_]{2,})[^\W\d_][\w'’.,;:!?()“”«» -]* [\w'’.,;:!?()“”«» -]+$"
                    r"|^(yes|no|none|open-ended|passed|published|missing)$")
NOT_TEXT = re.compile(r"\b(d|dd|MMM|MMMM|yyyy|HH|mm|EEEE)\b")  # date patterns
CODE = re.compile(r"url\([^)]*\)|#[0-9a-fA-F]{3,6}\b")  # SVG fills a macro writes


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.quiet = 0

    def handle_starttag(self, tag, attrs):
        if tag in QUIET_TAGS:
            self.quiet += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self._check(value)

    def handle_endtag(self, tag):
        if tag in QUIET_TAGS and self.quiet:
            self.quiet -= 1

    def handle_data(self, data):
        if not self.quiet:
            self._check(data)

    def _check(self, text):
        for word in WORDS.findall(CODE.sub(" ", text)):
            if word not in ALLOWED:
                self.found.append(" ".join(text.split()))
                return


def _english_outside_gettext(source: str) -> list[str]:
    env = Environment(extensions=["jinja2.ext.i18n"])
    html: list[str] = []
    found: list[str] = []
    tokens = [t for t in env.lex(source) if t[1] != "whitespace"]
    for i, (_line, kind, value) in enumerate(tokens):
        if kind == "data":
            html.append(value)
        elif kind in ("variable_begin", "block_begin"):
            html.append(" ")  # a Jinja tag may sit inside an HTML tag
        elif kind == "string":
            text = value[1:-1]
            compared = tokens[i - 1][2] in ("==", "!=", "in")
            if PHRASE.match(text) and not NOT_TEXT.search(text) and not compared \
                    and not _in_gettext(tokens, i):
                found.append(text)
    parser = _Text()
    parser.feed("".join(html))
    parser.close()
    return parser.found + found


def _in_gettext(tokens, i) -> bool:
    """Whether the string at ``tokens[i]`` is an argument of a translating call."""
    depth = 0
    for j in range(i - 1, -1, -1):
        kind, value = tokens[j][1], tokens[j][2]
        if kind in ("variable_begin", "block_begin"):
            return False
        if value == ")":
            depth += 1
        elif value == "(":
            if depth == 0:
                return j > 0 and tokens[j - 1][1] == "name" and tokens[j - 1][2] in TRANSLATING
            depth -= 1
    return False


def test_every_template_text_goes_through_the_catalogue():
    untranslated = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        found = _english_outside_gettext(path.read_text(encoding="utf-8"))
        if found:
            untranslated[str(path.relative_to(TEMPLATES))] = found[:5]
    assert not untranslated, f"English outside _(): {untranslated}"


def test_the_check_finds_what_it_should():
    assert _english_outside_gettext("<p>Save the draft</p>") == ["Save the draft"]
    assert _english_outside_gettext('<img alt="A park" src="{{ x }}">') == ["A park"]
    assert _english_outside_gettext('{{ field(f, hint="Shown publicly.") }}') == \
        ["Shown publicly."]
    assert _english_outside_gettext('{{ x if y else "open-ended" }}') == ["open-ended"]
    assert not _english_outside_gettext('<p>{{ _("Save %(n)s", n=1) }} · <code>flask demo</code>'
                                        ' pbapp</p>{{ url_for("a.b", q="x y") if z }}')
    assert not _english_outside_gettext('{{ ngettext("One x", "%(num)s x", n) }}&nbsp;–')
