"""Spending against a project's budget: who may record it, what is refused, and what the public
reads (budget, spent, remaining or over, by category, each payment), on the page and the list."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.audit.services import verify_chain
from pbapp.extensions import db
from pbapp.projects.models import Spending
from tests.conftest import main_of, statements_run


def _counts() -> dict:
    db.session.expire_all()
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Spending, AuditEvent)}


def _events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


def _entry(**overrides) -> dict:
    data = {"spent_on": date.today().isoformat(), "amount": "1250", "category": "staff",
            "payee": "Cure Violence Riverside", "note": "Outreach wages, May"}
    return {**data, **overrides}


def _spend(client, csrf, project, **overrides):
    url = f"/projects/{project.id}/spending/new"
    return client.post(url, data={**_entry(**overrides), "csrf_token": csrf(url)})


def _text(html: bytes) -> str:
    """Text with tags removed and spaces collapsed, as a reader sees it; a whole page's
    ``<main>`` only."""
    if b"<main" in html:
        html = main_of(html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode())).strip()


def test_budget_spent_remaining_and_categories(client, login, csrf, make_user, board,
                                               make_project):
    project = make_project(board, cost=10_000)
    staff = login(make_user("staff"))
    for amount, category, payee in (("1250", "staff", "Outreach team"),
                                    ("1250.50", "services", "Mediation Ltd"),
                                    ("300.25", "staff", "Outreach team"),
                                    ("99.5", "equipment", "Radio shop")):
        resp = _spend(client, csrf, project, amount=amount, category=category, payee=payee)
        assert resp.status_code == 303
        assert resp.headers["Location"].endswith(f"/projects/{project.id}")

    db.session.expire_all()
    rows = db.session.scalars(select(Spending).order_by(Spending.id)).all()
    assert [r.amount_cents for r in rows] == [125_000, 125_050, 30_025, 9_950]
    assert all(r.entered_by_id == staff.id and r.project_id == project.id for r in rows)

    events = _events("project.spending_add")
    assert len(events) == 4 and events[1].actor_id == staff.id
    assert events[1].target == f"project:{project.id}"
    assert events[1].detail == {"spending_id": rows[1].id, "amount_cents": 125_050,
                                "spent_on": date.today().isoformat(), "category": "services",
                                "payee": "Mediation Ltd"}
    assert verify_chain() == (True, None)

    page = client.get(f"/projects/{project.id}").data
    text = _text(page)
    # 1,250 + 1,250.50 + 300.25 + 99.50 = 2,900.25 of 10,000
    assert "Budget 10,000 Spent 2,900.25 Remaining 7,099.75" in text
    assert "29% spent" in text and "Over budget" not in text
    assert re.search(rb'<meter id="budget-meter" min="0" max="1000000" value="290025"', page)
    by_category = page[page.index(b'class="spending-by-category"'):]
    by_category = _text(by_category[:by_category.index(b"</table>")])
    assert "Staff 1,550.25" in by_category  # 1,250 + 300.25
    assert "Services and contracts 1,250.50" in by_category
    assert "Equipment 99.50" in by_category and "Total 2,900.25" in by_category
    assert "Materials" not in by_category  # only categories with spending
    assert "Mediation Ltd" in text and "Outreach wages, May" in text
    # a visitor reads it all too, with no buttons
    login(make_user("resident"))
    public = client.get(f"/projects/{project.id}").data
    assert b"2,900.25" in public and b"Record spending" not in public
    assert b"/spending/" not in public


def test_going_over_budget_is_recorded_and_flagged(client, login, csrf, board, member,
                                                   make_project):
    project = make_project(board, cost=1_000)
    login(member)  # the proposing board records its own spending
    assert _spend(client, csrf, project, amount="900").status_code == 303
    resp = _spend(client, csrf, project, amount="250.50", category="events")
    assert resp.status_code == 303
    assert db.session.scalar(select(func.sum(Spending.amount_cents))) == 115_050
    page = client.get(resp.headers["Location"]).data
    text = _text(page)
    assert "The project is now over budget by 150.50." in text  # the flash
    assert "Spent so far 1,150.50 Over budget by 150.50" in text
    assert "Budget 1,000 Spent 1,150.50 Over budget Over budget by 150.50" in text
    assert "Remaining" not in text and "115% spent" in text
    assert b'max="100000" value="100000"' in page  # the bar is full, the words say by how much
    # the form warns before the next entry too
    form = _text(client.get(f"/projects/{project.id}/spending/new").data)
    assert "Over budget by 150.50." in form


def test_list_shows_budget_and_spent_per_project_in_one_query(client, board, make_project,
                                                              app):
    first = make_project(board, title="Street lighting", cost=2_000)
    second = make_project(board, title="Youth jobs", cost=500, cycle=first.cycle)
    third = make_project(board, title="Crisis line", cost=3_000, cycle=first.cycle)
    for project, cents in ((first, 50_025), (first, 20_000), (second, 60_000)):
        db.session.add(Spending(project=project, spent_on=date(2026, 3, 1), amount_cents=cents,
                                category="materials", payee="Hardware Co"))
    db.session.commit()

    with statements_run() as statements:
        resp = client.get("/projects/")
    assert resp.status_code == 200
    assert sum("spending" in s.lower() for s in statements) == 1

    cards = {t: _text(card.encode()) for card in re.findall(r"<article.*?</article>",
                                                            resp.data.decode(), re.S)
             for t in ("Street lighting", "Youth jobs", "Crisis line") if t in card}
    assert "Spent 700.25 of 2,000 (35%)" in cards["Street lighting"]
    assert "Over budget" in cards["Youth jobs"] and "Spent 600 of 500" in cards["Youth jobs"]
    assert "Spent 0 of 3,000" in cards["Crisis line"] and "Over budget" not in cards["Crisis line"]
    assert "Over budget" not in cards["Street lighting"]
    fragment = client.get("/projects/", headers={"HX-Request": "true"}).data
    assert b"Spent 700.25 of 2,000" in fragment and b"<!doctype" not in fragment


@pytest.mark.parametrize("field, value, message", [
    ("amount", "0", "more than zero"),
    ("amount", "0.00", "more than zero"),
    ("amount", "-5", "in digits"),
    ("amount", "12.345", "at most two decimals"),
    ("amount", "1,250", "no commas"),
    ("amount", "ten", "in digits"),
    ("amount", "", "Give the amount."),
    ("amount", "10000000.01", "cannot be more than 10,000,000"),
    ("spent_on", "tomorrow", "cannot be dated in the future"),
    ("spent_on", "", "Give the date of the payment."),
    ("spent_on", "31/12/2025", "Not a valid date value."),
    ("category", "bribes", "Choose one of the categories listed."),
    ("payee", "   ", "Say who was paid."),
])
def test_invalid_spending_changes_nothing(client, login, csrf, make_user, project, field,
                                          value, message):
    login(make_user("staff"))
    if value == "tomorrow":  # worked out when the test runs, not when it is collected
        value = (date.today() + timedelta(days=1)).isoformat()
    before = _counts()
    resp = _spend(client, csrf, project, **{field: value})
    assert resp.status_code == 200
    page = resp.data.decode()
    assert message in page and "Please correct the errors below." in page
    assert 'aria-invalid="true"' in page
    assert _counts() == before


def test_who_may_record_spending(client, login, csrf, make_user, make_board, make_member,
                                 board, member, make_project):
    project = make_project(board)
    url = f"/projects/{project.id}/spending/new"
    before = _counts()

    token = csrf("/auth/login")  # the project page is shared by signed-out readers: no token
    anonymous = client.post(url, data={**_entry(), "csrf_token": token})
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert client.get(url).status_code == 302

    for user in (make_user("resident"), make_member(make_board("west"), name="Other member")):
        login(user)
        assert client.get(url).status_code == 403
        token = csrf(f"/projects/{project.id}")
        assert client.post(url, data={**_entry(), "csrf_token": token}).status_code == 403
    assert _counts() == before

    login(member)
    assert _spend(client, csrf, project, amount="10").status_code == 303
    login(make_user("staff"))
    assert _spend(client, csrf, project, amount="20").status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Spending)) == 2


@pytest.mark.parametrize("phase", ["counting", "closed"])
def test_spending_only_during_implementation(client, login, csrf, make_user, board,
                                             make_project, phase):
    project = make_project(board, phase=phase)
    db.session.add(Spending(project=project, spent_on=date(2026, 2, 1), amount_cents=5_000,
                            category="other", payee="Printer"))
    db.session.commit()
    login(make_user("staff"))
    before = _counts()
    token = csrf(f"/projects/{project.id}")
    resp = client.post(f"/projects/{project.id}/spending/new",
                       data={**_entry(), "csrf_token": token})
    assert resp.status_code == 303
    page = client.get(resp.headers["Location"]).data.decode()
    assert "only while the cycle is in implementation" in page
    assert "Record spending" not in page and "Delete" not in page
    entry = db.session.scalar(select(Spending))
    resp = client.post(f"/projects/{project.id}/spending/{entry.id}/delete",
                       data={"csrf_token": token})
    assert resp.status_code == 303
    assert _counts() == before


def test_staff_deletes_a_mistaken_entry(client, login, csrf, make_user, board, member,
                                        make_project):
    project = make_project(board, cost=1_000)
    other = make_project(board, title="Other", cycle=project.cycle)
    login(member)
    _spend(client, csrf, project, amount="400", payee="Right payee")
    _spend(client, csrf, project, amount="4000", payee="Typo payee")
    wrong = db.session.scalar(select(Spending).where(Spending.payee == "Typo payee"))
    show = f"/projects/{project.id}"
    delete = f"{show}/spending/{wrong.id}/delete"

    # the board member sees no delete button and cannot delete
    assert b"/delete" not in client.get(show).data
    before = _counts()
    assert client.post(delete, data={"csrf_token": csrf(show)}).status_code == 403
    assert _counts() == before

    staff = login(make_user("staff"))
    page = client.get(show).data
    assert delete.encode() in page and b"Over budget by 3,400" in page
    # an entry is deleted only through its own project
    elsewhere = f"/projects/{other.id}/spending/{wrong.id}/delete"
    assert client.post(elsewhere, data={"csrf_token": csrf(show)}).status_code == 404
    assert client.post(delete, data={}).status_code == 400  # no CSRF token
    assert _counts() == before

    resp = client.post(delete, data={"csrf_token": csrf(show)})
    assert resp.status_code == 303
    db.session.expire_all()
    assert [s.payee for s in db.session.scalars(select(Spending))] == ["Right payee"]
    [event_] = _events("project.spending_delete")
    assert event_.actor_id == staff.id and event_.target == f"project:{project.id}"
    assert event_.detail == {"spending_id": wrong.id, "amount_cents": 400_000,
                             "spent_on": date.today().isoformat(), "category": "staff",
                             "payee": "Typo payee"}
    text = _text(client.get(show).data)
    assert "Spent 400 Remaining 600" in text and "Typo payee" not in text
    assert client.post(delete, data={"csrf_token": csrf(show)}).status_code == 404
    assert verify_chain() == (True, None)
