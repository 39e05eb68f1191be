"""A report as CSV or JSON: the same dict the page is drawn from, so the three agree.

CSV is one tidy table, one line per cell, with the header
``section,table,row,column,value,suppressed``:

* section: the report section's id (participation, results, projects, progress, ...)
* table: the table's id (turnout-neighbourhood, round-2, projects, equity-<metric>-..., ...)
* row: the row's label as the page shows it (a neighbourhood, a project's title, "Total")
* column: the column's key (count, budget, spent, status, value, ...)
* value: the number or text; for a hidden cell, what the page shows instead ("<11" for 1 to
  10 people, "—" for a cell hidden so a small one cannot be worked out from the other
  published numbers, or a rate resting on fewer than 11 people)
* suppressed: empty, or why the cell is hidden (small, complementary, small-numerator,
  small-denominator; retention when a metric's data-sharing agreement has passed its
  retention date)

Money is in whole currency units, dates are ISO 8601. Any cell that starts with = + - @, a tab
or a carriage return gets a leading apostrophe, so a spreadsheet shows it instead of running
it as a formula; a plain number (-8997023, -1.5) is left as it is, since it runs nothing.

JSON is the nested report: ``sections`` → ``tables`` → ``rows`` → ``cells``, each cell
``{"value", "display", "suppressed"}`` with ``value`` null whenever the cell is hidden.
"""
from __future__ import annotations

import csv
import io
import json

from ..numbers import is_plain_number
from .cells import all_cells

HEADER = ("section", "table", "row", "column", "value", "suppressed")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not is_plain_number(text):
        return "'" + text
    return text


def _csv_value(c: dict):
    if c["suppressed"]:
        return c["display"]
    if isinstance(c["value"], bool):
        return "yes" if c["value"] else "no"
    return c["value"]


def report_csv(report: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for section, t, r, col, c in all_cells(report):
        writer.writerow([neutralised(v) for v in (
            section["id"], t["id"], r["label"], col["key"], _csv_value(c), c["suppressed"])])
    return out.getvalue()


def report_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2, default=str)
