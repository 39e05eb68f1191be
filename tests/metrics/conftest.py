"""Factories for metrics, neighbourhoods and measurements, and a signed-in staff member."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.cycles.models import Neighbourhood
from pbapp.extensions import db
from pbapp.metrics.models import Measurement, Metric


@pytest.fixture()
def make_metric(app):
    """``make_metric(key="violent-injuries", kind="count", **fields)``."""
    def make(key: str = "violent-injuries", kind: str = "count", **kw) -> Metric:
        kw.setdefault("name", key.replace("-", " ").capitalize())
        kw.setdefault("unit", "injuries" if kind == "count" else "%")
        if kind == "rate":
            kw.setdefault("rate_per", 1000)
        metric = Metric(key=key, kind=kind, **kw)
        db.session.add(metric)
        db.session.commit()
        return metric
    return make


@pytest.fixture()
def make_hood(app):
    def make(slug: str = "northside", name: str | None = None) -> Neighbourhood:
        hood = Neighbourhood(slug=slug, name=name or slug.capitalize())
        db.session.add(hood)
        db.session.commit()
        return hood
    return make


@pytest.fixture()
def measure(app):
    """Store one raw cell directly: ``measure(metric, value, start=, end=, scope=, ...)``."""
    def add(metric: Metric, value=None, start: date = date(2026, 1, 1),
            end: date = date(2026, 3, 31), scope: str = "city", scope_ref: str = "",
            breakdown: str = "", group: str = "", **kw) -> Measurement:
        m = Measurement(metric_id=metric.id, scope=scope, scope_ref=scope_ref,
                        period_start=start, period_end=end, value=value, breakdown=breakdown,
                        group_name=group, **kw)
        db.session.add(m)
        db.session.commit()
        return m
    return add


@pytest.fixture()
def staff(make_user, login):
    return login(make_user("staff", name="Sam Staff"))


@pytest.fixture()
def counts(app):
    """Rows a refused request must leave alone: measurements, metrics and audit events."""
    def snapshot() -> dict:
        db.session.expire_all()
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in (Measurement, Metric, AuditEvent)}
    return snapshot




@pytest.fixture()
def session_token(client, app):
    """A valid CSRF token for the client's session, for posts no page offers a form for."""
    from itsdangerous import URLSafeTimedSerializer

    def token() -> str:
        with client.session_transaction() as session:
            raw = session.setdefault("csrf_token", "m" * 40)
        return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    return token
