"""After an agreement's retention date its measurements leave every public output (the API,
the metric page and the project report's CSV), with a note saying they were hidden and why;
``flask agreements check`` protects the metric again so this holds on the day without any change
to the data. On both databases."""
from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import func, select

from pbapp import page_memory
from pbapp.extensions import db
from pbapp.metrics.models import Measurement, MetricAudit, PublishedCell

from agreement_dates import RETAIN, VALUE, noon


def _outputs(client, world) -> dict[str, str]:
    page_memory.forget()
    return {"api": client.get("/api/v1/metrics/violent-incidents/measurements").get_data(
                as_text=True),
            "page": client.get("/metrics/violent-incidents").get_data(as_text=True),
            "csv": client.get(f"/reports/projects/{world.project.id}.csv").get_data(
                as_text=True)}


def _shown(text: str) -> bool:
    return str(VALUE) in text or f"{VALUE:,}" in text


def test_numbers_leave_the_api_page_and_report_after_the_retention_date(world, client, freeze,
                                                                        runner):
    freeze(noon(RETAIN))  # the last day they are kept
    before = _outputs(client, world)
    assert all(_shown(text) for text in before.values()), before
    assert json.loads(client.get("/api/v1/metrics/violent-incidents").data)["withheld"] is None

    freeze(noon(RETAIN + timedelta(days=1)))
    result = runner.invoke(args=["agreements", "check", "--no-mail"])
    assert result.exit_code == 0, result.output
    assert "police-data: retention date 2027-06-30 passed" in result.output
    assert db.session.scalar(select(func.count(PublishedCell.id)).where(
        PublishedCell.metric_id == world.metric.id)) == 0
    assert db.session.get(MetricAudit, world.metric.id).passed
    after = _outputs(client, world)
    assert not any(_shown(text) for text in after.values()), after
    assert json.loads(after["api"])["items"] == []
    doc = json.loads(client.get("/api/v1/metrics/violent-incidents").data)
    assert doc["withheld"]["since"] == "2027-07-01"
    assert doc["withheld"]["agreement"] == "police-data"
    assert "retention date (2027-06-30) has passed" in doc["withheld"]["message"]
    assert "have been hidden since" in after["page"]
    assert "progress,progress-{0},Violent incidents,latest,hidden since 2027-07-01: the " \
        "data-sharing agreement's retention date has passed,retention".format(world.project.id) \
        in after["csv"].replace('"', "")
    assert 'href="/agreements/police-data"' in after["page"]
    # the raw rows stay for staff until the partners delete them
    assert db.session.scalar(select(func.count(Measurement.id))) == 2


def test_hidden_on_the_day_even_before_the_check_runs(world, client, freeze):
    freeze(noon(RETAIN + timedelta(days=1)))
    after = _outputs(client, world)
    assert not _shown(after["api"]) and not _shown(after["csv"])


def test_a_later_retention_date_publishes_them_again(world, client, freeze, login, csrf):
    from pbapp.agreements import services as svc

    freeze(noon(RETAIN + timedelta(days=1)))
    a = world.agreement
    svc.save_agreement(world.staff, svc.AgreementFields(
        slug=a.slug, title=a.title, starts_on=a.starts_on, expires_on=a.expires_on,
        retain_until=date(2030, 1, 1)), a, consent="")
    db.session.commit()
    assert _shown(_outputs(client, world)["api"])
