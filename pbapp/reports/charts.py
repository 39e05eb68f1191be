"""The reports' charts, drawn from the same table dicts the page and downloads show.

Built like ``pbapp.cycles.charts``: SVG on the server, no script, Okabe–Ito colours, named by a
caption that holds a one-sentence summary, and the table beside it holds the numbers. A hidden
cell has no value in its table dict, so it is never drawn and never named in the SVG.
"""
from __future__ import annotations

import json

import pygal

from ..cycles.charts import TWO_TONE, Chart, Kept, chart_config, number, render_svg
from .participation import NOT_RECORDED
from .words import get_locale, gettext, ngettext


def _values(t: dict, key: str) -> list:
    """The column's values, each printed as its table cell is (3,710 / 3.710; a rate with its
    one decimal), so the chart and the table beside it say the same; hidden cells are None."""
    out = []
    for r in t["rows"]:
        c = r["cells"][key]
        out.append(None if c["value"] is None else
                   {"value": c["value"], "formatter": lambda _v, shown=c["display"]: shown})
    return out


def _label(r: dict, keys: list[str], names: list[str]) -> str:
    """A row's name with its numbers as the table shows them ("Riverside: 812"; two series:
    "Canal Walk: budget 90,000; spent 12,400"), or "<11" / "—" where a cell is hidden. The
    numbers are in the label, not on the bars, where a short bar cannot hold them."""
    shown = [r["cells"][k]["display"] for k in keys]
    if len(keys) == 1:
        return gettext("%(name)s: %(value)s", name=r["label"], value=shown[0])
    return gettext("%(name)s: %(values)s", name=r["label"], values="; ".join(
        f"{n.lower()} {v}" for n, v in zip(names, shown)))


def _bars(t: dict, cid: str, series: list[tuple[str, str]], style=None) -> str:
    """``series``: (legend name, column key) pairs."""
    labels = [_label(r, [k for _, k in series], [n for n, _ in series]) for r in t["rows"]]
    # at most five labels on the value axis (the board report's money axis wrote 0 to 180,000
    # in steps of 20,000, one over another)
    config = dict(title=t["title"], height=150 + 34 * len(labels) * len(series),
                  legend_at_bottom=True, x_labels_major_count=5, show_minor_x_labels=False)
    chart = chart_config(pygal.HorizontalBar, cid, **({"style": style} if style else {}),
                          **config)
    chart.x_labels = labels[::-1]  # pygal draws the first label at the bottom
    for name, key in series:
        chart.add(name, _values(t, key)[::-1])
    return render_svg(chart)


def counts_chart(t: dict) -> Chart:
    """Voters per group: "Turnout was 3,000; Riverside had the most voters (812)."."""
    cid = f"report-chart-{t['id']}"
    total = t["total"]["cells"]["count"]
    shown = [(r["cells"]["count"]["value"], r["label"]) for r in t["rows"]
             if r["key"] != NOT_RECORDED and r["cells"]["count"]["value"]]
    hidden = sum(1 for r in t["rows"] if r["cells"]["count"]["suppressed"])
    summary = gettext("Turnout was %(total)s", total=total["display"])
    if shown:
        most, name = max(shown)
        summary += "; " + gettext("%(name)s had the most voters (%(count)s)", name=name,
                                  count=number(most))
    if hidden:
        summary += "; " + ngettext("%(num)d group is hidden to protect the people counted",
                                   "%(num)d groups are hidden to protect the people counted",
                                   hidden)
    svg = _bars(t, cid, [(t["columns"][0]["label"], "count")])
    return Chart(cid, t["title"], summary + ".", svg)


def budget_chart(t: dict) -> Chart:
    """Each funded project's budget beside what it has spent."""
    cid = f"report-chart-{t['id']}"
    budget, spent = t["total"]["cells"]["budget"], t["total"]["cells"]["spent"]
    summary = ngettext("Across %(num)d funded project, %(spent)s of %(budget)s has been spent",
                       "Across %(num)d funded projects, %(spent)s of %(budget)s has been spent",
                       len(t["rows"]), spent=spent["display"], budget=budget["display"])
    spending = [(r["cells"]["spent"]["value"], r["label"]) for r in t["rows"]
                if r["cells"]["spent"]["value"]]
    if spending:
        most, name = max(spending)
        summary += "; " + gettext("%(name)s has spent the most (%(spent)s)", name=name,
                                  spent=number(most))
    svg = _bars(t, cid, [(gettext("Budget"), "budget"), (gettext("Spent"), "spent")],
                TWO_TONE)
    return Chart(cid, gettext("Budget and spending of each project"), summary + ".", svg)


