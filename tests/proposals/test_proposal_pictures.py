"""A board's picture on its proposal: uploaded with the draft, cleaned, described, served."""
import io

import pytest
from PIL import Image as PILImage
from picture_files import animation, bomb, has_metadata, photo
from sqlalchemy import func, select

from pbapp.extensions import db
from pbapp.images.models import Image
from pbapp.proposals.models import Proposal


def draft_data(**kw) -> dict:
    data = {"title": "Summer youth jobs", "summary": "Paid placements for 120 young people.",
            "problem": "Violence peaks in August.", "cost": "150000"}
    data.update(kw)
    return data


def upload(raw: bytes, name: str = "IMG_0042.jpg"):
    return (io.BytesIO(raw), name)


@pytest.fixture()
def world(make_cycle, make_board, make_member):
    cycle = make_cycle()
    board = make_board()
    return {"cycle": cycle, "board": board, "member": make_member(board)}


def _new(client, csrf, world, **kw):
    return client.post("/proposals/new", data=draft_data(
        board=world["board"].id, cycle=world["cycle"].id, csrf_token=csrf("/proposals/new"),
        **kw), content_type="multipart/form-data")


def test_a_draft_gets_a_clean_resized_picture_shown_with_its_size(client, login, csrf, world):
    login(world["member"])
    assert b'enctype="multipart/form-data"' in client.get("/proposals/new").data
    resp = _new(client, csrf, world, picture=upload(photo()),
                picture_alt="Young people planting trees in Elm Park")
    assert resp.status_code == 303
    proposal = db.session.scalar(select(Proposal))
    image = proposal.image
    assert (image.width, image.height, image.content_type) == (1200, 800, "image/jpeg")
    assert image.alt == "Young people planting trees in Elm Park"

    url = f"/images/{image.id}/{image.filename}"
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert (f'src="{url}" alt="Young people planting trees in Elm Park" width="1200" '
            'height="800"') in page
    served = client.get(url)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "max-age=31536000" in served.headers["Cache-Control"]
    assert "private" in served.headers["Cache-Control"]  # a draft: the board's and staff's
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert has_metadata(served.data) == []
    assert PILImage.open(io.BytesIO(served.data)).size == (1200, 800)
    again = client.get(url, headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304


def test_a_public_proposals_picture_is_cached_by_anyone_and_on_its_card(
        client, login, world, make_proposal):
    proposal = make_proposal(world["board"], world["cycle"], status="accepted")
    proposal.image = Image(digest="a" * 64, content_type="image/png", width=10, height=5,
                           byte_size=3, alt="A bus stop", data=b"png")
    db.session.commit()
    url = f"/images/{proposal.image.id}/{proposal.image.filename}"
    served = client.get(url)
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert "public" in served.headers["Cache-Control"]
    assert "immutable" in served.headers["Cache-Control"]
    listing = client.get("/proposals/").get_data(as_text=True)
    assert f'src="{url}" alt="A bus stop" width="10" height="5"' in listing
    assert client.get(f"/images/{proposal.image.id}/wrong.png").status_code == 404


def test_a_drafts_picture_is_hidden_from_the_public(client, login, world, make_proposal):
    proposal = make_proposal(world["board"], world["cycle"])
    proposal.image = Image(digest="b" * 64, content_type="image/png", width=10, height=5,
                           byte_size=3, alt="A draft's picture", data=b"png")
    db.session.commit()
    url = f"/images/{proposal.image.id}/{proposal.image.filename}"
    assert client.get(url).status_code == 404
    login(world["member"])
    assert client.get(url).status_code == 200


def test_a_picture_needs_its_description(client, login, csrf, world):
    login(world["member"])
    resp = _new(client, csrf, world, picture=upload(photo(300, 200)), picture_alt=" ")
    assert resp.status_code == 200
    assert "Say what the picture shows" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0
    assert db.session.scalar(select(func.count()).select_from(Image)) == 0


@pytest.mark.parametrize("raw, name, message", [
    (b"%PDF-1.7", "minutes.pdf", "not a JPEG, PNG or WebP"),
    (animation(), "dance.webp", "Animated pictures are not accepted"),
    (bomb(), "bomb.png", "too many pixels"),
    (b"", "empty.jpg", "The file is empty")], ids=["pdf", "animated", "bomb", "empty"])
def test_bad_files_are_refused_and_nothing_is_written(client, login, csrf, world, raw, name,
                                                      message):
    login(world["member"])
    resp = _new(client, csrf, world, picture=upload(raw, name), picture_alt="Something")
    assert resp.status_code == 200 and message in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0
    assert db.session.scalar(select(func.count()).select_from(Image)) == 0


def test_editing_replaces_describes_and_removes_the_picture(client, login, csrf, world,
                                                           make_proposal, fresh):
    login(world["member"])
    proposal = make_proposal(world["board"], world["cycle"])
    url = f"/proposals/{proposal.id}/edit"
    data = draft_data()
    post = lambda **kw: client.post(url, data={**data, "csrf_token": csrf(url), **kw},  # noqa
                                    content_type="multipart/form-data")
    assert post(picture=upload(photo(600, 400, fmt="PNG")), picture_alt="First").status_code == 303
    first = fresh(proposal).image
    assert (first.content_type, first.width) == ("image/png", 600)
    assert post(picture=upload(photo(500, 500, fmt="WEBP")), picture_alt="Second").status_code == 303
    second = fresh(proposal).image
    assert second.content_type == "image/webp" and second.id != first.id
    assert db.session.scalar(select(func.count()).select_from(Image)) == 1  # the old one gone
    assert post(picture_alt="Second, described better").status_code == 303
    assert fresh(proposal).image.alt == "Second, described better"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Second, described better"' in page and "Remove the picture" in page
    assert post(picture_alt="").status_code == 200  # a kept picture still needs its words
    assert post(remove_picture="y", picture_alt="").status_code == 303
    assert fresh(proposal).image is None
    assert db.session.scalar(select(func.count()).select_from(Image)) == 0


def test_the_list_counts_proposals_by_status_and_cycle(client, world, make_cycle,
                                                       make_proposal):
    other = make_cycle(slug="2027-autumn")
    for title in ("One", "Two"):
        make_proposal(world["board"], world["cycle"], status="accepted", title=title)
    make_proposal(world["board"], world["cycle"], status="rejected", title="Three")
    make_proposal(world["board"], other, status="accepted", title="Four")
    make_proposal(world["board"], other, status="draft", title="Hidden draft")
    page = client.get("/proposals/").get_data(as_text=True)
    assert "4 proposals" in page
    assert "Accepted&nbsp;(3)" in page and "Rejected&nbsp;(1)" in page
    assert "Cycle 2027-spring&nbsp;(3)" in page and "Cycle 2027-autumn&nbsp;(1)" in page
    assert "Hidden draft" not in page and "Draft&nbsp;(" not in page
    page = client.get("/proposals/?status=accepted").get_data(as_text=True)
    assert "3 proposals" in page and "Cycle 2027-spring&nbsp;(2)" in page
    page = client.get("/proposals/?cycle=2027-autumn").get_data(as_text=True)
    assert "1 proposal<" in page and "Rejected" not in page.split('id="proposal-list"')[1]
