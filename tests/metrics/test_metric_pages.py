"""The public catalogue and metric pages: what they say, and that hidden cells stay hidden."""
from __future__ import annotations

import re
from datetime import date

import pytest

from tests.conftest import main_of

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
Q2 = (date(2026, 4, 1), date(2026, 6, 30))


def _without_svg(html: str) -> str:
    return re.sub(r"<svg.*?</svg>", "", html, flags=re.S)


def _cells(html: str) -> list[str]:
    """The text of every data cell outside the charts."""
    return [re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", _without_svg(html), flags=re.S)]


def _row(html: str, label: str) -> str:
    """The value cell of the table row headed ``label`` (first match)."""
    match = re.search(rf'<th scope="row">{re.escape(label)}</th><td class="num">([^<]*)</td>',
                      html)
    assert match, f"no row {label!r}"
    return match.group(1)


def test_catalogue_lists_every_metric_with_its_facts(client, make_metric):
    make_metric("violent-injuries", name="Violent injuries", unit="injuries", better="lower",
                source="hospital", supplier="St Mary's A&E", frequency="quarterly")
    make_metric("feel-safe", kind="percent", name="Residents who feel safe", unit="%",
                better="higher", source="survey", supplier="Council survey team",
                frequency="yearly")
    page = client.get("/metrics/")
    assert page.status_code == 200
    html = main_of(page.data).decode()
    assert 'href="/metrics/violent-injuries"' in html and 'href="/metrics/feel-safe"' in html
    for text in ("Violent injuries", "injuries", "Lower is better", "Hospital",
                 "St Mary&#39;s A&amp;E", "Quarterly", "Residents who feel safe",
                 "Higher is better", "Survey", "Council survey team", "Yearly"):
        assert text in html, text
    assert "New metric" not in html  # staff links are for staff


def test_metric_page_shows_definition_and_data_sharing_agreement(client, make_metric):
    make_metric("violent-injuries", name="Violent injuries", definition="Assault injuries "
                "seen in **A&E**.", unit="injuries", better="lower", source="hospital",
                supplier="St Mary's A&E", frequency="monthly",
                sharing_what="Monthly counts by age band and neighbourhood.",
                sharing_consent="No consent needed: no person can be identified.",
                sharing_retention="Kept for five years, then deleted.")
    html = main_of(client.get("/metrics/violent-injuries").data).decode()
    assert "<strong>A&amp;E</strong>" in html
    for text in ("Lower is better", "Hospital", "St Mary&#39;s A&amp;E", "Monthly"):
        assert text in html
    sharing = html[html.index('id="sharing"'):]
    for text in ("Monthly counts by age band and neighbourhood.",
                 "No consent needed: no person can be identified.",
                 "Kept for five years, then deleted."):
        assert text in sharing
    assert "No measurements have been published" in html
    assert "between 1 and 10: hidden to protect the people counted" in html


def test_unknown_metric_is_404(client, make_metric):
    make_metric()
    assert client.get("/metrics/no-such-metric").status_code == 404


def test_totals_chart_and_table_with_a_hidden_period_as_a_gap(client, make_metric, measure):
    metric = make_metric(name="Violent injuries")
    measure(metric, 6, *Q1)
    measure(metric, 1234, *Q2)
    html = client.get("/metrics/violent-injuries").data.decode()
    assert _row(html, "2026-01-01 – 2026-03-31") == "&lt;11"
    assert _row(html, "2026-04-01 – 2026-06-30") == "1,234"
    svg = re.search(r"<svg.*?</svg>", html, flags=re.S).group(0)
    assert "<script" not in svg.lower() and 'role="img"' in svg
    # the only point drawn is the visible one: the hidden period is a gap, not a value
    assert re.findall(r'<desc class="value">([^<]*)</desc>', svg) == ["1,234"]
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", html, flags=re.S).group(1)
    assert "2 periods" in caption and "1 period is hidden" in caption and "1,234" in caption
    assert "#0072B2" in svg  # Okabe–Ito blue


def test_no_raw_value_of_a_hidden_cell_reaches_the_page(client, make_metric, make_hood,
                                                        measure):
    """Counts 1..10, a complementary cell, small neighbourhood totals, a rate over few people."""
    make_hood("northside", "Northside")
    make_hood("southside", "Southside")
    metric = make_metric(name="Violent injuries")
    measure(metric, 6, *Q1)  # a small total
    measure(metric, 1000, *Q2)
    for n in range(1, 11):  # ten small groups: 55 people
        measure(metric, n, *Q2, breakdown="age_band", group=f"band-{n:02d}")
    measure(metric, 389, *Q2, breakdown="age_band", group="band-big-a")
    measure(metric, 556, *Q2, breakdown="age_band", group="band-big-b")
    measure(metric, 4, *Q2, breakdown="gender", group="woman")
    measure(metric, 600, *Q2, breakdown="gender", group="man")
    measure(metric, 396, *Q2, breakdown="gender", group="other")  # hides the 4 from the total
    measure(metric, 7, *Q2, scope="neighbourhood", scope_ref="northside")
    measure(metric, 993, *Q2, scope="neighbourhood", scope_ref="southside")
    # Southside's own breakdown would add up to its hidden total, and so give away Northside's
    for group, n in (("under-65", 500), ("65-plus", 493)):
        measure(metric, n, *Q2, scope="neighbourhood", scope_ref="southside",
                breakdown="age_band", group=group)
    page = client.get("/metrics/violent-injuries")
    assert page.status_code == 200
    html = page.data.decode()
    text = _without_svg(html)

    for n in range(1, 11):
        assert _row(html, f"band-{n:02d}") == "&lt;11"
    assert _row(html, "band-big-a") == "389" and _row(html, "band-big-b") == "556"
    assert _row(html, "woman") == "&lt;11"
    assert _row(html, "other") == "—"
    assert _row(html, "man") == "600"
    assert _row(html, "Northside") == "&lt;11" and _row(html, "Southside") == "—"
    assert "—" in (_row(html, "under-65"), _row(html, "65-plus"))
    hidden = {str(n) for n in range(1, 11)} | {"396", "993"}
    assert not hidden & set(_cells(html)), set(_cells(html)) & hidden
    for raw in ("396", "993"):
        assert not re.search(rf"\b{raw}\b", text), raw
    # the charts draw only published totals (the neighbourhoods' are hidden: no points at all)
    drawn = re.findall(r'<desc class="value">([^<]*)</desc>', html)
    assert drawn == ["1,000"]
    assert ("hidden so that a small number cannot be worked out from the other published "
            "numbers") in html


def test_a_rate_over_few_people_is_hidden(client, make_metric, measure):
    metric = make_metric("feel-safe", kind="percent", name="Feel safe")
    measure(metric, None, *Q1, numerator=3, denominator=8)
    measure(metric, None, *Q2, numerator=30, denominator=40)
    html = client.get("/metrics/feel-safe").data.decode()
    assert _row(html, "2026-01-01 – 2026-03-31") == "—"
    assert _row(html, "2026-04-01 – 2026-06-30") == "75%"
    assert not re.search(r"\b37[.,]5\b", html)
    assert "fewer than 11 people answered" in html


def test_breakdowns_are_shown_for_the_latest_period_only(client, make_metric, measure):
    metric = make_metric()
    measure(metric, 500, *Q1)
    measure(metric, 250, *Q1, breakdown="gender", group="q1-group-a")
    measure(metric, 250, *Q1, breakdown="gender", group="q1-group-b")
    measure(metric, 800, *Q2)
    measure(metric, 300, *Q2, breakdown="gender", group="q2-group-a")
    measure(metric, 500, *Q2, breakdown="gender", group="q2-group-b")
    html = main_of(client.get("/metrics/violent-injuries").data).decode()
    assert "Breakdowns for 2026-04-01 – 2026-06-30" in html
    assert _row(html, "q2-group-a") == "300"
    assert "q1-group-a" not in html


@pytest.mark.parametrize("path", ["/metrics/", "/metrics/violent-injuries"])
def test_public_pages_link_no_raw_values_for_anonymous(client, make_metric, path):
    make_metric()
    html = client.get(path).data.decode()
    assert "/measurements" not in html and "/edit" not in html


def test_a_stored_value_no_count_can_have_stops_publication_not_the_page(client, make_metric,
                                                                         measure, staff):
    """A row written before the import refused 24-digit counts made the page, its API and CSV
    fail (Babel InvalidOperation). Now the metric is not published and staff are told why."""
    metric = make_metric()
    measure(metric, 40)
    measure(metric, 1e25, start=date(2026, 4, 1), end=date(2026, 6, 30))
    page = client.get("/metrics/violent-injuries")
    assert page.status_code == 200
    assert b"not published at the moment" in page.data
    assert b"is not a number that can be published" in page.data  # staff see why
    api = client.get("/api/v1/metrics/violent-injuries/measurements")
    assert api.status_code == 200 and api.get_json()["items"] == []


def test_no_empty_chart_and_neighbourhoods_fold_away(client, make_metric, make_hood, measure):
    """Issue 18: a metric page was 11,770 px tall, with a full-size "No data" chart for a
    scope whose totals were all hidden."""
    make_hood("northside", "Northside")
    metric = make_metric(name="Violent injuries")
    measure(metric, 500, *Q1)
    measure(metric, 520, *Q2)
    measure(metric, 4, *Q1, scope="neighbourhood", scope_ref="northside")
    measure(metric, 3, *Q2, scope="neighbourhood", scope_ref="northside")
    html = client.get("/metrics/violent-injuries").get_data(as_text=True)
    city, hood = html.split('<section aria-labelledby="scope-')[1:3]
    assert "<svg" in city and "<details>" not in city
    assert hood.startswith('2" class="metric-scope">') and "<details><summary><h2" in hood
    assert "<svg" not in hood and "No chart: none of these totals can be shown." in hood
    assert _row(hood, "2026-01-01 – 2026-03-31") == "&lt;11"
