"""A count's charts as SVG drawn on the server, so they work without JavaScript and print.

Pure functions: a result's JSON in, ``Chart``s out. Each chart carries a text caption that says
what it shows, for readers who cannot see it; the page puts the same numbers in a table beside it.
pygal writes a ``<script>`` with its settings into every chart; it is removed here, because the
charts need none and the site's Content-Security-Policy is to forbid inline scripts.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import pygal
from babel.numbers import format_decimal
from flask_babel import get_locale, gettext, ngettext
from markupsafe import Markup
from pygal.style import Style

from .. import tally

#: Okabe–Ito colours: told apart with the common forms of colour blindness, and in greyscale print
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")
STYLE_SETTINGS = dict(
    background="white", plot_background="white", foreground="#222", foreground_strong="#111",
    foreground_subtle="#bbb", opacity=".9", opacity_hover="1", transition="none",
    guide_stroke_color="#ccc", major_guide_stroke_color="#999",
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    label_font_size=15, major_label_font_size=15, value_font_size=15, legend_font_size=15,
    title_font_size=17, tooltip_font_size=15, no_data_font_size=17, value_label_font_size=15)
#: the narrowest a chart is drawn: 15 px text in an 800-wide chart stays at 12 px or more down to
#: this width; narrower (a phone) the page shows the chart's table instead (see site.css)
CHART_WIDTH, NARROWEST = 800, 640
STYLE = Style(colors=COLOURS, **STYLE_SETTINGS)
#: chosen (elected, funded, spent) against the rest
TWO_TONE = Style(colors=("#0072B2", "#BBBBBB"), **STYLE_SETTINGS)
RANKED_VOTES = ("irv", "stv")  # methods whose tallies are votes; others report a score


@dataclass(frozen=True)
class Chart:
    id: str  # the caption's id, which the SVG names as its label
    title: str
    caption: str
    svg: Markup


def number(value) -> str:
    """1,234 for whole numbers, at most two decimals otherwise (STV moves fractions of votes;
    equal shares prices points), written as the reader's language writes numbers (1.234 in
    Spanish). Tables, charts and round sentences all use it, so they agree."""
    if value is None:
        return "–"
    if float(value).is_integer():
        value = int(value)
    return format_decimal(value, format="#,##0.##", locale=str(get_locale() or "en"))


def progression(data: dict) -> list[dict]:
    """Each candidate's tally in every round, and the round that decided it, strongest first."""
    names = data.get("names", {})
    rounds = data.get("rounds") or []
    word = "funded" if data.get("method") in tally.PB_METHODS else "elected"
    rows: dict[str, dict] = {}
    for i, rnd in enumerate(rounds):
        for c, value in (rnd.get("tallies") or {}).items():
            row = rows.setdefault(c, {"id": c, "name": names.get(c, c), "outcome": None,
                                      "round": None, "values": [None] * len(rounds)})
            row["values"][i] = value
        for outcome, chosen in ((word, rnd.get("elected") or []),
                                ("eliminated", rnd.get("eliminated") or [])):
            for c in chosen:
                if c in rows and rows[c]["outcome"] is None:
                    rows[c].update(outcome=outcome, round=rnd.get("round", i + 1))
    winners = data.get("winners") or []

    def strength(row):
        last = max((i for i, v in enumerate(row["values"]) if v is not None), default=-1)
        return (row["id"] not in winners, -last, -(row["values"][last] or 0))
    return sorted(rows.values(), key=strength)


def chart_config(kind, caption_id: str, style: Style = STYLE, css: tuple = (), **config):
    chart = kind(js=[], disable_xml_declaration=True, width=CHART_WIDTH, truncate_label=-1,
                 truncate_legend=-1, print_zeroes=False, value_formatter=number, style=style,
                 classes=["pygal-chart", caption_id],
                 css=["file://style.css", "file://graph.css", *(f"inline:{c}" for c in css)],
                 **config)
    chart.add_xml_filter(lambda root: _accessible(root, caption_id))
    return chart


