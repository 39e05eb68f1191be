"""Stories (issue 21, part 3): who may submit, consent, moderation with redaction, withdrawal by
the private link, and where approved stories show; on both databases."""
from __future__ import annotations

from picture_files import has_metadata, photo
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.extensions import db
from pbapp.images.models import Image
from pbapp.outbox.models import OutgoingMail
from pbapp.stories import services as svc
from pbapp.stories.models import Story
from tests.stories.story_pages import story_article, withdraw_link


def _stories() -> int:
    return db.session.scalar(select(func.count(Story.id)))


def _approve(client, login, csrf, world, story_id, text=None, text_es=""):
    login(world.staff)
    story = db.session.get(Story, story_id)
    answer = client.post(f"/staff/stories/{story_id}/approve", data={
        "csrf_token": csrf("/staff/stories"), "public_text": text or story.body,
        "public_text_es": text_es})
    assert answer.status_code == 303
    db.session.expire_all()
    return db.session.get(Story, story_id)


def test_who_may_submit(client, login, send_story, world):
    page = client.get("/stories/new").get_data(as_text=True)
    assert "Sign in to share your story." in page and "<textarea" not in page
    assert "&lt;11" in page or "<11" in page  # the small-cell rule is stated where one submits
    assert client.post("/stories/new", data={"body": "x"}).status_code in (302, 400)
    login(world.unverified)
    page = client.get("/stories/new").get_data(as_text=True)
    assert "Confirm your email address first" in page and "<textarea" not in page
    refused = send_story(project=str(world.project.id))
    assert refused.status_code == 400
    assert "Confirm your email address first" in refused.get_data(as_text=True)
    assert _stories() == 0
    login(world.member)  # a board member whose email is not confirmed: the seat vouches
    assert send_story(project=str(world.project.id)).status_code == 200
    assert _stories() == 1


def test_consent_and_subject_are_required(login, send_story, world):
    login(world.resident)
    for fields, message in [
            ({"consent": None, "project": str(world.project.id)}, "Tick the box"),
            ({}, "Choose what your story is about"),
            ({"body": "  ", "project": str(world.project.id)}, "Write your story first."),
            ({"body": "x" * 2001, "project": str(world.project.id)}, "at most 2,000"),
            ({"project": "999999"}, "That project is not on the list."),
            ({"name_choice": "given", "project": str(world.project.id)}, "Write the name"),
            ({"name_choice": "royal", "project": str(world.project.id)}, "Choose the name")]:
        answer = send_story(**fields)
        assert answer.status_code == 400, fields
        assert message in answer.get_data(as_text=True), fields
    assert _stories() == 0


