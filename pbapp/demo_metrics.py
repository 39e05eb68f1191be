"""The demo city's shared metrics: the catalogue, quarterly measurements and funded projects'
targets, so the metric, project and transparency pages have believable content.

Everything comes from a ``random.Random`` seeded from the demo's seed and kept apart from the
ballots' one, so the numbers do not move when the demo is seeded with fewer ballots. Counts are
small enough in places (Hillcrest, Old Town, hospital admissions) that small-cell protection
shows; targets are fitted to the seeded numbers so the demo has achieved, on-track and off-track
ones.
"""
from __future__ import annotations

import math
import random
from datetime import date, timedelta

from flask_babel import force_locale
from sqlalchemy import insert, select

from . import demo_spanish
from .extensions import db
from .metrics.models import Measurement, Metric, ProjectMetric
from .metrics.progress import judge, latest_for
from .metrics.published import publish_all
from .metrics.tables import series
from .voting.roll import AGE_BANDS

FIRST_QUARTER = date(2025, 1, 1)
#: the last quarter before the projects were funded: every target's baseline where it can be
BASELINE_ON = date(2026, 3, 31)
#: the boldest target the demo sets, in percentage points (counts and medians: 35% better)
BOLDEST = 15.0
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
POLICE_SHARING = (
    "Counts of recorded incidents per neighbourhood and quarter, and of victims by age band, "
    "gender, ethnicity and disability as the officer recorded them. No names, addresses, "
    "dates or crime reference numbers leave the police.",
    "No individual consent: aggregate statistics shared for the public task under the "
    "community-safety partnership's information-sharing protocol.",
    "The partnership keeps and publishes the aggregates indefinitely; the police keep the "
    "underlying records under their own retention schedule.")
HEALTH_SHARING = (
    "Quarterly counts by home neighbourhood, age band, gender, ethnicity and disability. No "
    "dates of birth, postcodes or patient numbers.",
    "De-identified aggregates under a data-sharing agreement with the provider; nobody can be "
    "identified, so no individual consent is asked. Counts of 1 to 10 are never published.",
    "Aggregates are kept for 10 years; patient records stay with the provider under its policy.")
CASE_SHARING = (
    "Per referral: the referral date, first-contact date, neighbourhood and demographics, pooled "
    "in the partners' shared case system. Only medians, rates and case counts leave it.",
    "People agree at referral to be counted in anonymous statistics; anyone who declines is "
    "left out of the breakdowns.",
    "Case-level dates are deleted from the pooled extract after 24 months; published figures "
    "are kept.")
SURVEY_SHARING = (
    "Anonymous survey answers with the respondent's neighbourhood, age band, gender, ethnicity "
    "and disability; no names or contact details.",
    "Respondents consent when they take part; every question can be skipped.",
    "Answers are kept for 5 years for trends, then deleted; published figures are kept.")
