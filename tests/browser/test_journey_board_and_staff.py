"""A whole cycle through the browser: staff open it, a board proposes, staff accept, a resident
votes, staff count and publish, and the public results show the proposal round by round.

Staff, the board chair and the resident each use their own browser context (their own
cookies), as three people on three machines would.
"""
import re

from browser_helpers import (CHAIR, CHAIR_NAME, RESIDENT, RESIDENT_NAME, STAFF, STAFF_NAME,
                             sign_in)
from playwright.sync_api import expect

CYCLE = "Winter 2027 street safety budget"
SLUG = "2027-winter"
TITLE = "Bleed-control kits in corner shops"


def move_cycle(page, to: str) -> None:
    """Press the phase step on the cycle's manage page and wait for the new phase."""
    page.get_by_role("button", name=f"Move to {to}").click()
    expect(page.get_by_role("status")).to_contain_text(f"to the {to} phase.")
    expect(page.locator("[aria-current=step]")).to_have_text(f"{to} (now)")


def test_board_proposes_staff_run_the_cycle_and_the_public_reads_the_result(site, new_page,
                                                                              shot):
    staff, chair, resident = new_page(), new_page(), new_page()

    # Staff open a new cycle for proposals, for Riverside and Eastfield.
    sign_in(staff, STAFF, STAFF_NAME)
    staff.get_by_role("link", name="Staff").click()
    staff.get_by_role("link", name="New cycle").click()
    staff.get_by_label("Name", exact=True).fill(CYCLE)
    staff.get_by_label("Web address (slug)").fill(SLUG)
    staff.get_by_label("Total budget").fill("50000")
    staff.get_by_label("Riverside").check()
    staff.get_by_label("Eastfield").check()
    staff.get_by_label("Counting method").select_option("greedy")
    staff.get_by_label("Maximum ranks on a ballot").fill("3")
    # voting opens only with a closing time still to come (issue 23)
    staff.get_by_label("Voting closes").fill("2031-03-15T18:00")
    shot(staff, "staff-new-cycle")
    staff.get_by_role("button", name="Create draft cycle").click()
    expect(staff.get_by_role("heading", name=CYCLE, exact=True)).to_be_visible()
    move_cycle(staff, "proposals")
    shot(staff, "staff-proposals-open")

    # The board chair drafts a proposal for it and submits it.
    sign_in(chair, CHAIR, CHAIR_NAME)
    chair.get_by_role("link", name="Proposals").first.click()
    chair.get_by_role("link", name="Draft a proposal").click()
    expect(chair.get_by_role("heading", name="Draft a proposal")).to_be_visible()
    chair.get_by_label("Proposing board").select_option(label="Eastside Community Safety Board")
    chair.get_by_label("Budget cycle").select_option(label=f"{CYCLE} (proposals phase)")
    chair.get_by_label("Title", exact=True).fill(TITLE)
    chair.get_by_label("Summary", exact=True).fill("Trauma kits and training in 30 shops.")
    chair.get_by_label("Problem it addresses").fill("Stab wounds bleed out before help comes.")
    chair.get_by_label("Cost", exact=True).fill("12000")
    shot(chair, "chair-draft")
    chair.get_by_role("button", name="Save draft").click()
    expect(chair.get_by_role("heading", name=f"{TITLE} Draft")).to_be_visible()
    chair.get_by_role("button", name="Submit for review").click()
    expect(chair.get_by_role("heading", name=f"{TITLE} Submitted")).to_be_visible()
    proposal_url = chair.url
    shot(chair, "chair-submitted")

    # Staff review and accept it, then open voting.
    staff.goto(proposal_url)
    staff.get_by_role("link", name="Review", exact=True).click()
    expect(staff.get_by_role("heading", name=f"Review: {TITLE}")).to_be_visible()
    staff.get_by_label("Feasibility").fill("Shops agreed; the ambulance trust trains staff.")
    staff.get_by_label("Accept onto the ballot").check()
    shot(staff, "staff-review")
    staff.get_by_role("button", name="Record decision").click()
    expect(staff.get_by_role("heading", name=f"{TITLE} Accepted")).to_be_visible()
    staff.get_by_role("link", name="Staff").click()
    # wait for the staff list: the proposal's page links the cycle's public page by that name too
    expect(staff.get_by_role("heading", name="Manage budget cycles")).to_be_visible()
    staff.get_by_role("link", name=CYCLE).click()
    move_cycle(staff, "review")
    move_cycle(staff, "voting")
    expect(staff.get_by_text("Proposals made: 1; on the ballot: 1; ballots cast: 0.")).to_be_visible()
    shot(staff, "staff-voting-open")

    # A resident of Riverside votes for it.
    sign_in(resident, RESIDENT, RESIDENT_NAME)
    resident.get_by_role("link", name="Budget cycles").click()
    expect(resident.get_by_role("heading", level=1, name="Budget cycles")).to_be_visible()
    resident.get_by_role("link", name=CYCLE).click()
    resident.get_by_role("link", name="Vote: rank up to 3 proposals").click()
    resident.get_by_role("button", name=f"Add {TITLE} to your ranking").click()
    expect(resident.get_by_role("status")).to_have_text(f"{TITLE} added as your 1st choice.")
    resident.get_by_role("button", name="Review my ballot").click()
    expect(resident.get_by_role("button", name="Cast my ballot")).to_be_visible()
    expect(resident.locator("main .review-list").get_by_role("listitem")).to_have_text(
        re.compile(rf"^Your 1st choice is {TITLE} \(cost 12,000\)"))
    resident.get_by_role("button", name="Cast my ballot").click()
    expect(resident.get_by_role("heading", name="Thank you: your ballot is cast")).to_be_visible()
    shot(resident, "resident-receipt")

    # Staff close voting, count and publish.
    staff.reload()
    expect(staff.get_by_text("Proposals made: 1; on the ballot: 1; ballots cast: 1.")).to_be_visible()
    move_cycle(staff, "counting")
    staff.get_by_role("button", name="Run the count").click()
    expect(staff.get_by_role("status")).to_have_text(
        "Counted 1 ballots. Review the result before publishing it.")
    shot(staff, "staff-count")
    staff.get_by_role("button", name="Publish this result").click()
    expect(staff.get_by_role("status")).to_contain_text("Result published")
    expect(staff.locator("[aria-current=step]")).to_have_text("implementation (now)")
    shot(staff, "staff-published")

    # A member of the public finds the result and reads it round by round.
    public = new_page()
    public.goto("/")
    public.get_by_role("link", name="Budget cycles").click()
    expect(public.get_by_role("heading", level=1, name="Budget cycles")).to_be_visible()
    public.get_by_role("link", name=CYCLE).click()
    public.get_by_role("link", name="Results, round by round").click()
    expect(public.get_by_role("heading", name=f"Results: {CYCLE}")).to_be_visible()
    expect(public.locator("h2:text-is('Funded') + ol > li > strong")).to_have_text([TITLE])
    expect(public.get_by_role("heading", name="Every round")).to_be_visible()
    round_one = public.get_by_role("region", name="Round 1")
    expect(round_one).to_contain_text(f"{TITLE} was funded")
    expect(round_one.get_by_role("row", name=re.compile(re.escape(TITLE)))).to_contain_text(
        "Funded")
    shot(public, "public-results")
