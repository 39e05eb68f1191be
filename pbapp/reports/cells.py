"""The one shape every report table takes, so the page, the CSV and the JSON show the same cells.

A table is a dict: ``id``, ``title``, ``columns`` ([{key, label, numeric, markdown}]), ``rows``
([{key, label, url, cells: {column key: cell}}]) and an optional ``total`` row. A cell is
``{value, display, suppressed}``: ``value`` is what a program reads (None when hidden),
``display`` what a person reads ("<11" or "—" when hidden), ``suppressed`` why it is hidden.
Counts of people go through ``protected_counts`` and metric tables through ``from_metric``, so
nothing reaches a report without small-cell protection.
"""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from flask_babel import to_user_timezone

from .. import dates
from ..metrics.suppression import protect_counts
from ..metrics.tables import HIDDEN_TEXT, Table, number_text
from .words import get_locale


def cell(value, display: str | None = None, suppressed: str | None = None) -> dict:
    if display is None:
        if value is None:
            display = ""
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            display = number_text(value)
        else:
            display = str(value)
    return {"value": value, "display": display, "suppressed": suppressed}


def hidden(reason: str) -> dict:
    return cell(None, HIDDEN_TEXT[reason], reason)


def money(cents: int | None) -> dict:
    """Whole currency units, as the rest of the site shows money."""
    return cell(None if cents is None else cents // 100)


def day(when: date | datetime | None) -> dict:
    """A date (a time is taken in the reader's time zone): ISO for programs, words for people."""
    if when is None:
        return cell(None)
    if isinstance(when, datetime):
        when = to_user_timezone(when).date()
    return cell(when.isoformat(), _day_in(str(get_locale()), when))


@lru_cache(maxsize=1024)
def _day_in(_locale: str, when: date) -> str:
    """``dates.day``, kept per language and date: a report writes a hundred dates."""
    return dates.day(when)


def local_day(when: date | datetime) -> date:
    return to_user_timezone(when).date() if isinstance(when, datetime) else when


def column(key: str, label: str, numeric: bool = False, markdown: bool = False) -> dict:
    return {"key": key, "label": label, "numeric": numeric, "markdown": markdown}


def row(key, label: str, cells: dict, url: str | None = None) -> dict:
    return {"key": str(key), "label": label, "url": url, "cells": cells}


def table(id: str, title: str, columns: list[dict], rows: list[dict], total: dict | None = None,
          caption: str = "", header: str = "") -> dict:
    """``header`` names the rows' label column (Neighbourhood, Project, ...)."""
    return {"id": id, "title": title, "caption": caption, "header": header, "columns": columns,
            "rows": rows, "total": total}


def protected_counts(id: str, title: str, header: str, column_label: str,
                     groups: list[tuple[str, str]], counts: list[int], total: int,
                     total_label: str, caption: str = "") -> dict:
    """A one-dimensional table of people counted, cells and total protected together."""
    decision = protect_counts(counts, total)
    col = column("count", column_label, numeric=True)
    rows = [row(key, label, {"count": hidden(decision.hidden[i]) if i in decision.hidden
                             else cell(count)})
            for i, ((key, label), count) in enumerate(zip(groups, counts))]
    total_cell = hidden(decision.total_hidden) if decision.total_hidden else cell(total)
    return table(id, title, [col], rows, row("total", total_label, {"count": total_cell}),
                 caption, header)


def from_metric(t: Table, id: str, title: str, header: str, value_label: str,
                total_label: str) -> dict:
    """One of ``pbapp.metrics.tables``' protected tables, cell for cell."""
    def convert(c) -> dict:
        return cell(c.value, c.display, c.hidden)
    rows = [row(c.group, c.label, {"value": convert(c)}) for c in t.cells]
    return table(id, title, [column("value", value_label, numeric=True)], rows,
                 row("total", total_label, {"value": convert(t.total)}), header=header)


def all_cells(report: dict):
    """Every (section, table, row, column, cell) of a report, in page order."""
    for section in report["sections"]:
        for t in section["tables"]:
            rows = t["rows"] + ([t["total"]] if t.get("total") else [])
            for r in rows:
                for col in t["columns"]:
                    if col["key"] in r["cells"]:
                        yield section, t, r, col, r["cells"][col["key"]]
