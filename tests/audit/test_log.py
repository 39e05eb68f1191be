"""Staff browse the audit log and see at once whether its hash chain still holds."""
import re

import pytest
from sqlalchemy import update

from pbapp.audit.models import AuditEvent
from pbapp.audit.services import record
from pbapp.extensions import db


@pytest.fixture()
def staff(make_user, login):
    return login(make_user("staff", name="Sam Staff"))


def events(actor, n: int, action: str = "cycle.phase") -> list[AuditEvent]:
    out = [record(actor, action, f"cycle:{i}", step=i) for i in range(n)]
    db.session.commit()
    return out


def shown_ids(page) -> list[int]:
    rows = re.findall(r'<li id="event-(\d+)"', page.get_data(as_text=True))
    return [int(i) for i in rows]


def test_staff_see_events_newest_first_and_the_chain_verified(client, staff):
    written = events(staff, 3)
    page = client.get("/staff/audit/")
    assert page.status_code == 200
    assert b"Chain verified." in page.data and b"Chain broken" not in page.data
    assert shown_ids(page) == [e.id for e in reversed(written)]
    assert b"Sam Staff" in page.data and b"cycle:2" in page.data


def test_filter_by_action_from_the_list(client, staff):
    events(staff, 2, "cycle.phase")
    counted = events(staff, 1, "cycle.count")
    page = client.get("/staff/audit/", query_string={"action": "cycle.count"})
    assert shown_ids(page) == [counted[0].id]
    assert b'<option value="cycle.count" selected>counted the cycle' in page.data
    assert b'<option value="cycle.publish">' in page.data  # offered before it ever happens
    odd = client.get("/staff/audit/", query_string={"action": "' OR 1=1 --"})
    assert len(shown_ids(odd)) == 3  # not in the list: ignored, everything shown


def test_pages_of_fifty(client, staff):
    written = events(staff, 55)
    first = client.get("/staff/audit/")
    assert shown_ids(first) == [e.id for e in reversed(written)][:50]
    assert b"Page 1 of 2" in first.data and b"Older" in first.data
    second = client.get("/staff/audit/", query_string={"page": 2})
    assert shown_ids(second) == [e.id for e in reversed(written)][50:]
    assert client.get("/staff/audit/", query_string={"page": 99}).status_code == 200


def test_a_tampered_event_breaks_the_chain(client, staff):
    written = events(staff, 4)
    db.session.execute(update(AuditEvent).where(AuditEvent.id == written[1].id)
                       .values(target="cycle:99"))
    db.session.commit()
    page = client.get("/staff/audit/")
    assert b"Chain verified." not in page.data
    assert f"Chain broken</strong> at event #{written[1].id}".encode() in page.data


def test_a_deleted_event_breaks_the_chain(client, staff):
    written = events(staff, 3)
    db.session.delete(written[1])
    db.session.commit()
    page = client.get("/staff/audit/")
    assert f"at event #{written[2].id}".encode() in page.data


def test_residents_are_refused(client, make_user, login, app):
    login(make_user("resident"))
    assert client.get("/staff/audit/").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, app):
    assert client.get("/staff/audit/").status_code == 302


def test_each_event_reads_as_a_sentence_with_its_item_named_and_linked(client, staff,
                                                                      make_cycle, make_proposal):
    """Issue 18: the log showed raw JSON, keys like ``proposal.accept`` and unlinked targets
    like ``proposal:22``; the record itself stays behind a disclosure."""
    cycle = make_cycle(slug="spring", name="Spring 2027")
    proposal = make_proposal(cycle, "Street lighting on Elm Row")
    record(staff, "proposal.accept", f"proposal:{proposal.id}", reason="Fits the budget")
    record(staff, "cycle.phase", "cycle:spring", phase="voting")
    record(staff, "something.new", "widget:7")
    db.session.commit()
    html = client.get("/staff/audit/").get_data(as_text=True)
    assert (f'<strong>Sam Staff</strong> accepted the proposal onto the ballot:\n      '
            f'<a href="/proposals/{proposal.id}">Street lighting on Elm Row</a>') in html
    assert 'moved the cycle to another phase:\n      <a href="/cycles/spring">Spring 2027</a>' \
        in html
    assert "Reason: Fits the budget" in html
    assert "something.new" in html and "widget 7" in html  # unknown: shown by its key
    assert "<details><summary>Event #" in html and "<code>proposal.accept</code>" in html
    es = client.get("/staff/audit/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "aceptó la propuesta para la papeleta" in es


def test_meetings_and_memberships_are_named_and_linked(client, staff, make_user):
    from datetime import date, datetime, timezone

    from pbapp.boards.models import Board, Meeting, Membership

    board = Board(slug="east", name="East board")
    meeting = Meeting(board=board, title="December meeting",
                      starts_at=datetime(2026, 12, 1, 18, tzinfo=timezone.utc))
    member = Membership(board=board, user=make_user(name="Keisha Grant"), seat="public_health",
                        term_start=date(2026, 1, 1))
    db.session.add_all([board, meeting, member])
    db.session.flush()
    record(staff, "meeting.create", f"meeting:{meeting.id}")
    record(staff, "membership.add", f"membership:{member.id}")
    db.session.commit()
    html = client.get("/staff/audit/").get_data(as_text=True)
    assert f'<a href="/boards/east/meetings/{meeting.id}">December meeting</a>' in html
    assert '<a href="/boards/east/members">Keisha Grant on East board</a>' in html
