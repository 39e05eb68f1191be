"""Public board pages: who sits for which sector, the charter, meetings; nothing private."""
from datetime import datetime, timezone

from pbapp.extensions import db


def test_index_lists_boards_with_neighbourhoods(client, make_board, make_neighbourhood):
    riverside = make_neighbourhood("riverside")
    make_board("east-safety", name="Eastside Safety Board", neighbourhoods=[riverside])
    make_board("north-health", name="Northside Health Partnership")
    page = client.get("/boards/")
    assert page.status_code == 200
    assert b"Eastside Safety Board" in page.data and b"Northside Health Partnership" in page.data
    assert b'href="/boards/east-safety"' in page.data
    assert b"Serves Riverside" in page.data
    assert b"New board" not in page.data


def test_show_lists_members_with_readable_seats_and_no_emails(client, make_user, make_board,
                                                             make_neighbourhood, seat):
    board = make_board(neighbourhoods=[make_neighbourhood("eastfield")],
                       purpose="Fund what residents rank first.")
    seat(board, make_user(name="Dana Okafor", email="dana.private@example.org"), "police",
         organisation="City Police")
    seat(board, make_user(name="Priya Raman", email="priya.private@example.org"),
         "public_health", is_chair=True, organisation="County Public Health")
    seat(board, make_user(name="Jordan Lee"), "youth", organisation="Youth Council", term_end=None)
    page = client.get("/boards/east-safety")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for expected in ("Dana Okafor", "Police", "City Police", "Priya Raman", "Public health",
                     "County Public Health", "Chair", "Youth Council", "open-ended",
                     "Fund what residents rank first.", "Eastfield", "1 January 2026"):
        assert expected in text, expected
    assert "public_health" not in text
    assert "@" not in text  # no emails, nor anything else address-like
    assert text.index("Priya Raman") < text.index("Dana Okafor")  # chair first


def test_charter_is_rendered_markdown_and_sanitised(client, make_board):
    make_board(charter="## Charter\n\nTerms are **two years**.\n\n<script>alert('x')</script>"
                       "\n\n[click](javascript:alert(1))")
    text = client.get("/boards/east-safety").get_data(as_text=True)
    assert "<h2>Charter</h2>" in text
    assert "<strong>two years</strong>" in text
    assert "alert(" not in text and "javascript:" not in text


def test_meeting_page_shows_agenda_and_inert_minutes(client, make_board, make_meeting):
    board = make_board()
    minutes = ("Agreed the **shortlist**.\n\n<script>alert('pwned')</script>\n\n"
               '<img src="x" onerror="alert(2)"> <a href="#" onclick="x()">a</a>')
    meeting = make_meeting(board, agenda="1. Budget\n2. Updates", minutes=minutes)
    show = client.get("/boards/east-safety").get_data(as_text=True)
    assert f"/boards/east-safety/meetings/{meeting.id}" in show and "Quarterly meeting" in show
    page = client.get(f"/boards/east-safety/meetings/{meeting.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<li>Budget</li>" in text and "<strong>shortlist</strong>" in text
    assert "Community Hall" in text
    assert "<script>alert" not in text and "alert(" not in text
    assert "onerror" not in text and "onclick" not in text and "<img" not in text


def test_meetings_split_into_coming_up_and_past(client, make_board, make_meeting):
    board = make_board()
    make_meeting(board, title="Spring meeting",
                 starts_at=datetime(2020, 3, 1, 18, tzinfo=timezone.utc))
    make_meeting(board, title="Far future meeting",
                 starts_at=datetime(2099, 3, 1, 18, tzinfo=timezone.utc))
    text = client.get("/boards/east-safety").get_data(as_text=True)
    assert text.index("Coming up") < text.index("Far future meeting") < text.index("Past meetings")
    assert text.index("Past meetings") < text.index("Spring meeting")
    assert "minutes to come" in text


def test_unknown_board_or_meeting_is_404(client, make_board, make_meeting):
    east = make_board("east-safety")
    north = make_board("north-health")
    theirs = make_meeting(north)
    assert client.get("/boards/nope").status_code == 404
    assert client.get("/boards/nope/meetings/1").status_code == 404
    assert client.get("/boards/east-safety/meetings/9999").status_code == 404
    assert client.get(f"/boards/{east.slug}/meetings/{theirs.id}").status_code == 404
    assert client.get(f"/boards/{north.slug}/meetings/{theirs.id}").status_code == 200


def test_manage_links_only_for_chairs(client, chair, make_meeting):
    board, _ = chair
    meeting = make_meeting(board)
    text = client.get("/boards/east-safety").get_data(as_text=True)
    assert "Manage members" in text and "Add a meeting" in text
    assert "Edit board" not in text  # admins only
    assert b"Edit meeting" in client.get(f"/boards/east-safety/meetings/{meeting.id}").data
    with client.session_transaction() as session:
        session.clear()
    assert "Manage members" not in client.get("/boards/east-safety").get_data(as_text=True)


def test_demo_boards_render_without_member_emails(app, client, runner):
    out = runner.invoke(args=["demo", "--ballots", "100"])
    assert out.exit_code == 0, out.output
    text = client.get("/boards/east-safety").get_data(as_text=True)
    assert "Eastside Community Safety Board" in text
    assert "Sgt. Dana Okafor" in text and "Faith community" in text
    assert "example.org" not in text
    db.session.expire_all()
    meeting_link = "/boards/east-safety/meetings/"
    meeting_id = text.split(meeting_link, 1)[1].split('"', 1)[0]
    meeting = client.get(meeting_link + meeting_id)
    assert meeting.status_code == 200 and b"Agreed the shortlist" in meeting.data