#: key, name, definition, unit, kind, better, source, supplier, agreement
CATALOGUE = [
    ("violent-incidents", "Violent incidents", "Violence against the person recorded by City "
     "Police, by where it happened: assault with or without injury, robbery and threats to "
     "kill. An incident counts once however many victims; breakdowns describe its first victim.",
     "incidents", "count", "lower", "police", "City Police, Analysis Unit", POLICE_SHARING),
    ("assault-admissions", "Hospital admissions for assault", "Emergency admissions to the "
     "city's two hospitals for injuries from assault, counted by the patient's home "
     "neighbourhood.", "admissions", "count", "lower", "hospital",
     "City General Hospital, Information Services", HEALTH_SHARING),
    ("ambulance-violence-responses", "Ambulance responses to violence", "Ambulance calls "
     "attended where the crew recorded assault as the cause, by where the call was.",
     "responses", "count", "lower", "ambulance", "Regional Ambulance Service", HEALTH_SHARING),
    ("days-to-intervention", "Days from referral to intervention", "For people referred to a "
     "violence-prevention service in the quarter, the median number of days from referral to "
     "the first face-to-face contact; the number of cases is shown with it.", "days", "median",
     "lower", "partner", "Street Outreach Collective and partner services", CASE_SHARING),
    ("service-linkage-rate", "Service linkage rate", "Share of people referred after a violent "
     "injury or incident who were in contact with at least one support service within 30 days.",
     "% of referrals", "percent", "higher", "partner",
     "Hospital violence-intervention team and Street Outreach Collective", CASE_SHARING),
    ("repeat-victimisation", "Repeat victimisation", "Share of the quarter's victims of "
     "violence who were also the victim of a recorded violent incident in the 12 months "
     "before.", "% of victims", "percent", "lower", "police", "City Police, Analysis Unit",
     POLICE_SHARING),
    ("feel-safe", "Residents who feel safe", "Share of resident-survey respondents who feel "
     "very or fairly safe walking alone in their neighbourhood after dark.", "% of residents",
     "percent", "higher", "survey", "City resident survey (independent polling firm)",
     SURVEY_SHARING),
    ("trust-institutions", "Trust in local institutions", "Share of resident-survey "
     "respondents who trust the council, the police and the health services a great deal or a "
     "fair amount, on average across the three.", "% of residents", "percent", "higher",
     "survey", "City resident survey (independent polling firm)", SURVEY_SHARING),
]
#: per metric: per-neighbourhood level (a quarter's count per 1,000 residents, a share, or
#: median days; in NEIGHBOURHOODS order), and the change per quarter once projects started
LEVELS = {
    "violent-incidents": ((3.8, 2.7, 2.4, 4.0, 0.85, 3.0), -0.05),
    "assault-admissions": ((0.95, 0.7, 1.1, 1.0, 0.5, 0.75), -0.04),
    "ambulance-violence-responses": ((1.4, 1.0, 1.2, 1.5, 0.5, 1.1), -0.03),
    "days-to-intervention": ((19, 23, 26, 18, 30, 21), -0.08),
    "service-linkage-rate": ((0.50, 0.46, 0.41, 0.55, 0.38, 0.48), 0.035),
    "repeat-victimisation": ((0.21, 0.17, 0.15, 0.23, 0.12, 0.19), -0.01),
    "feel-safe": ((0.62, 0.70, 0.74, 0.55, 0.83, 0.66), 0.02),
    "trust-institutions": ((0.48, 0.55, 0.58, 0.42, 0.64, 0.51), -0.02),
}
#: breakdown -> (group, share of people counted); groups of a count add up to its total
GROUPS = {
    "age_band": list(zip(AGE_BANDS, (0.11, 0.26, 0.25, 0.16, 0.11, 0.07, 0.04))),
    "gender": [("woman", 0.37), ("man", 0.552), ("another gender", 0.015),
               ("not recorded", 0.063)],
    "race_ethnicity": [("Asian", 0.09), ("Black", 0.22), ("Hispanic or Latino", 0.17),
                       ("White", 0.42), ("Mixed or another group", 0.06),
                       ("not recorded", 0.04)],
    "disability": [("yes", 0.15), ("no", 0.74), ("not recorded", 0.11)],
}
#: how much likelier a group is to answer yes than everyone (survey shares only)
LEANINGS = {"woman": 0.86, "man": 1.1, "another gender": 0.75, "yes": 0.82, "65+": 0.88,
            "under 18": 0.92, "18-24": 0.95}
#: metric and where its progress is read: "city", "hood" (the proposal's first neighbourhood)
#: or "project" (the project's own measurements, once it has started)
TARGETS = {
    "Violence interruption team": [("violent-incidents", "hood"),
                                   ("service-linkage-rate", "project"),
                                   ("repeat-victimisation", "city")],
    "Crisis response without police": [("ambulance-violence-responses", "city"),
                                       ("days-to-intervention", "project")],
    "Summer youth jobs": [("violent-incidents", "city"), ("trust-institutions", "city")],
    "Street lighting on Canal Walk": [("feel-safe", "hood"), ("violent-incidents", "hood")],
    "Hospital-based intervention": [("assault-admissions", "city"),
                                    ("service-linkage-rate", "project"),
                                    ("repeat-victimisation", "city")],
    "Weekend wellness events": [("feel-safe", "city"), ("trust-institutions", "city")],
    "Safe routes to school": [("feel-safe", "hood")],
    "Vacant lot greening": [("violent-incidents", "hood"), ("feel-safe", "hood")],
    "Trauma counselling for families": [("days-to-intervention", "project"),
                                        ("service-linkage-rate", "project")],
    "Late-night youth centre": [("violent-incidents", "hood"), ("trust-institutions", "city")],
}
WANTED = ("achieved", "on_track", "off_track")
TARGET_DATES = (date(2027, 12, 31), date(2028, 6, 30))
def quarters(today: date) -> list[tuple[date, date]]:
    """Every full quarter from 2025 until the one before today's."""
    out, start = [], FIRST_QUARTER
    while True:
        nxt = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
        if nxt > today:
            return out
        out.append((start, nxt - timedelta(days=1)))
        start = nxt


