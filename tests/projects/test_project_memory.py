"""A project's page is made once for every signed-out reader, and its board's changes show.

Weakness guarded: a news story sends a crowd to one project's page, each asking for the same
dozen statements and template; and the opposite weaknesses: a kept page that goes on hiding
the update its board just posted, or a member's page (their buttons, their token) handed to
the public.
"""
from __future__ import annotations

from tests.conftest import statements_run

def test_signed_out_readers_share_one_project_page(app, project):
    path = f"/projects/{project.id}"
    with statements_run() as made:
        first = app.test_client().get(path)
    assert first.status_code == 200 and len(made) > 3
    # a cookie the front does not answer for: through Flask, the kept page, no statement
    with statements_run() as kept:
        second = app.test_client().get(path, headers={"Cookie": "seen-before=1"})
    assert (second.status_code, len(kept)) == (200, 0)
    assert second.data == first.data and project.title.encode() in first.data
    assert b'name="csrf_token"' not in first.data and "Set-Cookie" not in second.headers


def test_an_update_posted_by_the_board_shows_at_once(app, client, login, csrf, member,
                                                      project):
    path = f"/projects/{project.id}"
    reader = app.test_client()
    assert b"Contract signed" not in reader.get(path).data
    login(member)
    url = f"{path}/updates/new"
    posted = client.post(url, data={"title": "Contract signed", "body": "Starts Monday.",
                                    "csrf_token": csrf(url)})
    assert posted.status_code == 303
    assert b"Contract signed" in reader.get(path).data


def test_a_member_gets_their_own_page(app, client, login, member, project):
    path = f"/projects/{project.id}"
    public = app.test_client().get(path).get_data(as_text=True)
    login(member)
    mine = client.get(path).get_data(as_text=True)
    assert "Post an update" in mine and 'name="csrf_token"' in mine
    assert "Post an update" not in public
    assert "Post an update" not in app.test_client().get(path).get_data(as_text=True)