def _accessible(root, caption_id: str):
    """No scripts; announced as one image named by its caption (the table holds the data)."""
    for parent in list(root.iter()):
        for child in list(parent):
            if str(child.tag).rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    root.set("role", "img")
    root.set("aria-labelledby", caption_id)
    return root


def render_svg(chart) -> Markup:
    svg = chart.render(is_unicode=True)
    if "<script" in svg.lower():  # pygal changed how it embeds scripts; refuse rather than ship
        raise RuntimeError("chart SVG still contains a script")
    return Markup(svg)


def _split_bars(title: str, caption_id: str, labels: list[str], values: list, chosen: list[bool],
                chosen_word: str, other_word: str) -> Markup:
    """One horizontal bar per label, coloured (and named in the legend) by whether it was chosen.

    Each value is written in its label, not on its bar, where a short bar cannot hold it."""
    chart = chart_config(pygal.HorizontalStackedBar, caption_id, title=title,
                          height=140 + 36 * len(labels), legend_at_bottom=True, style=TWO_TONE)
    # pygal draws the first label at the bottom: reverse, so the list reads top-down
    chart.x_labels = [gettext("%(name)s: %(value)s", name=f"{label} ({chosen_word})" if ok
                              else label, value=number(value))
                      for label, value, ok in zip(labels, values, chosen)][::-1]
    chart.add(chosen_word.capitalize(), [v if ok else None for v, ok in zip(values, chosen)][::-1])
    chart.add(other_word.capitalize(), [None if ok else v for v, ok in zip(values, chosen)][::-1])
    return render_svg(chart)


def ranked_chart(data: dict) -> Chart:
    """Every candidate's votes round by round; winners drawn thick, eliminations dashed."""
    rows = progression(data)
    rounds = data.get("rounds") or []
    votes = data.get("method") in RANKED_VOTES
    value_title = gettext("Votes") if votes else gettext("Tally")
    winners = [r for r in rows if r["outcome"] == "elected"]
    unit = gettext("votes") if votes else gettext("tally")
    said = "; ".join(gettext("%(name)s in round %(round)s (%(unit)s %(value)s)", name=r["name"],
                             round=r["round"], unit=unit, value=number(_last(r)))
                     for r in winners) or gettext("nobody")
    caption = ngettext("%(proposals)d proposals over %(num)d round.",
                       "%(proposals)d proposals over %(num)d rounds.", len(rounds),
                       proposals=len(rows)) + " " + gettext("Elected: %(winners)s.", winners=said)
    out = [r for r in rows if r["outcome"] == "eliminated"]
    if out:
        caption += " " + gettext("Eliminated, in order: %(eliminated)s.", eliminated="; ".join(
            gettext("%(name)s (round %(round)s, %(unit)s %(value)s)", name=r["name"],
                    round=r["round"], unit=unit, value=number(_last(r)))
            for r in sorted(out, key=lambda r: r["round"])))
    cid = "chart-rounds"
    if len(rounds) <= 1:
        svg = _split_bars(gettext("%(what)s in round 1", what=value_title), cid,
                          [r["name"] for r in rows],
                          [_last(r) for r in rows], [r["outcome"] == "elected" for r in rows],
                          gettext("elected"), gettext("not elected"))
        return Chart(cid, gettext("%(what)s for each proposal", what=value_title), caption, svg)
    # pygal's per-series stroke width loses to its id-scoped stylesheet, hence these rules
    css = [f".{cid} .line.reactive {{stroke-width: 2.5px !important}}"]
    css += [f".{cid} .serie-{i} .line.reactive {{stroke-width: 6px !important}}"
            for i, row in enumerate(rows) if row["outcome"] == "elected"]
    css += [f".{cid} .serie-{i} .line.reactive {{stroke-dasharray: 8 5 !important}}"
            for i, row in enumerate(rows) if row["outcome"] == "eliminated"]
    title = gettext("%(what)s in each round", what=value_title)
    chart = chart_config(pygal.Line, cid, css=css, title=title,
                          height=420 + 22 * len(rows), legend_at_bottom=True,
                          legend_at_bottom_columns=1, y_title=value_title,
                          include_x_axis=True, dots_size=4)
    chart.x_labels = [gettext("Round %(num)s", num=r.get("round", i + 1))
                      for i, r in enumerate(rounds)]
    outcomes = outcome_words()
    for row in rows:
        name = row["name"]
        if row["outcome"]:
            name = gettext("%(name)s: %(outcome)s in round %(round)s", name=name,
                           outcome=outcomes.get(row["outcome"], row["outcome"]),
                           round=row["round"])
        chart.add(name, row["values"])
    return Chart(cid, title, caption, render_svg(chart))