def spending_chart(t: dict) -> Chart:
    cid = f"report-chart-{t['id']}"
    spent = t["total"]["cells"]["spent"]
    summary = gettext("Spent %(spent)s of the %(budget)s budget", spent=spent["display"],
                      budget=number(t["budget"]))
    used = [(r["cells"]["spent"]["value"], r["label"]) for r in t["rows"]
            if r["cells"]["spent"]["value"]]
    if used:
        most, name = max(used)
        summary += "; " + gettext("most on %(category)s (%(spent)s)", category=name.lower(),
                                  spent=number(most))
    svg = _bars(t, cid, [(gettext("Spent"), "spent")])
    return Chart(cid, t["title"], summary + ".", svg)


def trend_chart(t: dict) -> Chart:
    """The measured totals by period, with the baseline and target drawn as flat lines."""
    cid = f"report-chart-{t['id']}"
    baseline, target = t["baseline"]["value"], t["target"]["value"]
    labels = [r["label"] for r in t["rows"]]
    values = _values(t, "value")
    if not labels:
        labels = [t["baseline"]["period"], t["target"]["on"]]
        values = [None, None]
    css = [f".{cid} .serie-1 .line.reactive {{stroke-dasharray: 8 5 !important}}",
           f".{cid} .serie-2 .line.reactive {{stroke-dasharray: 2 4 !important}}"]
    # periods ("2025-01-01 – 2025-03-31") are long: centred under the first and last points
    # they ran off the chart, so they slope from their point, with room kept on the right
    slope = dict(x_label_rotation=30, margin_right=int(7 * max(map(len, labels), default=0)))
    chart = chart_config(pygal.Line, cid, css=css, title=t["title"], height=360,
                          legend_at_bottom=True, include_x_axis=False, dots_size=4,
                          **(slope if len(labels) > 1 else {}))
    chart.x_labels = labels
    chart.add(gettext("Measured"), values)
    chart.add(gettext("Baseline"), [baseline] * len(labels), show_dots=False)
    chart.add(gettext("Target"), [target] * len(labels), show_dots=False)
    latest = next((r for r in reversed(t["rows"]) if r["cells"]["value"]["value"] is not None),
                  None)
    if latest is None:
        summary = gettext("No measurement can be shown yet")
    else:
        summary = gettext("Latest %(value)s (%(period)s)", value=latest["cells"]["value"]
                          ["display"], period=latest["label"])
    summary += "; " + t["caption"][0].lower() + t["caption"][1:]
    return Chart(cid, t["title"], summary, render_svg(chart))


def _drawing(t: dict):
    """The function that draws this table's chart, if it has one."""
    if t["id"] in ("turnout-neighbourhood", "turnout-age"):
        return counts_chart
    if t["id"] == "projects" and t["rows"]:
        return budget_chart
    if t["id"] == "spending":
        return spending_chart
    if t["id"].startswith("trend-"):
        return trend_chart
    return None


_drawn = Kept(128)


def _drawn_once(draw, t: dict) -> Chart:
    """A chart is a function of its table and the reader's language alone, and drawing it
    (pygal) costs more than gathering the whole report: each is drawn once and kept, as
    ``cycles.charts.cached_charts`` keeps a count's. Changed numbers make another table, so
    they are drawn afresh."""
    key = (draw.__name__, str(get_locale()), json.dumps(t, sort_keys=True, default=str))
    return _drawn.get(key, lambda: draw(t))


def report_charts(report: dict) -> dict[str, Chart]:
    """The chart for each table that has one, by table id."""
    out = {}
    for s in report["sections"]:
        for t in s["tables"]:
            draw = _drawing(t)
            if draw is not None:
                out[t["id"]] = _drawn_once(draw, t)
    return out
