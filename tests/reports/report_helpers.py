"""Reading a report's tables back out of its HTML, CSV and JSON."""
from __future__ import annotations

import csv
import io
import json
import re


def row_cells(page: bytes, label: str) -> list[str]:
    """The cells after the row header ``label`` in the page's tables (first match)."""
    match = re.search(rf'<tr><th scope="row">(?:<a [^>]*>)?{re.escape(label)}(?:</a>)?</th>'
                      rf'(.*?)</tr>'.encode(), page, re.S)
    assert match, f"no row {label!r}"
    return [c.decode() for c in re.findall(rb"<td[^>]*>(.*?)</td>", match.group(1), re.S)]


def table_html(page: bytes, table_id: str) -> bytes:
    start = page.find(f'<div class="report-block" id="{table_id}">'.encode())
    assert start != -1, f"no table {table_id}"
    return page[start:page.find(b"</table>", start)]


def csv_rows(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def csv_cell(rows: list[dict], table: str, row: str, column: str) -> dict:
    found = [r for r in rows if r["table"] == table and r["row"] == row and r["column"] == column]
    assert len(found) == 1, f"{table}/{row}/{column}: {found}"
    return found[0]


def json_table(doc: dict, table_id: str) -> dict:
    for section in doc["sections"]:
        for t in section["tables"]:
            if t["id"] == table_id:
                return t
    raise AssertionError(f"no table {table_id}")


def json_row(t: dict, label: str) -> dict:
    rows = t["rows"] + ([t["total"]] if t.get("total") else [])
    return next(r for r in rows if r["label"] == label)


def get_json(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return json.loads(response.data)


def text_of(cell_html: str) -> str:
    import html
    return html.unescape(re.sub(r"<[^>]+>", "", cell_html)).strip()


def html_rows(fragment: bytes) -> list[tuple[str, list[str]]]:
    """Every body and total row of one table, in order: (label, [cell texts])."""
    out = []
    for label, cells in re.findall(rb'<tr><th scope="row">(.*?)</th>(.*?)</tr>', fragment, re.S):
        out.append((text_of(label.decode()),
                    [text_of(c.decode()) for c in re.findall(rb"<td[^>]*>(.*?)</td>", cells,
                                                             re.S)]))
    return out
