"""The reader's language for a report, looked up once per report rather than once per word.

Flask-Babel finds the request's translations and locale through several context proxies on
every call. A cycle report asks for about a thousand words, labels, numbers and dates, and
those lookups were a tenth of its time. Inside ``bound()`` (opened around each report view)
``gettext``, ``ngettext`` and ``get_locale`` answer from what it looked up when it opened,
exactly as Flask-Babel's own do; outside it they are Flask-Babel's.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

import flask_babel

_bound: ContextVar[tuple | None] = ContextVar("report_words", default=None)


@contextmanager
def bound():
    token = _bound.set((flask_babel.get_translations(), flask_babel.get_locale()))
    try:
        yield
    finally:
        _bound.reset(token)


def gettext(string: str, **variables) -> str:
    found = _bound.get()
    if found is None:
        return flask_babel.gettext(string, **variables)
    text = found[0].ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    found = _bound.get()
    if found is None:
        return flask_babel.ngettext(singular, plural, num, **variables)
    variables.setdefault("num", num)
    return found[0].ungettext(singular, plural, num) % variables


def get_locale():
    found = _bound.get()
    return flask_babel.get_locale() if found is None else found[1]
