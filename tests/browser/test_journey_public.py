"""A member of the public, not signed in, reads a finished cycle: the result round by round, a
funded project, the transparency report, and the ballots as CSV to recount; then the same in
Spanish, switched with the footer's language form.
"""
import csv
import re

import pytest

from browser_helpers import SPRING_NAME, SPRING_NAME_ES
from playwright.sync_api import expect

#: the server side of this journey is tested on both databases through the test client; in the
#: browser it runs on SQLite (the cycle's own journeys, test_journey_vote_code and
#: test_journey_board_and_staff, run on PostgreSQL too)
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def open_spring_results(page) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Budget cycles").click()
    expect(page.get_by_role("heading", level=1, name="Budget cycles")).to_be_visible()
    page.get_by_role("link", name=SPRING_NAME).click()
    expect(page.get_by_role("heading", level=1, name=SPRING_NAME, exact=True)).to_be_visible()
    page.get_by_role("link", name="Results, round by round").click()
    expect(page.get_by_role("heading", name=f"Results: {SPRING_NAME}")).to_be_visible()


def test_public_reads_results_project_report_and_downloads_ballots(new_page, shot, tmp_path):
    page = new_page()
    open_spring_results(page)
    expect(page.get_by_text(re.compile(r"^200 ballots counted with Method of Equal Shares on "))
           ).to_be_visible()
    funded = page.locator("h2:text-is('Funded') + ol > li > strong")  # each then links its project
    expect(funded.first).to_be_visible()
    funded_titles = funded.all_inner_texts()
    assert len(funded_titles) >= 2, funded_titles
    # the rounds: a section per round, each with its tallies table
    rounds = page.locator("section.round")
    expect(rounds.first.get_by_role("heading", name="Round 1")).to_be_visible()
    assert rounds.count() >= 2
    first_table = page.get_by_role("table", name="Tallies in round 1")
    expect(first_table).to_be_visible()
    expect(page.get_by_role("region", name="Round 1")).to_contain_text(
        f"{funded_titles[0]} was funded: ")
    expect(first_table.get_by_role("row", name=re.compile(re.escape(funded_titles[0])))
           ).to_contain_text("Funded")
    assert first_table.get_by_role("row").count() > 2
    shot(page, "results")

    # A funded project: from the cycle's page, its funded projects, the first one.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Budget cycles").click()
    expect(page.get_by_role("heading", level=1, name="Budget cycles")).to_be_visible()
    page.get_by_role("link", name=SPRING_NAME).click()
    expect(page.get_by_role("heading", level=1, name=SPRING_NAME, exact=True)).to_be_visible()
    page.get_by_role("link", name="Funded projects").click()
    # wait for the list: the cycle's page links the same title to its proposal
    expect(page.get_by_role("heading", name=f"Funded projects: {SPRING_NAME}")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name=funded_titles[0]).click()
    expect(page.get_by_role("heading", level=1, name=funded_titles[0])).to_be_visible()
    expect(page.get_by_role("heading", name="Milestones")).to_be_visible()
    shot(page, "project")

    # The transparency report, by its link on the results page.
    open_spring_results(page)
    page.get_by_role("link", name=re.compile(r"^Transparency report")).click()
    expect(page.get_by_role("heading", name=f"Transparency report: {SPRING_NAME}")).to_be_visible()
    expect(page.get_by_role("heading", name="Participation")).to_be_visible()
    shot(page, "report")

    # Download the ballots as CSV to recount them, from the results page. With JavaScript on,
    # the body's hx-boost must leave this link alone: boosted, the CSV replaces the page instead.
    open_spring_results(page)
    with page.expect_download(timeout=10_000) as download_info:
        page.get_by_role("link", name="CSV, one ballot per row").click()
    download = download_info.value
    assert download.suggested_filename == "2026-spring-ballots.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    lines = saved.read_text(encoding="utf-8").splitlines()
    # each ballot's channel and polling place ("withheld" where fewer than 11 share one), then ranks
    assert lines[0] == "Ballot,Channel,Polling place,Rank 1,Rank 2,Rank 3,Rank 4,Rank 5"
    assert len(lines) == 1 + 200
    first = next(csv.reader([lines[1]]))
    assert first[0] == "1" and first[1] in ("online", "code", "paper", "withheld"), first
    assert first[2] if first[1] == "paper" else first[2] in ("", "withheld"), first  # paper's place
    assert all(re.fullmatch(r"\d*", c) for c in first[3:]) and len(first) == 8, first


