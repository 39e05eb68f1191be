"""A resident answers an open survey on a phone, with JavaScript off and once on (issue 20,
part 1); after the survey closes they read the protected results, small counts shown as "<11".
The survey form, the thank-you page and the results page pass axe in the light scheme. The
server side runs on both databases in tests/surveys; this look runs on SQLite."""
from datetime import timedelta

import pytest
from browser_helpers import (AXE_CONTEXT, CHAIR, CHAIR_NAME, PHONE, RESIDENT, RESIDENT_NAME,
                             axe_problems, describe, sign_in)
from playwright.sync_api import expect

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

SLUG = "journey-safety"
QUESTION = "How safe do you feel at the bus station after dark?"
ANSWERS = ["Very safe", "Fairly safe", "Not very safe", "Not safe at all"]
#: answers given on the data side before it closes: 20, 7, 3 and 0
OTHERS = [0] * 20 + [1] * 7 + [2] * 3


def _open_survey(site) -> None:
    from pbapp.extensions import db
    from pbapp.models_base import utcnow
    from pbapp.surveys.models import Survey, SurveyQuestion

    with site.context():
        survey = Survey(slug=SLUG, title="Safe at the bus station", intro="Tell us.",
                        mode="account", opens_at=utcnow() - timedelta(days=1),
                        closes_at=utcnow() + timedelta(days=7), questions=[
                            SurveyQuestion(kind="single", position=0, required=True,
                                           wording=QUESTION,
                                           options=[{"en": a, "es": a} for a in ANSWERS]),
                            SurveyQuestion(kind="text", position=1,
                                           wording="Anything else?")])
        db.session.add(survey)
        db.session.commit()
        db.session.remove()


def _close_with_others(site) -> None:
    """The other residents' answers, then the survey closes, as ``flask surveys close`` would."""
    from sqlalchemy import select

    from pbapp.extensions import db
    from pbapp.surveys import services as svc
    from pbapp.surveys.models import Survey

    with site.context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
        single = survey.questions[0]
        for i, choice in enumerate(OTHERS):
            svc.submit(survey, svc.Respondent(f"browser-journey:{i}"),
                       svc.Answers([{"question_id": single.id, "choice": choice}]))
        assert svc.close(survey)
        db.session.commit()
        db.session.remove()


def _answer(page, choice: str) -> None:
    page.goto(f"/surveys/{SLUG}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Safe at the bus station")
    page.get_by_role("group", name=QUESTION).get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you: your answers are recorded.")).to_be_visible()
    expect(page.get_by_text("You have answered this survey.")).to_be_visible()


def test_resident_answers_on_a_phone_and_reads_the_protected_results(site, new_page, shot):
    _open_survey(site)
    problems = {}
    light = {**PHONE, **AXE_CONTEXT, "color_scheme": "light"}
    resident = new_page(**light, java_script_enabled=False)
    sign_in(resident, RESIDENT, RESIDENT_NAME)
    resident.goto(f"/surveys/{SLUG}")
    expect(resident.get_by_text("Who could answer: residents with a confirmed account")
           ).to_be_visible()
    shot(resident, "survey form")
    _answer(resident, "Very safe")
    shot(resident, "thank you")
    expect(resident.get_by_role("button", name="Send my answers")).to_have_count(0)

    member = new_page(**light)  # JavaScript on (axe needs it too)
    sign_in(member, CHAIR, CHAIR_NAME)
    member.goto(f"/surveys/{SLUG}")
    problems["survey form"] = axe_problems(member)
    _answer(member, "Fairly safe")
    problems["thank-you page"] = axe_problems(member)

    _close_with_others(site)
    resident.goto(f"/surveys/{SLUG}")
    resident.get_by_role("link", name="See the results").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text(
        "Results: Safe at the bus station")
    expect(resident.get_by_text("Responses: 32.")).to_be_visible()
    table = resident.locator("table", has=resident.get_by_text("All who answered"))
    rows = {name: table.get_by_role("row", name=name) for name in ANSWERS}
    expect(rows["Very safe"].get_by_role("cell").first).to_have_text("21")
    expect(rows["Fairly safe"].get_by_role("cell").first).to_have_text("<11")
    expect(rows["Not very safe"].get_by_role("cell").first).to_have_text("<11")
    expect(resident.get_by_text("No written answer is published yet")).to_be_visible()
    shot(resident, "results")
    member.goto(resident.url.replace(site.url, ""))
    expect(member.get_by_text("Responses: 32.")).to_be_visible()
    problems["results page"] = axe_problems(member)
    width = member.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the results page scrolls sideways on a phone ({width} px)"
    assert not any(problems.values()), describe(problems)
