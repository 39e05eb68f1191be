"""The demo's stories, the pages in Spanish, and odd input to the story form and the withdrawal
link (issue 21, part 3): NUL bytes, "²", long text, forged secrets. Each gets a clear message
and changes nothing, never a 500; on both databases."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from pbapp.extensions import db
from pbapp.stories.models import Story

ODD = st.one_of(st.sampled_from(
    ["", " ", "\x00", "a\x00b", "²", "٣", "-1", "0", "99999999999999999999", "<script>",
     "x" * 30_000, "\u202e", "\ufeff", "1.5", "own", "given", "anonymous", "y"]),
    st.text(max_size=60))
FIELDS = ["body", "name_choice", "given_name", "consent", "neighbourhood", "project", "metric",
          "picture_alt"]


def _state():
    return (db.session.scalar(select(func.count(Story.id))),
            tuple(db.session.scalars(select(Story.status).order_by(Story.id))))


def test_demo_has_approved_and_pending_stories(client, runner):
    out = runner.invoke(args=["demo", "--ballots", "200"])
    assert out.exit_code == 0, out.output
    statuses = [s.status for s in db.session.scalars(select(Story))]
    assert statuses.count("approved") >= 2 and statuses.count("pending") >= 1
    listing = client.get("/stories?lang=es").get_data(as_text=True)
    assert "Historias" in listing and "Con las nuevas farolas" in listing
    english = client.get("/stories?lang=en").get_data(as_text=True)
    assert "With the new lights on Canal Walk" in english
    assert "Jamal" not in english  # the staff's redaction is what shows
    assert "The bus stop by the station" not in english  # pending
    project = db.session.scalar(select(Story).where(Story.project_id.is_not(None),
                                                    Story.status == "approved")).project
    assert "Since the interrupters started" in client.get(
        f"/projects/{project.id}?lang=en").get_data(as_text=True)
    assert "Jamal" not in client.get("/api/v1/stories").get_data(as_text=True)


def test_the_form_in_spanish(client, login, world):
    login(world.resident)
    page = client.get("/stories/new?lang=es").get_data(as_text=True)
    assert "Comparte tu historia" in page and "Cómo evitamos que se te identifique" in page
    assert "Acepto que esta historia se publique" in page


def test_odd_form_input_is_refused_clearly(app, client, login, csrf, world):
    app.config["STORIES_PER_ACCOUNT"] = "100000 per day"
    login(world.resident)
    token = csrf("/stories/new")
    good = {"body": "A short story.", "name_choice": "anonymous", "given_name": "",
            "consent": "y", "neighbourhood": "", "project": str(world.project.id),
            "metric": "", "picture_alt": ""}

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    @given(name=st.sampled_from(FIELDS), value=ODD)
    def fuzz(name, value):
        before = _state()
        answer = client.post("/stories/new", data={**good, name: value, "csrf_token": token},
                             content_type="multipart/form-data")
        assert answer.status_code in (200, 400), (name, value, answer.status_code)
        db.session.rollback()
        if answer.status_code == 400:
            assert _state() == before, (name, value)
            text = answer.get_data(as_text=True)
            assert "flash-error" in text or "role=\"alert\"" in text, (name, value)
        else:
            assert "Thank you for your story" in answer.get_data(as_text=True)
            assert _state()[0] == before[0] + 1
            stored = db.session.scalar(select(Story).order_by(Story.id.desc()).limit(1))
            assert "\x00" not in stored.body and len(stored.body) <= 2000

    fuzz()


def test_odd_withdrawal_secrets_change_nothing(client, login, csrf, send_story, world):
    login(world.resident)
    assert send_story(project=str(world.project.id)).status_code == 200
    token = csrf("/stories/new")

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(secret=st.one_of(st.text(min_size=1, max_size=80),
                            st.sampled_from(["²" * 43, "a" * 43, "\x00", "x" * 5000,
                                             "A-_" * 14 + "B"])),
           method=st.sampled_from(["get", "post"]))
    def fuzz(secret, method):
        from urllib.parse import quote

        before = _state()
        answer = getattr(client, method)(f"/stories/withdraw/{quote(secret, safe='')}",
                                         data={"csrf_token": token})
        assert answer.status_code in (400, 404), (secret, method, answer.status_code)
        db.session.rollback()
        assert _state() == before

    fuzz()
