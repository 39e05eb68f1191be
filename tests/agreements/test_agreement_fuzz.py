"""Odd input to the agreement form and odd agreement addresses (issue 21, part 2): NUL bytes,
"²", dates no calendar has or far outside any agreement's life. Each gets a clear answer (a
form error, a 400 or a 404), never a 500, and changes nothing; on both databases."""
from __future__ import annotations

from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from pbapp.agreements.models import Agreement, ConsentText
from pbapp.extensions import db

ODD = st.sampled_from(["", " ", "\x00", "a\x00b", "²", "٣", "-1", "0", "99999999999999999999",
                       "99999-01-01", "0000-00-00", "2026-02-30", "0001-01-01", "1800-01-01",
                       "9999-12-31", "<script>", "x" * 30_000, "2026-13-01", "New Slug",
                       "police-data", "new", "\u202e", "1e400", str(2**64)])
FIELDS = ["title", "slug", "parties", "purpose", "legal_basis", "data_shared", "protection",
          "retention", "objection", "contact", "starts_on", "expires_on", "retain_until",
          "delete_by", "consent", "metrics", "title_es", "consent_es"]
GOOD = {"title": "Police recorded violence", "slug": "police-data", "starts_on": "2025-01-01",
        "expires_on": "2026-12-31", "retain_until": "2027-06-30", "consent": "I agree."}


def _state():
    return (tuple(db.session.execute(select(
        Agreement.slug, Agreement.title, Agreement.starts_on, Agreement.expires_on,
        Agreement.retain_until, Agreement.delete_by, Agreement.contact).order_by(Agreement.id))),
        tuple(db.session.execute(select(ConsentText.body, ConsentText.version))))


def test_odd_form_input_is_refused_clearly(client, login, csrf, world):
    login(world.staff)
    url = "/agreements/police-data/edit"
    token = csrf(url)
    assert client.post(url, data={**GOOD, "csrf_token": token}).status_code == 303
    db.session.expire_all()

    @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
    @given(target=st.sampled_from([url, "/agreements/new"]), name=st.sampled_from(FIELDS),
           value=ODD)
    def fuzz(target, name, value):
        before = _state()
        data = {**GOOD, name: value, "csrf_token": token}
        if target.endswith("/new"):
            data["slug"] = value if name == "slug" else "fresh-one"
        answer = client.post(target, data=data)
        assert answer.status_code in (200, 303, 400), (target, name, value)
        if answer.status_code == 303:
            # accepted (a text the form may take): put the agreement back as it was
            db.session.rollback()
            edited = answer.headers["Location"].rsplit("/", 1)[1]
            if target.endswith("/new"):
                db.session.delete(db.session.scalar(select(Agreement).where(
                    Agreement.slug == edited)))
                db.session.commit()
            else:
                back = client.post(f"/agreements/{edited}/edit", data={**GOOD, "csrf_token": token})
                assert back.status_code == 303, (name, value)
            return
        db.session.rollback()
        assert _state() == before, (target, name, value)
        if answer.status_code == 200:
            page = answer.get_data(as_text=True)
            assert 'class="error"' in page or "flash-error" in page, (target, name, value)

    fuzz()


def test_odd_agreement_addresses_are_not_found(client, world):
    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    @given(slug=st.one_of(ODD, st.text(min_size=1, max_size=120)))
    def fuzz(slug):
        for base in ("/agreements/", "/api/v1/agreements/"):
            answer = client.get(base + quote(slug, safe=""))
            expected = (302,) if base + slug == "/agreements/new" else (200, 301, 308, 400, 404)
            assert answer.status_code in expected, (base, slug)
            if answer.status_code == 200:
                assert slug in ("police-data", ""), slug

    fuzz()
