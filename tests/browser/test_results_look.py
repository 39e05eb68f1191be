"""Results and a report read on a 390-pixel phone and on a desktop, in English and Spanish:
no chart text under 12 px (a chart too narrow for that gives way to its table), nothing wider
than the screen, not even inside a table that could scroll sideways."""
import pytest
from browser_helpers import PHONE
from playwright.sync_api import expect

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PAGES = {"results": "/cycles/2026-spring/results", "report": "/reports/cycles/2026-spring"}
#: chart text as drawn on screen: its font size times the chart's scale
SMALL_TEXT_JS = """() => [...document.querySelectorAll('svg text')]
  .filter(t => t.getClientRects().length && t.textContent.trim())
  .map(t => ({text: t.textContent.trim().slice(0, 40),
              px: parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a}))
  .filter(t => t.px < 12)"""
WIDE_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('main *')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .map(e => e.tagName.toLowerCase() + ': ' + (e.textContent || '').trim().slice(0, 30));
  const scrolls = [...document.querySelectorAll('main .table-wrap, main figure')]
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => (e.querySelector('caption, figcaption') || e).textContent.trim().slice(0, 40));
  return {extra: wide.length ? document.documentElement.scrollWidth - width : 0, wide: wide.slice(0, 5), scrolls};
}"""
#: printed values that spill out of their bar, on desktop
SPILL_JS = """() => [...document.querySelectorAll('svg text.value')]
  .filter(t => t.getClientRects().length).map(t => t.textContent)"""


@pytest.mark.parametrize("locale", ["en-GB", "es-ES"])
def test_results_and_report_fit_a_phone_with_readable_charts(new_page, shot, locale):
    page = new_page(**PHONE, locale=locale)
    for name, path in PAGES.items():
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        assert page.evaluate(SMALL_TEXT_JS) == [], f"chart text under 12 px on {path}"
        overflow = page.evaluate(WIDE_JS)
        assert overflow == {"extra": 0, "wide": [], "scrolls": []}, path
        # the chart's numbers are still on the page, in its caption and table
        expect(page.locator("figure.chart figcaption").first).to_be_visible()
        shot(page, f"{name}-phone")


@pytest.mark.parametrize("locale", ["en-GB", "es-ES"])
def test_results_and_report_charts_on_a_desktop(new_page, shot, locale):
    page = new_page(**DESKTOP, locale=locale)
    for name, path in PAGES.items():
        page.goto(path)
        charts = page.locator("figure.chart svg")
        expect(charts.first).to_be_visible()
        assert page.evaluate(SMALL_TEXT_JS) == [], f"chart text under 12 px on {path}"
        assert page.evaluate(WIDE_JS)["extra"] == 0, path
        shot(page, f"{name}-desktop")
    page.goto(PAGES["results"])
    assert page.evaluate(SPILL_JS) == []  # values are in labels and the legend, not on bars
    left = "Left over: " if locale == "en-GB" else "Sobrante: "
    expect(page.locator("#chart-budget ~ *, figure.chart svg").filter(has_text=left).first) \
        .to_be_visible()
    # issue 19: the demo's override and part-funded project, computed beside final
    table = page.locator("table.computed-final")
    expect(table).to_be_visible()
    heads = table.locator("thead th").all_inner_texts()
    assert len(heads) == 3 and heads[1] != heads[2]  # proposal, computed, final side by side
    assert table.locator("tbody tr").count() >= 2
    sold = "sold by the council" if locale == "en-GB" else "El ayuntamiento vendió el terreno"
    expect(page.locator("ol.override-changes li").first).to_contain_text(sold)
    part = "part-funded" if locale == "en-GB" else "financiada en parte"
    expect(page.locator("p.part-funded").first).to_contain_text(part)


#: each chart's numbers that are not on a table: text cut off by the chart's own edge
CLIPPED_JS = """() => [...document.querySelectorAll('figure.chart svg')].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter(t => t.getClientRects().length
      && t.textContent.trim()).filter(t => { const r = t.getBoundingClientRect();
      return r.left < box.left - 1 || r.right > box.right + 1; })
    .map(t => t.textContent.trim().slice(0, 40)); })"""
#: the numbers each chart writes beside a name ("Riverside: 812", "Canal Walk: budget 90,000;
#: spent 12,400", "Safe routes (funded): 3,710") and every number the page's tables (and
#: sentences beside them, such as the results' "Budget 600,000, spent ...") hold
NUMBERS_JS = r"""() => {
  const tokens = s => s.match(/\d[\d.,\u00a0]*\d|\d/g) || [];
  const charted = [...document.querySelectorAll('figure.chart svg text')]
    .map(t => t.textContent.trim()).filter(s => /: .*\d/.test(s))
    .flatMap(s => tokens(s.slice(s.lastIndexOf(': ') + 2)));
  const tabled = new Set([...document.querySelectorAll('main td, main th, main p:not(figure p)')]
    .flatMap(c => tokens(c.textContent)));
  return {charted, missing: charted.filter(n => !tabled.has(n))};
}"""


def _a_project_and_a_metric(site) -> tuple[int, str]:
    from sqlalchemy import select

    from pbapp.extensions import db
    from pbapp.metrics.models import ProjectMetric
    from pbapp.projects.models import Spending

    with site.context():
        target = db.session.scalars(select(ProjectMetric).order_by(ProjectMetric.id)).first()
        return (db.session.scalar(select(Spending.project_id).order_by(Spending.project_id)),
                target.metric.key)


def test_chart_numbers_match_their_tables_and_stay_in_their_charts(new_page, site):
    """Issue 18: every number a chart writes is written the same in the table beside it (3,710
    in English, 3.710 in Spanish, a rate with its one decimal), nothing spills out of a chart at
    1280 px, and at 390 px a report, a project's report and its page keep chart text at 12 px
    or more with nothing wider than the screen."""
    project, metric = _a_project_and_a_metric(site)
    pages = [PAGES["results"], PAGES["report"], f"/reports/projects/{project}",
             f"/metrics/{metric}", f"/projects/{project}"]
    for locale in ("en-GB", "es-ES"):
        desktop = new_page(**DESKTOP, locale=locale)
        for path in pages[:4]:
            desktop.goto(path)
            expect(desktop.locator("figure.chart svg").first).to_be_visible()
            assert desktop.evaluate(SPILL_JS) == [], path  # no value printed on a bar
            assert desktop.evaluate(CLIPPED_JS) == [], path
            numbers = desktop.evaluate(NUMBERS_JS)
            assert numbers["missing"] == [], (locale, path, numbers)
            assert numbers["charted"] or path.startswith("/metrics/")  # a line has no labels
        grouped = "600.000" if locale == "es-ES" else "600,000"
        desktop.goto(PAGES["report"])
        assert grouped in desktop.locator("main").inner_text()
        desktop.context.close()
        phone = new_page(**PHONE, locale=locale)
        for path in pages[1:]:
            phone.goto(path)
            expect(phone.locator("main h1")).to_be_visible()
            assert phone.evaluate(SMALL_TEXT_JS) == [], (locale, path)
            assert phone.evaluate(WIDE_JS)["extra"] == 0, (locale, path)
        phone.context.close()