def test_submission_moderation_and_withdrawal(client, login, csrf, send_story, world):
    login(world.resident)
    answer = send_story(body="The bus driver waited until I was inside. Call me on 0700.",
                        name_choice="given", given_name="R.", project=str(world.project.id),
                        neighbourhood=str(world.northgate.id))
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    link = withdraw_link(answer.get_data(as_text=True))
    story = db.session.scalar(select(Story))
    assert story.status == "pending" and story.shown_name == "R."
    assert story.consent_text.startswith("I agree that this story may be published")
    assert link.rsplit("/", 1)[1] not in story.withdraw_hash  # only the hash is kept
    mail = db.session.scalar(select(OutgoingMail))
    assert mail.to_address == world.resident.email and link in mail.body
    # nothing is public before staff approve it
    for url in (f"/projects/{world.project.id}", "/stories", "/api/v1/stories"):
        assert "The bus driver" not in client.get(url).get_data(as_text=True), url
    queue = client.get("/staff/stories")
    assert queue.status_code == 403
    story = _approve(client, login, csrf, world, story.id,
                     text="The bus driver waited until I was inside.",
                     text_es="El conductor esperó hasta que entré.")
    assert story.status == "approved" and story.redacted
    assert "Call me on 0700" in story.body  # the original stays, for staff only
    client.post("/auth/logout", data={"csrf_token": csrf("/stories")})
    with client.session_transaction() as session:
        session.clear()
    project_page = client.get(f"/projects/{world.project.id}").get_data(as_text=True)
    article = story_article(project_page, story.id)
    assert "waited until I was inside" in article and "0700" not in project_page
    assert "R." in article
    spanish = client.get(f"/projects/{world.project.id}?lang=es").get_data(as_text=True)
    assert "El conductor esperó" in spanish
    api = client.get("/api/v1/stories").get_json()
    assert [s["id"] for s in api["items"]] == [story.id]
    assert api["items"][0]["text"] == "The bus driver waited until I was inside."
    assert "0700" not in client.get("/api/v1/stories").get_data(as_text=True)
    assert "waited until" in client.get("/stories").get_data(as_text=True)
    assert "waited until" in client.get(f"/reports/projects/{world.project.id}").get_data(
        as_text=True) or client.get(f"/reports/projects/{world.project.id}").status_code == 404

    # the private link: GET only asks
    confirm = client.get(link)
    assert confirm.status_code == 200 and "Withdraw and erase my story" in confirm.get_data(
        as_text=True)
    db.session.expire_all()
    assert db.session.get(Story, story.id).status == "approved"
    token = csrf(link)
    done = client.post(link, data={"csrf_token": token})
    assert done.status_code == 303 and done.headers["Location"].endswith(link.split("/", 3)[3])
    assert "was withdrawn" in client.get(link).get_data(as_text=True)
    db.session.expire_all()
    tomb = db.session.get(Story, story.id)
    assert (tomb.status, tomb.body, tomb.public_text, tomb.shown_name, tomb.translations,
            tomb.author_id) == ("withdrawn", "", "", "", {}, None)
    for url in (f"/projects/{world.project.id}", "/stories", "/api/v1/stories",
                f"/projects/{world.project.id}?lang=es"):
        assert "waited until" not in client.get(url).get_data(as_text=True), url
        assert "El conductor" not in client.get(url).get_data(as_text=True), url
    again = client.get(link)
    assert again.status_code == 200 and "This story was withdrawn" in again.get_data(
        as_text=True)
    assert client.post(link, data={"csrf_token": token}).status_code == 200
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"story.approve", "story.withdraw"} <= actions


def test_forged_withdrawal_links_change_nothing(client, csrf, login, send_story, world):
    login(world.resident)
    send_story(metric=str(world.injuries.id))
    before = db.session.scalar(select(Story.status))
    token = csrf("/stories")
    for secret in ("abc", "A" * 43, "A" * 44, "%C2%B2", "..%2F..%2Fetc", "x" * 5000):
        for method in ("get", "post"):
            answer = getattr(client, method)(f"/stories/withdraw/{secret}",
                                             data={"csrf_token": token})
            assert answer.status_code in (400, 404), (secret, method)
            if answer.status_code == 404 and "/" not in secret and "%" not in secret:
                assert "This link does not work" in answer.get_data(as_text=True)
    assert client.get("/stories/withdraw/a%00b").status_code == 400
    db.session.expire_all()
    assert db.session.scalar(select(Story.status)) == before == "pending"
    assert svc.by_secret(None) is None and svc.by_secret("²" * 43) is None


def test_a_withdrawal_without_its_form_token_changes_nothing(client, login, send_story, world):
    login(world.resident)
    link = withdraw_link(send_story(metric=str(world.injuries.id)).get_data(as_text=True))
    answer = client.post(link, data={})
    assert answer.status_code == 400 and "expired" in answer.get_data(as_text=True)
    assert db.session.scalar(select(Story.status)) == "pending"