def outcome_words() -> dict[str, str]:
    """A count's decisions in the reader's language (the codes stay English in the data)."""
    return {"funded": gettext("funded"), "elected": gettext("elected"),
            "eliminated": gettext("eliminated")}


def _last(row: dict):
    return next((v for v in reversed(row["values"]) if v is not None), None)


def pb_charts(data: dict) -> list[Chart]:
    """Each proposal's score with the funded ones marked, then the budget against what was spent."""
    names = data.get("names", {})
    projects = sorted(data.get("projects") or [], key=lambda p: (-(p.get("score") or 0),
                                                                  not p.get("funded")))
    label = [names.get(p["id"], p.get("name") or p["id"]) for p in projects]
    funded = [gettext("%(name)s (score %(score)s, cost %(cost)s)", name=n,
                      score=number(p["score"]), cost=number(p["cost"]))
              for n, p in zip(label, projects) if p.get("funded")]
    caption = (gettext("Score of each of %(num)d proposals, highest first.", num=len(projects))
               + " " + gettext("Funded: %(funded)s.", funded="; ".join(funded) or gettext("none")))
    title = gettext("Score of each proposal")
    charts = [Chart("chart-scores", title, caption, _split_bars(
        title, "chart-scores", label, [p.get("score") for p in projects],
        [bool(p.get("funded")) for p in projects], gettext("funded"), gettext("not funded")))]
    budget = data.get("budget")
    if budget is not None:
        spent = data.get("spent") or 0
        left = data.get("money_left")
        left = budget - spent if left is None else left
        caption = gettext("Spent %(spent)s of the %(budget)s budget; %(left)s left.",
                          spent=number(spent), budget=number(budget), left=number(left))
        title = gettext("Budget and spending")
        chart = chart_config(pygal.HorizontalStackedBar, "chart-budget",
                              title=title, height=200, legend_at_bottom=True, style=TWO_TONE)
        chart.x_labels = [gettext("Budget %(budget)s", budget=number(budget))]
        chart.add(gettext("Spent on funded proposals: %(spent)s", spent=number(spent)), [spent])
        chart.add(gettext("Left over: %(left)s", left=number(max(left, 0))), [max(left, 0)])
        charts.append(Chart("chart-budget", title, caption, render_svg(chart)))
    return charts


def result_charts(data: dict) -> list[Chart]:
    if data.get("method") in tally.PB_METHODS or data.get("projects"):
        return pb_charts(data)
    if not data.get("rounds"):
        return []
    return [ranked_chart(data)]


class Kept:
    """Drawn charts kept per worker, the oldest dropped first past ``size``: drawing one
    (pygal) costs more than gathering what it is drawn from."""

    def __init__(self, size: int):
        self.size = size
        self._items: dict[tuple, object] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple, draw):
        with self._lock:
            found = self._items.get(key)
        if found is None:
            found = draw()
            with self._lock:
                while len(self._items) >= self.size:
                    self._items.pop(next(iter(self._items)))
                self._items[key] = found
        return found


_kept = Kept(64)


def cached_charts(key: tuple, data: dict) -> list[Chart]:
    """``result_charts`` kept per stored result: a count never changes once it is stored.

    ``key`` must identify the count itself (id with its CVR hash and time), since ids are reused
    when a database is emptied. The charts are kept per language, since their words are.
    """
    return _kept.get((*key, str(get_locale())), lambda: result_charts(data))