def split(total: int, weights: list[float], rng: random.Random, jitter: float = 0.1,
          caps: list[int] | None = None) -> list[int]:
    """``total`` shared out in proportion to ``weights`` (a little jittered), largest remainder
    first, so the parts add up exactly; no part exceeds its cap when caps are given."""
    w = [x * rng.uniform(1 - jitter, 1 + jitter) for x in weights]
    exact = [total * x / (sum(w) or 1) for x in w]
    parts = [math.floor(x) for x in exact]
    for i in sorted(range(len(w)), key=lambda i: parts[i] - exact[i])[:total - sum(parts)]:
        parts[i] += 1
    if caps:
        spill = sum(max(p - c, 0) for p, c in zip(parts, caps))
        parts = [min(p, c) for p, c in zip(parts, caps)]
        for i in sorted(range(len(parts)), key=lambda i: parts[i] - caps[i]):
            moved = min(spill, caps[i] - parts[i])
            parts[i], spill = parts[i] + moved, spill - moved
    return parts


def _count(mean: float, rng: random.Random) -> int:
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))


def _yes(n: int, p: float, rng: random.Random) -> int:
    p = min(max(p, 0.01), 0.99)
    return sum(rng.random() < p for _ in range(n))


def seed_catalogue() -> dict[str, Metric]:
    """The eight shared metrics, reusing any a previous catalogue already has by key."""
    have = {m.key: m for m in db.session.scalars(select(Metric))}
    for key, name, definition, unit, kind, better, source, supplier, sharing in CATALOGUE:
        if key not in have:
            have[key] = Metric(key=key, name=name, definition=definition, unit=unit, kind=kind,
                               better=better, source=source, supplier=supplier,
                               frequency="quarterly", sharing_what=sharing[0],
                               sharing_consent=sharing[1], sharing_retention=sharing[2])
            have[key].translate(demo_spanish.metric_texts(key))
            db.session.add(have[key])
    db.session.flush()
    return have


def _cell(metric: Metric, amount: tuple, **where) -> dict:
    value, numerator, denominator = amount
    return {"metric_id": metric.id, "value": value, "numerator": numerator,
            "denominator": denominator, "breakdown": "", "group_name": "",
            "neighbourhood_id": None, "project_id": None, "scope_ref": "",
            "source": metric.supplier, "note": "", **where}


def _neighbourhood_amount(key: str, kind: str, level: float, n: int, hood, small_survey: bool,
                          rng: random.Random) -> tuple:
    """One neighbourhood-quarter as (value, numerator, denominator)."""
    per_1000 = hood.population / 1000
    if kind == "count":
        return _count(level * per_1000, rng), None, None
    incidents = _count(LEVELS["violent-incidents"][0][n] * per_1000, rng)
    referrals = round(incidents * 0.6)
    if kind == "median":
        return round(max(2.0, rng.gauss(level, level * 0.12)) * 2) / 2, None, referrals
    if key in ("feel-safe", "trust-institutions"):
        size = 8 if small_survey else max(30, round(rng.gauss(65, 8)))
    else:
        size = incidents if key == "repeat-victimisation" else referrals
    return None, _yes(size, level + rng.gauss(0, 0.015), rng), size


