"""No input makes a 500 (issue 16): hostile paths, queries, form fields and ballot posts.

Guards against denial of service and half-written state through input the code never expected:
a NUL byte PostgreSQL refuses (a DataError, so a 500 on one database only), control characters
and broken encodings, digits that ``str.isdigit()`` accepts and ``int()`` refuses ("²"), ids
past the database's integer, ballot fields that collapse into each other, and a download that
takes the page showing its hash down with it. Each is refused in words, and nothing is written.
"""
from __future__ import annotations

import io
import logging
from datetime import date

import pytest
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.auth.models import User
from pbapp.boards.models import Board, Meeting, Membership
from pbapp.extensions import db
from pbapp.voting.models import Ballot, Participation
from tests.conftest import csrf_token, main_of

CONTROL_MESSAGE = b"control character"
BROKEN_MESSAGE = b"encoding is broken"


def rows(*models) -> tuple[int, ...]:
    db.session.expire_all()
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in models)


# Paths, query strings and form fields: refused once, before any view ---------------------------

def test_a_control_character_in_a_path_is_a_400_in_words(client, make_cycle):
    """NUL reached ``WHERE slug = 'ab<NUL>cd'``, which PostgreSQL refuses (DataError)."""
    make_cycle(slug="spring", phase="voting")
    for path in ("/cycles/ab%00cd", "/boards/ab%00cd", "/vote/ab%00cd/code",
                 "/reports/cycles/ab%00cd.csv", "/proposals/%01", "/cycles/ab%7fcd",
                 "/cycles/ab%c2%85cd", "/cycles/a%09b", "/no-such-page%00"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert CONTROL_MESSAGE in main_of(response.data), path


def test_the_refusal_is_in_the_reader_s_language(client):
    response = client.get("/cycles/ab%00cd", headers={"Accept-Language": "es"})
    assert response.status_code == 400
    assert "carácter de control" in response.get_data(as_text=True)


def test_a_path_that_is_not_utf8_is_a_400(client):
    """Bytes that are not UTF-8 (``%ff``, an encoded lone surrogate) are refused, not read as
    replacement characters. A server hands the percent-decoded bytes over as latin-1
    (PEP 3333), which the test client cannot be asked to do from a URL."""
    for raw in (b"/cycles/\xff", b"/cycles/\xed\xa0\x80", b"/boards/\xc3"):
        response = client.get("/", environ_overrides={"PATH_INFO": raw.decode("latin-1")})
        assert response.status_code == 400 and BROKEN_MESSAGE in response.data, raw


def test_control_characters_and_broken_text_in_a_query_string_are_a_400(client):
    for query in ("q=a%00b", "status=%0d%0a", "x%01=1", "page=%00"):
        response = client.get("/proposals/?" + query)
        assert response.status_code == 400 and CONTROL_MESSAGE in response.data, query
    for query in ("q=%ff", "q=%ed%a0%80"):
        response = client.get("/proposals/?" + query)
        assert response.status_code == 400 and BROKEN_MESSAGE in response.data, query


def test_the_admin_user_search_refuses_a_nul(client, login, make_user):
    login(make_user(role="admin"))
    response = client.get("/auth/admin/users", query_string={"q": "ro\x00sa"})
    assert response.status_code == 400 and CONTROL_MESSAGE in response.data


def test_the_api_refuses_a_nul_in_json(client, make_cycle):
    make_cycle(slug="spring", phase="voting")
    response = client.get("/api/v1/cycles/ab%00cd")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["status"] == 400 and "control character" in error["message"]


def test_sign_up_with_a_nul_in_the_name_writes_nothing(client, csrf):
    before = rows(User, AuditEvent)
    response = client.post("/auth/register", data={
        "csrf_token": csrf("/auth/register"), "name": "Rosa\x00Resident",
        "email": "rosa@example.org", "password": "correct horse battery",
        "confirm": "correct horse battery", "neighbourhood": "0", "birth_year": ""})
    assert response.status_code == 400
    assert "The field “name” contains a control character" in response.get_data(as_text=True)
    assert rows(User, AuditEvent) == before


def test_sign_in_with_a_nul_in_the_email_is_a_400(client, csrf, make_user):
    make_user(email="rosa@example.org")
    response = client.post("/auth/login", data={"csrf_token": csrf("/auth/login"),
                                                "email": "rosa@example.org\x00",
                                                "password": "pw-123456789"})
    assert response.status_code == 400 and CONTROL_MESSAGE in response.data
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_a_form_body_that_is_not_clean_utf8_is_a_400(client, csrf):
    token = csrf("/auth/register").encode()
    for body, message in ((b"name=a%ffb", BROKEN_MESSAGE), (b"name=a\xffb", BROKEN_MESSAGE),
                          (b"na%00me=x", CONTROL_MESSAGE), (b"name=a%1bb", CONTROL_MESSAGE)):
        response = client.post("/auth/register", data=b"csrf_token=" + token + b"&" + body,
                               content_type="application/x-www-form-urlencoded")
        assert response.status_code == 400 and message in response.data, body
    assert rows(User) == (0,)


def test_a_nul_in_an_uploaded_file_name_is_a_400(client, csrf, login, make_user, make_cycle):
    login(make_user(role="staff"))
    make_cycle(slug="autumn", phase="review")
    url = "/cycles/manage/autumn/roll"
    response = client.post(url, data={"csrf_token": csrf(url),
                                      "file": (io.BytesIO(b"x"), "roll\x00.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and CONTROL_MESSAGE in response.data


@pytest.fixture()
def chair(make_user, login):
    board = Board(slug="east-safety", name="East Safety Board")
    user = make_user(name="Priya Chair")
    db.session.add(Membership(board=board, user=user, seat="resident", is_chair=True,
                              term_start=date(2000, 1, 1), term_end=None))
    db.session.commit()
    login(user)
    return board


def test_multi_line_text_keeps_its_newlines_and_tabs(client, csrf, chair):
    """The refusal must not reach what people really write: CR, LF and tab in a text area."""
    url = "/boards/east-safety/meetings/new"
    minutes = "1. Opened\r\n\tAgreed the shortlist.\r\n2. Closed"
    response = client.post(url, data={"csrf_token": csrf(url), "title": "December",
                                      "starts_at": "2026-12-01T18:30", "location": "Library",
                                      "agenda": "a\tb", "minutes": minutes})
    assert response.status_code == 303
    meeting = db.session.scalar(select(Meeting))
    assert meeting.minutes in (minutes, minutes.replace("\r\n", "\n"))
    assert meeting.agenda == "a\tb"


def test_a_meeting_posted_without_a_location_is_saved(client, csrf, chair):
    """``form.location.data`` was None, and ``None.strip()`` a 500."""
    url = "/boards/east-safety/meetings/new"
    response = client.post(url, data={"csrf_token": csrf(url), "title": "December",
                                      "starts_at": "2026-12-01T18:30"})
    assert response.status_code == 303
    meeting = db.session.scalar(select(Meeting))
    assert (meeting.location, meeting.agenda, meeting.minutes) == ("", "", "")


# Ids and page numbers --------------------------------------------------------------------------

def test_an_id_past_the_database_integer_is_a_404(client, login, make_user):
    """PostgreSQL refuses ``WHERE id = 2147483648`` on an integer column (DataError)."""
    login(make_user(role="admin"))
    for path in ("/proposals/2147483648", "/proposals/99999999999999999999",
                 "/proposals/" + "9" * 5000, "/proposals/٥", "/proposals/2147483648/edit",
                 "/api/v1/proposals/2147483648", "/proposals/2147483647"):
        assert client.get(path).status_code == 404, path


def test_a_page_number_that_is_not_one_is_a_404(client, login, make_user):
    login(make_user(role="admin"))
    for path in ("/staff/audit/", "/auth/admin/users"):
        for page in ("99999999999999999999", "٥", "²", "0", "-1", "1e3", ""):
            assert client.get(path, query_string={"page": page}).status_code == 404, page
        assert client.get(path, query_string={"page": "2"}).status_code == 200


def test_an_idea_id_past_the_integer_is_a_404(client, login, make_user):
    login(make_user(role="staff"))
    assert client.get("/proposals/new", query_string={"idea": "9" * 30}).status_code == 404


# Ballots ---------------------------------------------------------------------------------------

@pytest.fixture()
def voting(make_cycle, make_proposal):
    cycle = make_cycle(slug="autumn", name="Autumn budget", phase="voting", max_ranks=3)
    return cycle, [make_proposal(cycle, t) for t in ("Lights", "Youth centre", "Garden")]


@pytest.fixture()
def code_voter(client, voting, runner, tmp_path):
    """A browser holding a voting code for ``autumn``; returns the ballot's URL prefix."""
    voting[0].vote_by_account = False  # anonymous codes are for cycles without accounts
    db.session.commit()
    out = tmp_path / "codes.csv"
    result = runner.invoke(args=["codes", "generate", "--cycle", "autumn", "--count", "1",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    code = out.read_text().splitlines()[1]
    entered = client.post("/vote/autumn/code", data={
        "csrf_token": csrf_token(client, "/vote/autumn/code"), "code": code})
    assert entered.status_code == 303, entered.data
    return "/vote/autumn/code/"


@pytest.fixture()
def account_voter(make_user, login):
    login(make_user("resident"))
    return "/vote/autumn/"


@pytest.fixture(params=["account", "code"])
def ballot_url(request):
    """The ballot's URL prefix for a signed-in resident or for a voting code."""
    return request.getfixturevalue(f"{request.param}_voter")


def _ballot(prefix: str) -> str:
    return prefix + "ballot" if prefix.endswith("/code/") else prefix.rstrip("/")


def test_a_ranking_button_with_a_strange_number_changes_nothing(client, csrf, voting,
                                                                ballot_url):
    """``"²".isdigit()`` is true and ``int("²")`` raises: the edit was a 500."""
    _, props = voting
    url = _ballot(ballot_url)
    token = csrf(url)
    for op in ("up:²", "down:²", "remove:²", "up:٥", "up:" + "9" * 5000, "remove:-1",
               "add:²", "up:02"):
        response = client.post(url, data={"csrf_token": token, "op": op,
                                          "rank_1": str(props[0].id),
                                          "rank_2": str(props[1].id)}, follow_redirects=True)
        assert response.status_code == 200, op
        assert (f'<input type="hidden" name="rank_1" value="{props[0].id}">'
                in response.get_data(as_text=True)), op  # the ranking is kept as it was
    assert rows(Ballot, Participation) == (0, 0)


UNREADABLE_RANKS = (
    {"rank_01": "{a}", "rank_1": "{b}"},       # two names for one rank
    {"rank_1": "{a}", "rank_1000": "{b}"},     # a rank no ballot has
    {"rank_1": "{a}", "rank_²": "{b}"},
    {"rank_١": "{a}"},                         # an Arabic-Indic one
    {"rank_+1": "{a}"},
)


def test_rank_fields_the_form_never_makes_are_refused(client, csrf, voting, ballot_url):
    """``rank_01`` and ``rank_1`` collapsed into one choice; ``rank_1000`` was ignored."""
    _, props = voting
    token = csrf(_ballot(ballot_url))
    for fields in UNREADABLE_RANKS:
        data = {k: v.format(a=props[0].id, b=props[1].id) for k, v in fields.items()}
        for step in ("review", "cast"):
            response = client.post(ballot_url + step, data={"csrf_token": token, **data},
                follow_redirects=True)
            assert response.status_code == 200, (fields, step)
            assert (b"Your ballot was not recorded" if step == "cast"
                    else b"Your ballot is not cast yet") in response.data, (fields, step)
            assert b"The ballot form was not understood" in response.data, (fields, step)
    assert rows(Ballot, Participation) == (0, 0)


def test_a_ranking_button_with_unreadable_rank_fields_says_so(client, csrf, voting,
                                                              account_voter):
    _, props = voting
    response = client.post("/vote/autumn", data={
        "csrf_token": csrf("/vote/autumn"), "op": "up:2", "rank_01": str(props[0].id),
        "rank_1": str(props[1].id)}, follow_redirects=True)
    assert response.status_code == 200
    assert b"The ballot form was not understood" in response.data


def test_a_proposal_id_in_other_digits_is_not_on_the_ballot(client, csrf, voting,
                                                            account_voter):
    """``int("٥")`` is 5: a ballot naming proposal "٥" must not count for proposal 5."""
    _, props = voting
    arabic = "".join(chr(0x660 + int(d)) for d in str(props[0].id))
    response = client.post("/vote/autumn/cast", data={"csrf_token": csrf("/vote/autumn"),
                                                      "rank_1": arabic})
    assert b"not on this ballot" in response.data
    assert rows(Ballot, Participation) == (0, 0)


# A download that fails does not take its page down ---------------------------------------------

@pytest.fixture()
def published(make_cycle, make_proposal, make_user):
    from pbapp.cycles.services import count_cycle, publish_result
    from pbapp.voting.services import cast_ballot, voter_key

    staff = make_user("staff")
    cycle = make_cycle(slug="youth", name='#1 "Youth" fund', phase="voting", method="irv")
    props = [make_proposal(cycle, t) for t in ("Lights", "Garden")]
    for i in range(3):
        cast_ballot(cycle, voter_key("test", str(i)), "online", [props[i % 2].id])
    cycle.phase = "counting"
    publish_result(count_cycle(cycle, staff), staff)
    db.session.commit()
    return cycle


def test_a_cycle_named_with_quotes_has_a_results_page(client, published):
    """``#1 "Youth" fund`` could not be written as a BLT title, and the results page computes
    the BLT's hash."""
    response = client.get("/cycles/youth/results")
    assert response.status_code == 200
    assert b"#1 &#34;Youth&#34; fund" in response.data or b"#1 &quot;Youth" in response.data


def test_a_download_that_cannot_be_built_shows_its_hash_as_not_available(
        client, published, monkeypatch, caplog):
    from pbapp.cycles import exports

    real = exports.write_election

    def failing(election, out, fmt, **options):
        if fmt == "blt":
            raise ValueError("cannot write this title in BLT")
        return real(election, out, fmt, **options)

    monkeypatch.setattr(exports, "write_election", failing)
    exports._cache.clear()
    with caplog.at_level(logging.ERROR):
        response = client.get("/cycles/youth/results")
    assert response.status_code == 200
    body = main_of(response.data).decode()
    assert "not available" in body
    assert body.count("SHA-256 <code>") == 2  # the csv and pb files still have theirs
    assert any("blt" in r.getMessage() and r.exc_info for r in caplog.records)


# CSV cells a spreadsheet would run, and only those ---------------------------------------------

@pytest.mark.parametrize("value, written", [
    (-8997023, "-8997023"), ("-8997023", "-8997023"), (-1.5, "-1.5"), ("-0.25", "-0.25"),
    (42, "42"), ("=1+2", "'=1+2"), ("+1", "'+1"), ("-1+2", "'-1+2"), ("-", "'-"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("-1.5e3", "'-1.5e3"),
    ("-2 people", "'-2 people"), ("-٥", "'-٥"), ("Lights", "Lights"), (None, "")])
def test_csv_neutralising_touches_only_what_a_spreadsheet_would_run(value, written):
    """A plain negative number was written as ``'-8997023``, text to every spreadsheet."""
    from pbapp.reports.downloads import neutralised

    assert neutralised(value) == written
