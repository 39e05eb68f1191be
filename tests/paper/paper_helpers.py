"""Helpers for the paper-ballot tests: counting rows and driving the staff pages."""
from sqlalchemy import func, select

from pbapp.extensions import db
from pbapp.paper.models import PaperBatch


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


class PaperDriver:
    """What a staff member does in the browser, one method per form."""

    def __init__(self, client, csrf, login):
        self.client, self.csrf, self.login = client, csrf, login

    def as_(self, user):
        self.login(user)
        return self

    def start(self, label="Library box 1", slug="autumn"):
        url = f"/staff/paper/{slug}"
        resp = self.client.post(url, data={"csrf_token": self.csrf(url), "label": label})
        batch = db.session.scalar(select(PaperBatch).where(PaperBatch.label == label))
        return resp, batch

    def enter(self, batch, rnd, serial, ranking, code="", roll=""):
        url = f"/staff/paper/batch/{batch.id}/round/{rnd}"
        data = {"csrf_token": self.csrf(url), "serial": serial, "code": code, "roll": roll}
        data.update({f"rank_{n}": str(p) for n, p in enumerate(ranking, start=1)})
        return self.client.post(url, data=data)

    def correct(self, batch, rnd, serial, ranking, code="", roll=""):
        url = f"/staff/paper/batch/{batch.id}/round/{rnd}/{serial}"
        data = {"csrf_token": self.csrf(url), "code": code, "roll": roll}
        data.update({f"rank_{n}": str(p) for n, p in enumerate(ranking, start=1)})
        return self.client.post(url, data=data)

    def action(self, batch, name, **fields):
        token = self.csrf(f"/staff/paper/batch/{batch.id}")
        return self.client.post(f"/staff/paper/batch/{batch.id}/{name}",
                                data={"csrf_token": token, **fields})

    def page(self, batch) -> str:
        resp = self.client.get(f"/staff/paper/batch/{batch.id}")
        assert resp.status_code == 200
        return resp.get_data(as_text=True)