def seed_measurements(metrics: dict[str, Metric], hoods, staff, today: date,
                      rng: random.Random) -> list[dict]:
    """Every metric's quarterly totals for each neighbourhood and the city, with the city's
    breakdowns by age band, gender, ethnicity and disability. Returns the rows inserted."""
    periods = quarters(today)
    started = next((i for i, (start, _) in enumerate(periods) if start > BASELINE_ON),
                   len(periods))
    rows = []
    for key, metric in metrics.items():
        if key not in LEVELS:
            continue
        levels, trend = LEVELS[key]
        for q, (start, end) in enumerate(periods):
            since = max(q - started + 1, 0)
            when = {"period_start": start, "period_end": end, "entered_by_id": staff.id}
            amounts = []
            for n, hood in enumerate(hoods):
                level = (levels[n] * (1 + trend) ** since if metric.kind in ("count", "median")
                         else levels[n] + trend * since)
                small = hood.slug == "old-town" and q == 2 and metric.source == "survey"
                amount = _neighbourhood_amount(key, metric.kind, level, n, hood, small, rng)
                amounts.append(amount)
                rows.append(_cell(metric, amount, scope="neighbourhood", scope_ref=hood.slug,
                                  neighbourhood_id=hood.id, **when,
                                  note="Fieldwork cut short by flooding: 8 interviews."
                                  if small else ""))
            total = _city_amount(metric.kind, amounts)
            rows.append(_cell(metric, total, scope="city", **when))
            for breakdown, groups in GROUPS.items():
                parts = _breakdown(metric.kind, total, groups, rng)
                rows += [_cell(metric, part, scope="city", breakdown=breakdown,
                               group_name=group, **when)
                         for (group, _), part in zip(groups, parts)]
    db.session.execute(insert(Measurement), rows)
    return rows


def _city_amount(kind: str, amounts: list[tuple]) -> tuple:
    if kind == "count":
        return sum(a[0] for a in amounts), None, None
    cases = sum(a[2] for a in amounts)
    if kind == "median":
        weighted = sum(a[0] * a[2] for a in amounts) / (cases or 1)
        return round(weighted * 2) / 2, None, cases
    return None, sum(a[1] for a in amounts), cases


def _breakdown(kind: str, total: tuple, groups, rng: random.Random) -> list[tuple]:
    """The city total shared out between the groups of one breakdown."""
    value, numerator, denominator = total
    shares = [s for _, s in groups]
    if kind == "count":
        return [(part, None, None) for part in split(int(value), shares, rng)]
    sizes = split(denominator, shares, rng)
    if kind == "median":
        return [(round(value * rng.uniform(0.8, 1.25) * 2) / 2, None, n) for n in sizes]
    lean = [n * LEANINGS.get(g, 1.0) for (g, _), n in zip(groups, sizes)]
    return [(None, yes, n) for yes, n in zip(split(numerator, lean, rng, 0.05, sizes), sizes)]


def seed_project_measurements(metrics, projects, staff, today, rng) -> list[dict]:
    """A started project's own referral figures (linkage, days to contact), quarter by quarter
    while it ran, for the targets that read them."""
    rows = []
    for project in projects:
        plan = {key for key, where in TARGETS.get(project.title, []) if where == "project"}
        start, stop = project_life(project, today)
        if not plan or project.status not in ("in_progress", "completed", "paused"):
            continue
        for q, (first, last) in enumerate(p for p in quarters(today)
                                          if p[1] >= start and p[0] <= stop):
            for key in sorted(plan):
                cases = round(rng.gauss(55, 8))
                if key == "service-linkage-rate":
                    amount = None, _yes(cases, 0.58 + 0.08 * q, rng), cases
                else:
                    days = max(3.0, 12 * 0.8 ** q + rng.gauss(0, 0.5))
                    amount = round(days * 2) / 2, None, cases
                rows.append(_cell(metrics[key], amount, scope="project",
                                  scope_ref=str(project.id), project_id=project.id,
                                  period_start=first, period_end=last, entered_by_id=staff.id,
                                  source=f"{project.title}: case records"))
    if rows:
        db.session.execute(insert(Measurement), rows)
    return rows


def _rounded(metric: Metric, value: float) -> float:
    if metric.kind == "count":
        return float(max(0, round(value)))
    if metric.kind == "median":
        return max(0.5, round(value * 2) / 2)
    return min(100.0, max(0.0, round(value, 1)))


def quarter_words(start: date, end: date) -> str:
    return f"{MONTHS[start.month - 1]}–{MONTHS[end.month - 1]} {end.year}"