def test_decline_erases_the_words(client, login, csrf, send_story, world):
    login(world.resident)
    send_story(body="Something private", metric=str(world.injuries.id))
    story_id = db.session.scalar(select(Story.id))
    login(world.staff)
    empty = client.post(f"/staff/stories/{story_id}/decline",
                        data={"csrf_token": csrf("/staff/stories"), "reason": ""})
    assert empty.status_code == 303
    db.session.expire_all()
    assert db.session.get(Story, story_id).status == "pending"
    client.post(f"/staff/stories/{story_id}/decline",
                data={"csrf_token": csrf("/staff/stories"), "reason": "Names a neighbour"})
    db.session.expire_all()
    story = db.session.get(Story, story_id)
    assert (story.status, story.body, story.decline_reason) == ("declined", "",
                                                                 "Names a neighbour")
    assert "Something private" not in client.get("/staff/stories").get_data(as_text=True)
    # a declined story cannot be approved afterwards
    answer = client.post(f"/staff/stories/{story_id}/approve",
                         data={"csrf_token": csrf("/staff/stories"), "public_text": "x"})
    assert answer.status_code == 303
    db.session.expire_all()
    assert db.session.get(Story, story_id).status == "declined"


def test_redacting_a_published_story(client, login, csrf, send_story, world):
    login(world.resident)
    send_story(body="I saw it all from flat 12.", project=str(world.project.id))
    story_id = db.session.scalar(select(Story.id))
    _approve(client, login, csrf, world, story_id)
    client.post(f"/staff/stories/{story_id}/redact", data={
        "csrf_token": csrf("/staff/stories"), "public_text": "I saw it all from my flat.",
        "public_text_es": ""})
    db.session.expire_all()
    story = db.session.get(Story, story_id)
    assert story.public_text == "I saw it all from my flat." and "flat 12" in story.body
    page = client.get(f"/projects/{world.project.id}").get_data(as_text=True)
    assert "from my flat" in page and "flat 12" not in story_article(page, story_id)
    queue = client.get("/staff/stories").get_data(as_text=True)
    assert "flat 12" in queue  # the original, for staff


def test_stories_sit_on_the_metric_report_and_list_pages(client, login, csrf, send_story, world):
    login(world.resident)
    send_story(body="Own-name story about injuries.", name_choice="own",
               metric=str(world.injuries.id))
    story_id = db.session.scalar(select(Story.id))
    _approve(client, login, csrf, world, story_id)
    metric_page = client.get("/metrics/violent-injury").get_data(as_text=True)
    assert "Rosa Resident" in story_article(metric_page, story_id)
    assert "Own-name story" in client.get("/stories").get_data(as_text=True)


def test_the_small_cell_rule(client, login, csrf, send_story, world):
    """Riverside's count on the metric is hidden ("<11"): a story from Riverside beside it shows
    no neighbourhood, anywhere; Northgate's count is shown, so its story names Northgate."""
    login(world.resident)
    send_story(body="Story one.", metric=str(world.injuries.id),
               neighbourhood=str(world.riverside.id))
    send_story(body="Story two.", metric=str(world.injuries.id),
               neighbourhood=str(world.northgate.id))
    send_story(body="Story three.", project=str(world.project.id),
               neighbourhood=str(world.riverside.id))
    send_story(body="Story four.", project=str(world.quiet.id),
               neighbourhood=str(world.riverside.id))
    ids = list(db.session.scalars(select(Story.id).order_by(Story.id)))
    for story_id in ids:
        _approve(client, login, csrf, world, story_id)
    metric_page = client.get("/metrics/violent-injury").get_data(as_text=True)
    assert "&lt;11" in metric_page  # the hidden cell is on the page
    assert "Riverside" not in story_article(metric_page, ids[0])
    assert "Northgate" in story_article(metric_page, ids[1])
    listing = client.get("/stories").get_data(as_text=True)
    assert "Riverside" not in story_article(listing, ids[0])
    assert "Riverside" not in story_article(listing, ids[2])  # its project is measured by it
    assert "Riverside" in story_article(listing, ids[3])  # no figure beside it
    project_page = client.get(f"/projects/{world.project.id}").get_data(as_text=True)
    assert "Riverside" not in story_article(project_page, ids[2])
    api = {s["id"]: s for s in client.get("/api/v1/stories").get_json()["items"]}
    assert api[ids[0]]["neighbourhood"] is None and api[ids[2]]["neighbourhood"] is None
    assert api[ids[1]]["neighbourhood"]["slug"] == "northgate"
    assert api[ids[3]]["neighbourhood"]["slug"] == "riverside"
    assert all(not {"age", "age_band", "author", "body"} & set(s) for s in api.values())


