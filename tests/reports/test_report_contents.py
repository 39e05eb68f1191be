"""Issue 23: a cycle report opens with its contents (in-page links to each part, and a way back
after each), shows its turnout once (the participation part; the results part leaves out its
copy), and the board report's money axis carries few enough labels not to overlap."""
import re

import pytest


@pytest.fixture()
def city(runner):
    out = runner.invoke(args=["demo", "--ballots", "300"])  # the suite's usual city (cached)
    assert out.exit_code == 0, out.output


def test_the_report_has_contents_and_one_turnout(client, city):
    page = client.get("/reports/cycles/2026-spring").get_data(as_text=True)
    toc = re.search(r'<nav class="report-toc" id="report-contents".*?</nav>', page, re.S).group(0)
    targets = re.findall(r'href="#(section-[\w-]+)"', toc)
    assert len(targets) >= 5 and targets[:2] == ["section-participation", "section-results"]
    for target in targets:
        assert f'<section class="report-section" id="{target}"' in page
    assert page.count('href="#report-contents"') == len(targets)
    # the results page's turnout and polling-place tables, which the participation part holds
    assert "Voters by how they voted" not in page and 'id="polling-places"' not in page
    assert "Turnout by how people voted" in page and "Paper ballots by polling place" in page
    results = client.get("/cycles/2026-spring/results").get_data(as_text=True)
    assert "Voters by how they voted" in results and "report-contents" not in results
    es = client.get("/reports/cycles/2026-spring", headers={"Accept-Language": "es"}).text
    assert ">Contenido</h2>" in es and "Volver al contenido" in es


def test_the_board_report_money_axis_has_few_labels(client, city):
    page = client.get("/reports/boards/east-safety").get_data(as_text=True)
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    # the axis's numbers: the printed values on the bars have class="value"
    labels = re.findall(r'<text [^>]*class="(?:major)?">([0-9][0-9,.]*)</text>', svg)
    assert 2 <= len(labels) <= 6, labels  # 0 to 180,000 in steps of 20,000 overlapped
