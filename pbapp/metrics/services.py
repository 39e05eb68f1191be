"""Keeping the metric catalogue and entering measurements: the rules both the staff form and the
CSV import apply, so a value refused on one path is refused on the other with the same words.

Verbs flush and write their audit event in the caller's transaction; the view (or the CLI)
commits once. Anything invalid raises ``Invalid`` before a row is touched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as data_field, fields
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import numbers
from ..audit.services import record
from ..cycles.models import Neighbourhood
from ..extensions import db
from ..models_base import TranslationRefused, site_today
from ..numbers import COUNT_MAX, DB_INT_MAX, NumberRefused
from ..projects.models import Project
from .models import (BREAKDOWNS, DIRECTIONS, FREQUENCIES, KINDS, SCOPES, SOURCES, Measurement,
                     Metric)

KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
#: words the metric URLs use for pages of their own
RESERVED_KEYS = ("new", "import", "small-numbers")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
#: the raw fields of one measurement, as a form or a CSV row gives them (all strings)
ROW_FIELDS = ("scope", "scope_ref", "period_start", "period_end", "value", "numerator",
              "denominator", "breakdown", "group", "source", "note")


class Invalid(Exception):
    """Refused; ``problems`` pairs each field at fault (or None) with what is wrong."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


# The catalogue ---------------------------------------------------------------------------------

@dataclass
class MetricFields:
    key: str
    name: str
    definition: str = ""
    unit: str = ""
    kind: str = "count"
    rate_per: int | None = None
    better: str = "lower"
    source: str = "partner"
    supplier: str = ""
    frequency: str = "quarterly"
    sharing_what: str = ""
    sharing_consent: str = ""
    sharing_retention: str = ""


def _check_metric(values: MetricFields, metric: Metric | None) -> None:
    problems = []
    if not KEY_PATTERN.match(values.key or ""):
        problems.append(("key", "The key is a short lowercase name of letters, digits, and "
                                "single hyphens or underscores, e.g. violent-injuries."))
    elif values.key in RESERVED_KEYS:
        problems.append(("key", f"“{values.key}” is reserved for a page; choose another key."))
    else:
        taken = db.session.scalar(select(Metric.id).where(Metric.key == values.key))
        if taken is not None and (metric is None or taken != metric.id):
            problems.append(("key", f"Another metric already has the key “{values.key}”."))
    if not values.name:
        problems.append(("name", "Give the metric a name."))
    for name, allowed in (("kind", KINDS), ("better", DIRECTIONS), ("source", SOURCES),
                          ("frequency", FREQUENCIES)):
        if getattr(values, name) not in allowed:
            problems.append((name, f"Choose one of: {', '.join(allowed)}."))
    if values.kind == "rate" and not (values.rate_per and values.rate_per > 0):
        problems.append(("rate_per", "A rate needs what it is per (e.g. 1000 for per 1,000 "
                                     "residents)."))
    if values.kind != "rate" and values.rate_per is not None:
        problems.append(("rate_per", "Only a rate is per a number of residents; leave this "
                                     "empty."))
    if problems:
        raise Invalid(problems)


def save_metric(actor, values: MetricFields, metric: Metric | None = None,
                translations: dict | None = None) -> Metric:
    """Create a metric, or change one; the audit event names the fields that changed (a
    changed Spanish name is ``name_es``). ``translations`` (``{"es": {"name": ...}}``) replaces
    the words given in each language; empty ones show the original instead."""
    _check_metric(values, metric)
    probe = Metric(translations=dict(metric.translations or {}) if metric else {})
    try:
        probe.translate(translations)  # checked before the metric is touched
    except TranslationRefused as error:
        raise Invalid([(None, str(error))]) from None
    created = metric is None
    key_was = None if created else metric.key
    if created:
        metric = Metric()
        db.session.add(metric)
    changed = [f.name for f in fields(values)
               if getattr(metric, f.name, None) != getattr(values, f.name)]
    for name in changed:
        setattr(metric, name, getattr(values, name))
    before = metric.translations or {}
    changed += [f"{name}_{locale}" for locale in sorted(set(before) | set(probe.translations))
                for name in Metric.TRANSLATED_FIELDS
                if (before.get(locale) or {}).get(name) != (probe.translations.get(locale) or {})
                .get(name)]
    metric.translations = probe.translations
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise Invalid([("key", f"Another metric already has the key “{values.key}”.")]) from None
    detail = {"changed": changed}
    if key_was is not None and key_was != metric.key:
        detail["key_was"] = key_was  # links and import files name the old key
    record(actor, "metric.create" if created else "metric.update", f"metric:{metric.key}",
           **detail)
    return metric


