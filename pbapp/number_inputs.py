"""``numbers`` where Flask takes input: form fields, select choices, ids and page numbers in
query strings, and ``<int:...>`` in routes.

WTForms' ``IntegerField`` and ``coerce=int`` read "٥" as 5 and pass a 30-digit number on to a
query PostgreSQL refuses; Werkzeug's ``<int:...>`` does the same with ids in URLs. These read
only ASCII digits and stop at the database's integer range, so such input is a form error or a
404, never a DataError.
"""
from __future__ import annotations

from decimal import Decimal

from flask import abort, request
from werkzeug.routing import IntegerConverter
from werkzeug.routing import ValidationError as NoMatch
from wtforms import IntegerField
from wtforms.validators import StopValidation, ValidationError

from . import numbers
from .numbers import DB_INT_MAX, NumberRefused


class WholeNumberField(IntegerField):
    """An integer field that reads digits only, between ``low`` and ``high`` (by default 0 to
    the database's integer; a minus sign only where ``low`` < 0). Its own limits stay with its
    validators (``NumberRange`` and the like): a number past ``low``..``high`` gets the message
    of the first validator that refuses a number just past the same end, else one of the
    field's; either way one message, and the number goes no further (``data`` stays None)."""

    def __init__(self, label=None, validators=None, low: int = 0, high: int = DB_INT_MAX,
                 **kwargs):
        super().__init__(label, validators, **kwargs)
        self.low, self.high = low, high
        self._refused: NumberRefused | None = None
        self._beyond: int | None = None

    def _read(self, text: str):
        return numbers.whole(text, self.low, self.high)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0].strip() if isinstance(valuelist[0], str) else str(valuelist[0])
        self.data, self._refused, self._beyond = None, None, None
        if not text:  # as IntegerField: Optional or InputRequired then decide
            raise ValueError(self.gettext("Not a valid integer value."))
        try:
            self.data = self._read(text)
        except NumberRefused as refused:
            self._refused = refused
            if refused.template == numbers.OUT_OF_RANGE:  # just past the side it was typed on
                self._beyond = self.low - 1 if text.startswith("-") else self.high + 1

    def pre_validate(self, form):
        if self._refused is None:
            return
        if self._beyond is not None:
            self.data = self._beyond
            try:
                for check in self.validators:
                    check(form, self)
            except (ValidationError, StopValidation) as refusal:
                if refusal.args and refusal.args[0]:
                    raise StopValidation(refusal.args[0]) from None
            finally:
                self.data = None
        raise StopValidation(self._refused.translated())


class DecimalNumberField(WholeNumberField):
    """A number with at most ``places`` decimals, given to the form as a float
    (``numbers.decimal``: no "nan", "inf" or exponents), by default between ± a trillion."""

    def __init__(self, label=None, validators=None, low: int = -numbers.COUNT_MAX,
                 high: int = numbers.COUNT_MAX, places: int = 6, **kwargs):
        super().__init__(label, validators, low=low, high=high, **kwargs)
        self.places = places

    def _read(self, text: str):
        return float(numbers.decimal(text, self.low, self.high, self.places))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format(Decimal(repr(self.data)).normalize(), "f")


def coerce_id(value) -> int:
    """``coerce`` for select fields whose choices are row ids (0 for "none"): ValueError, so a
    form error, for anything else."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= DB_INT_MAX:
        return value
    return numbers.whole(value.strip() if isinstance(value, str) else "", 0, DB_INT_MAX)


class IdConverter(IntegerConverter):
    """``<int:...>`` for every route: ASCII digits only, at most the database's integer, so a
    larger id is no match (a 404) instead of a query the database refuses."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = DB_INT_MAX, signed: bool = False):
        super().__init__(map, fixed_digits, min, max, signed)

    def to_python(self, value: str):
        if len(value.lstrip("-").lstrip("0")) > len(str(DB_INT_MAX)):
            raise NoMatch()
        return super().to_python(value)


def page_arg() -> int:
    """``?page=`` of a list: 1 when absent, a 404 when it is not a page number."""
    page = numbers.page_number(request.args.get("page"))
    if page is None:
        abort(404)
    return page


def id_arg(name: str) -> int | None:
    """An optional id in the query string: None when absent, a 404 when it cannot be one."""
    raw = request.args.get(name)
    if not raw:
        return None
    ident = numbers.db_id(raw)
    if ident is None:
        abort(404)
    return ident


def install(app) -> None:
    """Before any blueprint adds its routes, which pick their converters as they are added."""
    app.url_map.converters["int"] = IdConverter