def test_a_picture_is_cleaned_and_shown_only_once_approved(client, login, csrf, send_story,
                                                            world):
    import io

    login(world.resident)
    refused = send_story(project=str(world.project.id),
                         picture=(io.BytesIO(photo(800, 600)), "p.jpg"), picture_alt="")
    assert refused.status_code == 400 and "Say what the picture shows" in refused.get_data(
        as_text=True)
    bad = send_story(project=str(world.project.id),
                     picture=(io.BytesIO(b"not a picture"), "p.jpg"), picture_alt="A bus")
    assert bad.status_code == 400 and "not a JPEG" in bad.get_data(as_text=True)
    assert _stories() == 0 and db.session.scalar(select(func.count(Image.id))) == 0
    answer = send_story(project=str(world.project.id),
                        picture=(io.BytesIO(photo(800, 600)), "p.jpg"),
                        picture_alt="The night bus at the stop")
    assert answer.status_code == 200
    link = withdraw_link(answer.get_data(as_text=True))
    image = db.session.scalar(select(Image))
    url = f"/images/{image.id}/{image.filename}"
    assert not has_metadata(client.get(url).data) if client.get(url).status_code == 200 else True
    with client.session_transaction() as session:
        session.clear()
    assert client.get(url).status_code == 404  # pending: not for the public
    story_id = db.session.scalar(select(Story.id))
    _approve(client, login, csrf, world, story_id)
    with client.session_transaction() as session:
        session.clear()
    served = client.get(url)
    assert served.status_code == 200 and not has_metadata(served.data)
    assert "The night bus at the stop" in client.get(
        f"/projects/{world.project.id}").get_data(as_text=True)
    client.post(link, data={"csrf_token": csrf(link)})
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Image.id))) == 0
    assert client.get(url).status_code == 404


def test_rate_limited_per_account(app, login, send_story, world):
    app.config["STORIES_PER_ACCOUNT"] = "2 per day"
    login(world.resident)
    assert send_story(body="", project=str(world.project.id)).status_code == 400  # free
    for _ in range(2):
        assert send_story(project=str(world.project.id)).status_code == 200
    assert send_story(project=str(world.project.id)).status_code == 429
    assert _stories() == 2


def test_the_api_fits_its_document(client, login, csrf, send_story, world):
    import io

    from pbapp.api.openapi import document
    from tests.api.conftest import validator

    login(world.resident)
    send_story(body="A story with a picture.", name_choice="own", project=str(world.project.id),
               neighbourhood=str(world.northgate.id),
               picture=(io.BytesIO(photo(300, 200)), "p.jpg"), picture_alt="A bus")
    send_story(body="Anonymous.", metric=str(world.injuries.id))
    for story_id in db.session.scalars(select(Story.id)):
        _approve(client, login, csrf, world, story_id, text_es="En español.")
    answer = client.get("/api/v1/stories")
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age=0" in answer.headers["Cache-Control"] and answer.headers["ETag"]
    body = answer.get_json()
    validator(document(), "/stories", 200).validate(body)
    assert len(body["items"]) == 2 and body["items"][0]["text_es"] == "En español."
    assert client.get("/api/v1/stories?page=%C2%B2").status_code == 400