# Measurements ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Lookup:
    """What a row's names are checked against, loaded once per form or file."""

    metrics: dict[str, Metric]
    neighbourhoods: dict[str, int]  # slug -> id
    projects: set[int]
    #: the city's day the rows are checked on (agreements' expiry, ``pbapp.agreements.rules``)
    today: date = data_field(default_factory=site_today)

    @classmethod
    def load(cls) -> "Lookup":
        return cls(metrics={m.key: m for m in db.session.scalars(select(Metric))},
                   neighbourhoods=dict(db.session.execute(
                       select(Neighbourhood.slug, Neighbourhood.id)).all()),
                   projects=set(db.session.scalars(select(Project.id))))


@dataclass(frozen=True)
class Row:
    """One validated measurement, not yet written."""

    metric: Metric
    scope: str
    scope_ref: str
    neighbourhood_id: int | None
    project_id: int | None
    period_start: date
    period_end: date
    value: float | None
    numerator: int | None
    denominator: int | None
    breakdown: str
    group_name: str
    source: str
    note: str

    @property
    def key(self) -> tuple:
        """The natural key (``uq_measurement_cell``)."""
        return (self.metric.id, self.scope, self.scope_ref, self.period_start, self.period_end,
                self.breakdown, self.group_name)

    @property
    def data(self) -> tuple:
        return (self.value, self.numerator, self.denominator, self.source, self.note)

    def describe(self) -> str:
        where = self.scope + (f" {self.scope_ref}" if self.scope_ref else "")
        cell = f", {self.breakdown} = {self.group_name}" if self.breakdown else ", total"
        return f"{self.metric.key}, {where}, {self.period_start} to {self.period_end}{cell}"


def key_of(m: Measurement) -> tuple:
    return (m.metric_id, m.scope, m.scope_ref, m.period_start, m.period_end, m.breakdown,
            m.group_name)


def data_of(m: Measurement) -> tuple:
    return (m.value, m.numerator, m.denominator, m.source, m.note)


