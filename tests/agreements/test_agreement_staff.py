"""Staff keep the agreements: the 30-day warning (banner, ``flask agreements check``, one email
per agreement and expiry date) counted in the city's calendar, who may create, change and
delete, consent texts kept as dated versions, and the public pages in both languages."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from pbapp.agreements.models import Agreement
from pbapp.agreements.rules import expiring
from pbapp.audit.models import AuditEvent
from pbapp.extensions import db
from pbapp.models_base import site_today
from pbapp.outbox.models import OutgoingMail

from agreement_dates import noon

#: 05:00 UTC on 1 January 2027 is still 31 December 2026 in Los Angeles
INSTANT = datetime(2027, 1, 1, 5, tzinfo=timezone.utc)
CITY_TODAY = date(2026, 12, 31)


@pytest.fixture()
def in_los_angeles(app, world, freeze):
    app.config["BABEL_DEFAULT_TIMEZONE"] = "America/Los_Angeles"
    freeze(INSTANT)
    world.agreement.expires_on = date(2030, 1, 1)
    world.agreement.retain_until = date(2031, 1, 1)
    db.session.commit()
    assert site_today() == CITY_TODAY
    return world


def _agreement(slug: str, days: int) -> Agreement:
    return Agreement(slug=slug, title=f"Expires in {days} days", starts_on=date(2026, 1, 1),
                     expires_on=CITY_TODAY + timedelta(days=days))


def test_the_warning_starts_30_days_before_in_the_citys_calendar(in_los_angeles, client, login,
                                                                 runner):
    db.session.add_all([_agreement(f"in-{n}", n) for n in (29, 30, 31)])
    db.session.commit()
    assert [a.slug for a in expiring(site_today())] == ["in-29", "in-30"]
    login(in_los_angeles.staff)
    page = client.get("/cycles/manage/").get_data(as_text=True)
    assert "expiring within 30 days" in page
    assert "Expires in 29 days" in page and "Expires in 30 days" in page
    assert "Expires in 31 days" not in page
    result = runner.invoke(args=["agreements", "check"])
    assert result.exit_code == 0, result.output
    assert "in-29 (“Expires in 29 days”) expires on 2027-01-29, in 29 day(s)" in result.output
    assert "in-30" in result.output and "in-31" not in result.output
    staff = 2  # the world's staff and admin
    assert f"Queued {2 * staff} warning email(s)" in result.output
    assert db.session.scalar(select(func.count(OutgoingMail.id))) == 2 * staff
    again = runner.invoke(args=["agreements", "check"])
    assert "Queued" not in again.output  # once per agreement and expiry date
    assert db.session.scalar(select(func.count(OutgoingMail.id))) == 2 * staff
    mail = db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)).first()
    assert "expires on 2027-01-29" in mail.subject and "/agreements/in-29/edit" in mail.body


def test_residents_see_no_banner(in_los_angeles, client, login):
    db.session.add(_agreement("soon", 3))
    db.session.commit()
    login(in_los_angeles.resident)
    assert "expiring within 30 days" not in client.get("/agreements/").get_data(as_text=True)


def test_a_renewed_agreement_is_warned_of_again(in_los_angeles, runner):
    soon = _agreement("soon", 10)
    db.session.add(soon)
    db.session.commit()
    runner.invoke(args=["agreements", "check"])
    soon.expires_on = CITY_TODAY + timedelta(days=20)  # renewed, for a short while
    db.session.commit()
    assert "Queued 2" in runner.invoke(args=["agreements", "check"]).output


@pytest.mark.parametrize("who", [None, "resident"])
def test_only_staff_may_keep_agreements(world, client, login, csrf, who):
    if who:
        login(getattr(world, who))
    for url in ("/agreements/new", "/agreements/police-data/edit"):
        answer = client.get(url)
        assert answer.status_code == (403 if who else 302), url
        assert client.post(url, data={"title": "Taken over", "slug": "x",
                                      "starts_on": "2026-01-01"}).status_code in (302, 400, 403)
    assert client.post("/agreements/police-data/delete").status_code in (302, 400, 403)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Agreement.id))) == 1
    assert world.agreement.title == "Police recorded violence"


def _form(**over) -> dict:
    return {"title": "Hospital admissions", "slug": "hospital-admissions",
            "starts_on": "2026-01-01", "expires_on": "2027-12-31", "retain_until": "2028-12-31",
            "parties": "The hospital shares with the partnership.", "purpose": "To count.",
            "consent": "You agree to be counted.", "consent_es": "Acepta que se le cuente.",
            "title_es": "Ingresos hospitalarios", **over}


def test_staff_create_change_and_delete_with_dated_consent_versions(world, client, login, csrf,
                                                                    freeze):
    login(world.admin)
    answer = client.post("/agreements/new", data={**_form(), "csrf_token": csrf(
        "/agreements/new"), "metrics": [str(world.other.id)]})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    made = db.session.scalar(select(Agreement).where(Agreement.slug == "hospital-admissions"))
    assert made.consent.version == 1 and made.consent.adopted_on == date(2026, 11, 1)
    assert [m.key for m in made.metrics] == ["free-metric"]
    freeze(noon(date(2026, 12, 1)))
    url = "/agreements/hospital-admissions/edit"
    assert client.post(url, data={**_form(consent="You agree, and may withdraw."),
                                  "csrf_token": csrf(url), "metrics": [str(world.other.id)]}
                       ).status_code == 303
    db.session.expire_all()
    assert [(c.version, c.adopted_on) for c in made.consents] == [
        (2, date(2026, 12, 1)), (1, date(2026, 11, 1))]
    page = client.get("/agreements/hospital-admissions").get_data(as_text=True)
    assert "You agree, and may withdraw." in page and "Earlier versions" in page
    spanish = client.get("/agreements/hospital-admissions",
                         headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Ingresos hospitalarios" in spanish and "Acepta que se le cuente." in spanish
    assert "Versión 2" in spanish
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action.in_(("agreement.create", "agreement.update")))) == 2
    token = csrf("/agreements/hospital-admissions")
    assert client.post("/agreements/hospital-admissions/delete",
                       data={"csrf_token": token}).status_code == 303
    assert db.session.scalar(select(func.count(Agreement.id))) == 1
    db.session.expire_all()
    assert world.other.agreement_id is None


@pytest.mark.parametrize("over, said", [
    ({"slug": "New"}, "lowercase letters, digits and single hyphens"),
    ({"slug": "police-data"}, "already has the address name"),
    ({"slug": "new"}, "is reserved"),
    ({"expires_on": "2025-12-31"}, "cannot expire before it starts"),
    ({"retain_until": "2027-01-01"}, "kept at least until the agreement expires"),
    ({"starts_on": "1900-01-01"}, "is not a date this agreement can have"),
    ({"title": ""}, "Give the agreement a title."),
])
def test_bad_input_is_named_and_changes_nothing(world, client, login, csrf, over, said):
    login(world.staff)
    answer = client.post("/agreements/new", data={**_form(**over),
                                                  "csrf_token": csrf("/agreements/new")})
    assert answer.status_code == 200
    assert said in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Agreement.id))) == 1


def test_the_public_pages_link_metric_and_agreement(world, client):
    metric_page = client.get("/metrics/violent-incidents").get_data(as_text=True)
    assert 'href="/agreements/police-data"' in metric_page
    page = client.get("/agreements/police-data").get_data(as_text=True)
    for text in ("City Police shares with the partnership.", "Public task.", "Two years.",
                 "Write to the officer.", "mailto:dpo@example.org", "/metrics/small-numbers",
                 "/metrics/violent-incidents"):
        assert text in page, text
    listing = client.get("/agreements/").get_data(as_text=True)
    assert "Police recorded violence" in listing
    assert client.get("/agreements/nothing-here").status_code == 404