def _fit(target: ProjectMetric, wanted: str, latest, baseline) -> None:
    """Set the baseline from the published numbers, and a target no bolder than ``BOLDEST`` that
    makes progress read ``wanted`` when the numbers allow it (a target can only be met or on
    track if things moved the right way since the baseline), else the next status that fits."""
    metric = target.metric
    value, on = latest.total.value, latest.period_end
    first = baseline or latest
    target.baseline_value = _rounded(metric, first.total.value)
    target.baseline_on = first.period_end
    target.baseline_period = quarter_words(first.period_start, first.period_end)
    if first.period_end != BASELINE_ON:
        target.baseline_period += ", its first quarter"
    target.translate(demo_spanish.quarter_words(first.period_start, first.period_end,
                                                first.period_end != BASELINE_ON))
    direction = -1 if metric.lower_is_better else 1
    gained = (value - target.baseline_value) * direction
    share = max((on - target.baseline_on).days, 1) / (target.target_on - target.baseline_on).days
    boldest = BOLDEST if metric.kind == "percent" else abs(target.baseline_value) * 0.35
    least = 2.0 if metric.kind == "percent" else max(abs(target.baseline_value) * 0.05, 1.0)
    steps = {"achieved": gained * 0.6,
             "on_track": max(least, gained * min(2.0, (1 + 1 / share) / 2)),
             "off_track": max(least, gained / share * 1.2 if gained > 0 else boldest * 0.4)}
    for status in (wanted, *WANTED):
        if least <= steps[status] <= boldest:
            target.target_value = _rounded(metric, target.baseline_value
                                           + direction * steps[status])
            if judge(target, value, on)[0] == status:
                return
    target.target_value = _rounded(metric, target.baseline_value + direction * boldest / 2)


def seed_targets(metrics: dict[str, Metric], projects, today) -> list[ProjectMetric]:
    """One to three targets per funded project, read where ``TARGETS`` says, in turn achieved,
    on track and off track as far as the seeded numbers allow."""
    made, turn, last = [], 0, quarters(today)[-1][1]
    for project in projects:
        hoods = sorted(project.proposal.neighbourhoods, key=lambda h: h.id)
        for k, (key, where) in enumerate(TARGETS.get(project.title,
                                                     [("violent-incidents", "city")])):
            target = ProjectMetric(project_id=project.id, metric=metrics[key],
                                   neighbourhood=hoods[0] if where == "hood" and hoods else None,
                                   baseline_value=0, baseline_period="", baseline_on=BASELINE_ON,
                                   target_value=0, target_on=TARGET_DATES[k % 2])
            db.session.add(target)
            db.session.flush()
            latest = latest_for(target)
            if target.neighbourhood is not None and (
                    latest is None or latest.total.value is None or latest.period_end != last):
                target.neighbourhood = None  # its latest count there is hidden: aim city-wide
                db.session.flush()
                latest = latest_for(target)
            if latest is None or latest.total.value is None:
                db.session.delete(target)
                continue
            earlier = [t for t in series(metrics[key], latest.scope, latest.scope_ref)
                       if t.total.value is not None and t.period_end < latest.period_end]
            before = [t for t in earlier if t.period_end <= BASELINE_ON]
            baseline = before[-1] if before else earlier[0] if earlier else None
            _fit(target, WANTED[turn % 3], latest, baseline)
            turn += 1
            made.append(target)
    db.session.flush()
    return made


def project_life(project, today: date) -> tuple[date, date]:
    """The days money could be spent: from the first move after funding until the project
    finished, paused or was cancelled, and never after yesterday."""
    moves = [c for c in project.history if c.from_status is not None]
    start = next((c.at.date() for c in moves if c.to_status == "in_progress"),
                 project.created_at.date() + timedelta(days=14))
    stop = next((c.at.date() for c in moves if c.to_status in ("completed", "paused",
                                                               "cancelled")), today)
    stop = min(stop, today - timedelta(days=1))
    if project.status == "cancelled":
        start = min(start, project.created_at.date() + timedelta(days=10))
    return start, max(start, stop)


def seed_metrics(projects, hoods, staff, seed: int, today: date | None = None) -> str:
    """Seed the shared metrics and the projects' targets; return a summary line."""
    today = today or date.today()
    rng = random.Random(seed * 7919 + 17)
    metrics = seed_catalogue()
    rows = seed_measurements(metrics, hoods, staff, today, rng)
    rows += seed_project_measurements(metrics, projects, staff, today, rng)
    from .surveys.demo import add_demo_survey

    add_demo_survey(metrics["feel-safe"], hoods, today, seed, LEVELS["feel-safe"][0])
    publish_all()  # targets are fitted to the published numbers
    with force_locale("en"):  # the published tables format numbers; there is no reader here
        targets = seed_targets(metrics, projects, today)
    return (f"Seeded {len(CATALOGUE)} shared metrics with {len(rows)} measurements and "
            f"{len(targets)} project targets.")
