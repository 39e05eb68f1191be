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
    expect(page.locator("ol.override-changes li").first).to_contain_text("sold by the council")
    part = "part-funded" if locale == "en-GB" else "financiada en parte"
    expect(page.locator("p.part-funded").first).to_contain_text(part)