def _date(text: str, name: str, problems: list) -> date | None:
    if not text:
        problems.append((name, "is missing (a date written YYYY-MM-DD)"))
        return None
    try:
        if not _ISO_DATE.match(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        problems.append((name, f"“{text}” is not a date written YYYY-MM-DD"))
        return None


def _whole(text: str, name: str, problems: list, high: int = DB_INT_MAX) -> int | None:
    """A count: a whole number from 0 to ``high`` (numerators and denominators are stored as
    the database's integer; a count's value as a float, exact up to ``COUNT_MAX``), or None
    when empty."""
    if not text:
        return None
    try:
        return numbers.whole(text, 0, high)
    except NumberRefused as refused:
        if text.startswith("-") and text[1:].isascii() and text[1:].isdigit():
            problems.append((name, f"“{text}” is negative; counts are 0 or more"))
        else:
            problems.append((name, f"{refused} Counts are 0, 1, 2 and so on"))
        return None


def _number(text: str, name: str, problems: list) -> float | None:
    if not text:
        return None
    try:
        return float(numbers.decimal(text, 0, COUNT_MAX))
    except NumberRefused as refused:
        if text.startswith("-") and numbers.is_plain_number(text):
            problems.append((name, f"“{text}” is negative; the value is 0 or more"))
        else:
            problems.append((name, str(refused).removesuffix(".")))
        return None


def _scope(raw: dict, lookup: Lookup, problems: list) -> tuple[str, str, int | None, int | None]:
    scope, ref = raw["scope"], raw["scope_ref"]
    hood_id = project_id = None
    if scope not in SCOPES:
        problems.append(("scope", f"“{scope}” is not a scope; use {', '.join(SCOPES)}"))
    elif scope == "city" and ref:
        problems.append(("scope_ref", "must be empty for the city"))
    elif scope == "neighbourhood":
        hood_id = lookup.neighbourhoods.get(ref)
        if hood_id is None:
            problems.append(("scope_ref", f"“{ref}” is not a known neighbourhood's slug"
                             if ref else "is missing: give the neighbourhood's slug"))
    elif scope == "project":
        project_id = numbers.db_id(ref)
        project_id = project_id if project_id in lookup.projects else None
        if project_id is None:
            problems.append(("scope_ref", f"“{ref}” is not the id of a funded project"
                             if ref else "is missing: give the project's id"))
        else:
            ref = str(project_id)  # "007" and "7" are one project, so one natural key
    return scope, ref, hood_id, project_id


def _amounts(metric: Metric | None, raw: dict, problems: list):
    """The value, or numerator and denominator, as the metric's kind needs them."""
    kind = metric.kind if metric else None
    given = {name: raw[name] for name in ("value", "numerator", "denominator") if raw[name]}
    numerator = _whole(raw["numerator"], "numerator", problems)
    denominator = _whole(raw["denominator"], "denominator", problems)
    if kind == "count":
        value = _whole(raw["value"], "value", problems, COUNT_MAX)
        if "numerator" in given or "denominator" in given:
            problems.append(("numerator" if "numerator" in given else "denominator",
                             "is not used for a count; give only the value"))
        elif "value" not in given:
            problems.append(("value", "is missing: give the count"))
        return value, None, None
    value = _number(raw["value"], "value", problems)
    if kind == "median":
        if "numerator" in given:
            problems.append(("numerator", "is not used for a median; give the value (and, if "
                                          "known, the number of cases as the denominator)"))
        elif "value" not in given:
            problems.append(("value", "is missing: give the median"))
        return value, None, denominator
    if kind in ("percent", "rate"):
        if "value" in given and "numerator" in given:
            problems.append(("value", "and a numerator cannot both be given; give one or "
                                      "the other"))
        elif "numerator" in given and "denominator" not in given:
            problems.append(("denominator", "is missing: a numerator needs its denominator"))
        elif not given or given.keys() == {"denominator"}:
            problems.append(("value", f"is missing: a {kind} needs a value, or a numerator "
                                      "and denominator"))
        elif numerator is not None and denominator == 0:
            problems.append(("denominator", "must be at least 1"))
        elif kind == "percent" and numerator is not None and denominator is not None \
                and numerator > denominator:
            problems.append(("numerator", "is larger than the denominator; a percentage "
                                          "cannot be over 100"))
        elif kind == "percent" and value is not None and value > 100:
            problems.append(("value", f"“{raw['value']}” is over 100"))
    return value, numerator, denominator


def check_row(raw: dict[str, str], lookup: Lookup, metric: Metric | None = None
              ) -> tuple[Row | None, list[tuple[str, str]]]:
    """Validate one measurement given as text (``ROW_FIELDS``, plus ``metric`` as a key when
    ``metric`` is None). Returns the row, or the problems as (field, what is wrong)."""
    raw = {name: (raw.get(name) or "").strip() for name in ("metric", *ROW_FIELDS)}
    problems: list[tuple[str, str]] = []
    if metric is None:
        metric = lookup.metrics.get(raw["metric"])
        if metric is None:
            problems.append(("metric", f"“{raw['metric']}” is not a metric in the catalogue"
                             if raw["metric"] else "is missing (the metric's key)"))
    scope, ref, hood_id, project_id = _scope(raw, lookup, problems)
    start = _date(raw["period_start"], "period_start", problems)
    end = _date(raw["period_end"], "period_end", problems)
    if start and end and start > end:
        problems.append(("period_end", f"({end}) is before the start of the period ({start})"))
    value, numerator, denominator = _amounts(metric, raw, problems)
    breakdown, group = raw["breakdown"], raw["group"]
    if breakdown and breakdown not in BREAKDOWNS:
        problems.append(("breakdown", f"“{breakdown}” is not a breakdown; use one of "
                                      f"{', '.join(BREAKDOWNS)}, or leave it empty for the "
                                      "total"))
    elif breakdown and not group:
        problems.append(("group", f"is missing: which {breakdown.replace('_', ' ')} group "
                                  "this is"))
    elif group and not breakdown:
        problems.append(("group", "must be empty for a total (no breakdown)"))
    elif breakdown == "neighbourhood":
        if scope == "neighbourhood":
            problems.append(("breakdown", "cannot be neighbourhood for a neighbourhood's own "
                                          "figures"))
        elif group not in lookup.neighbourhoods:
            problems.append(("group", f"“{group}” is not a known neighbourhood's slug"))
    for name, limit in (("group", 80), ("source", 160), ("note", 2000)):
        if len(raw[name]) > limit:
            problems.append((name, f"is longer than {limit} characters"))
    if metric is not None and end is not None:
        from ..agreements.rules import import_refusal

        refused = import_refusal(metric, end, lookup.today)
        if refused:
            problems.append((None, refused))
    if problems:
        return None, problems
    return Row(metric, scope, ref, hood_id, project_id, start, end, value, numerator,
               denominator, breakdown, group, raw["source"], raw["note"]), []


def existing_cell(row: Row) -> Measurement | None:
    return db.session.scalar(select(Measurement).where(
        Measurement.metric_id == row.metric.id, Measurement.scope == row.scope,
        Measurement.scope_ref == row.scope_ref, Measurement.period_start == row.period_start,
        Measurement.period_end == row.period_end, Measurement.breakdown == row.breakdown,
        Measurement.group_name == row.group_name))


def new_measurement(row: Row, actor) -> Measurement:
    return Measurement(
        metric_id=row.metric.id, scope=row.scope, scope_ref=row.scope_ref,
        neighbourhood_id=row.neighbourhood_id, project_id=row.project_id,
        period_start=row.period_start, period_end=row.period_end, value=row.value,
        numerator=row.numerator, denominator=row.denominator, breakdown=row.breakdown,
        group_name=row.group_name, source=row.source, note=row.note,
        entered_by_id=getattr(actor, "id", None))


def add_measurement(actor, metric: Metric, raw: dict[str, str]) -> Measurement:
    """Enter one cell by hand. A cell already measured is refused, never overwritten: a
    correction goes through the CSV import, which reports what it updated."""
    row, problems = check_row(raw, Lookup.load(), metric)
    if problems:
        raise Invalid(problems)
    taken = Invalid([(None, f"There is already a measurement for this cell ({row.describe()}). "
                            "Nothing was changed; to correct it, import a CSV file with the "
                            "new value.")])
    if existing_cell(row) is not None:
        raise taken
    measurement = new_measurement(row, actor)
    try:
        with db.session.begin_nested():
            db.session.add(measurement)
    except IntegrityError:  # entered by someone else a moment ago
        raise taken from None
    record(actor, "measurement.add", f"metric:{metric.key}", scope=row.scope,
           scope_ref=row.scope_ref, period_start=row.period_start.isoformat(),
           period_end=row.period_end.isoformat(), breakdown=row.breakdown)
    return measurement