def test_public_reads_results_in_spanish(new_page, shot):
    page = new_page()
    open_spring_results(page)
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change").click()
    # same page, now in Spanish, and the choice sticks on the next page
    # the cycle's own Spanish name, from the demo's translations
    expect(page.get_by_role("heading", name=f"Resultados: {SPRING_NAME_ES}")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Financiadas")).to_be_visible()
    expect(page.get_by_role("heading", name="Todas las rondas")).to_be_visible()
    expect(page.get_by_role("region", name="Ronda 1")).to_be_visible()
    expect(page.get_by_role("link", name="Volver al ciclo")).to_be_visible()
    shot(page, "resultados")
    page.get_by_role("link", name="Volver al ciclo").click()
    expect(page.get_by_role("link", name="Resultados, ronda por ronda")).to_be_visible()
    expect(page.get_by_role("button", name="Cambiar")).to_be_visible()
    shot(page, "ciclo")


def test_comment_posted_flagged_and_hidden_without_javascript(site, new_page):
    """Issue 20: a resident comments on a funded project, the board's chair flags it, staff hide
    it from the moderation queue with a public reason; the flag and the hidden comment with
    JavaScript off (plain forms), axe clean on the project page and the queue."""
    from browser_helpers import (AXE_CONTEXT, CHAIR, CHAIR_NAME, RESIDENT, RESIDENT_NAME, STAFF,
                                 STAFF_NAME, axe_problems, describe, sign_in)
    from sqlalchemy import select

    from pbapp.extensions import db
    from pbapp.projects.models import Project

    with site.context():
        project_id = db.session.scalar(select(Project.id).order_by(Project.id))
    resident, staff = new_page(**AXE_CONTEXT), new_page(**AXE_CONTEXT)
    chair = new_page(java_script_enabled=False)
    problems = {}
    sign_in(resident, RESIDENT, RESIDENT_NAME)
    resident.goto(f"/projects/{project_id}")
    resident.get_by_label("Your comment").fill("When do the **lamps** go up? Rude words.")
    resident.get_by_role("button", name="Post comment").click()
    expect(resident.get_by_text("Your comment is posted.")).to_be_visible()
    comment = resident.locator("article.comment").last
    expect(comment.locator("strong", has_text="lamps")).to_be_visible()
    problems["project page with a comment"] = axe_problems(resident)

    sign_in(chair, CHAIR, CHAIR_NAME)
    chair.goto(f"/projects/{project_id}")
    article = chair.locator("article.comment").last
    article.locator("summary", has_text="Flag").click()
    article.get_by_label("Why should a moderator look at it?").fill("Rude to neighbours")
    article.get_by_role("button", name="Flag this comment").click()
    expect(chair.get_by_text("a moderator will look at the comment")).to_be_visible()

    sign_in(staff, STAFF, STAFF_NAME)
    staff.goto("/staff/comments")
    flagged = staff.locator("article[id^=flagged-]").first
    expect(flagged).to_contain_text("Rude to neighbours")
    problems["moderation queue"] = axe_problems(staff)
    flagged.locator("summary", has_text="Hide…").click()
    flagged.get_by_label("Public reason").fill("Insults other residents")
    flagged.get_by_role("button", name="Hide the comment").click()
    expect(staff.get_by_text("No flagged comments.")).to_be_visible()

    public = new_page(java_script_enabled=False)
    public.goto(f"/projects/{project_id}")
    expect(public.get_by_text("Hidden by a moderator: Insults other residents")).to_be_visible()
    expect(public.get_by_text("Rude words")).to_have_count(0)
    assert not any(problems.values()), describe(problems)
