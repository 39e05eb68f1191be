"""A believable city for the demo and for page tests: boards, a finished cycle, one in voting."""
from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import insert, select

from . import demo_spanish, progress
from .auth.models import User
from .boards.models import SEATS, Board, Meeting, Membership
from .cycles.models import Cycle, Neighbourhood
from .cycles.services import count_cycle, publish_result
from .demo_metrics import project_life, seed_metrics, split
from .extensions import db
from .models_base import site_today
from .paper.models import PaperBatch
from .projects.models import (Milestone, Project, ProjectStatusChange, ProjectUpdate,
                              Spending)
from .proposals.models import Proposal, StatusChange
from .voting.models import Ballot, Participation, VoterRollEntry
from .voting.roll import AGE_BANDS
from .voting.services import new_receipt, receipt_hash, voter_key

PASSWORD = "demo-password"
NEIGHBOURHOODS = [("riverside", "Riverside", 18200), ("northgate", "Northgate", 22400),
                  ("old-town", "Old Town", 9800), ("eastfield", "Eastfield", 26100),
                  ("hillcrest", "Hillcrest", 14300), ("southbank", "Southbank", 19750)]
BOARDS = [
    ("east-safety", "Eastside Community Safety Board", ["riverside", "eastfield", "southbank"],
     "Reduce violence and its harm in the east of the city by funding what residents rank first."),
    ("north-health", "Northside Health and Wellbeing Partnership", ["northgate", "old-town",
     "hillcrest"], "Treat violence as a public-health problem: prevention, response, recovery."),
]
PEOPLE = {
    "police": ("Sgt. Dana Okafor", "City Police, Neighbourhood Team"),
    "public_health": ("Dr. Priya Raman", "County Public Health"),
    "school": ("Marcus Bell", "Eastfield High School"),
    "faith": ("Rev. Ana Lucía Torres", "St. Brendan's Parish"),
    "nonprofit": ("Keisha Grant", "Street Outreach Collective"),
    "resident": ("Tomás Silva", "Riverside Residents' Association"),
    "youth": ("Jordan Lee", "Youth Council"),
}
IDEAS = [
    ("Violence interruption team", "Trained credible messengers mediate disputes before they turn violent.", 180_000),
    ("Crisis response without police", "Clinicians answer mental-health calls, around the clock.", 240_000),
    ("Summer youth jobs", "Paid summer placements for 120 young people aged 14 to 18.", 150_000),
    ("Street lighting on Canal Walk", "LED lighting for the unlit path between the station and estates.", 90_000),
    ("Hospital-based intervention", "Youth workers meet young people admitted with assault injuries.", 130_000),
    ("Weekend wellness events", "Free sport, music and health checks in the parks every Saturday.", 60_000),
    ("Safe routes to school", "Crossing guards and safe-passage volunteers on five school routes.", 75_000),
    ("Vacant lot greening", "Clean and green 40 vacant lots, with residents' upkeep grants.", 110_000),
    ("Trauma counselling for families", "Free counselling for families affected by violence.", 95_000),
    ("Late-night youth centre", "Open the Eastfield centre until midnight on Fridays and Saturdays.", 70_000),
]


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def _user(email: str, name: str, role: str = "resident", **kw) -> User:
    """Demo accounts have confirmed their email address, so they can vote at once."""
    user = User(email=email, name=name, role=role, email_verified_at=_utc(2026, 1, 5), **kw)
    user.set_password(PASSWORD)
    db.session.add(user)
    return user


def _proposals(cycle, boards, hoods, rng, author, status, ideas=None) -> list[Proposal]:
    """Submitted while the cycle took proposals and accepted before its voting opened."""
    submitted, accepted = cycle.voting_opens - timedelta(days=45), cycle.voting_opens - timedelta(
        days=16)
    out = []
    for i, (title, summary, cost) in enumerate(ideas or IDEAS):
        board = boards[i % len(boards)]
        p = Proposal(cycle=cycle, board=board, author=author, title=title, summary=summary,
                     description=f"**What:** {summary}\n\n**Why:** residents asked for it.",
                     translations=demo_spanish.proposal_texts(title),
                     problem="Repeated violence in a small number of places.",
                     cost_cents=cost * 100 + rng.randrange(0, 10) * 1000_00, status=status,
                     created_at=submitted + timedelta(days=i % 7, hours=10))
        p.neighbourhoods = rng.sample(hoods, 2)
        p.history.append(StatusChange(actor_id=author.id, from_status=None, to_status="submitted",
                                      at=p.created_at))
        p.history.append(StatusChange(actor_id=author.id, from_status="submitted",
                                      to_status=status, reason="Feasible and costed.",
                                      at=accepted + timedelta(hours=i)))
        db.session.add(p)
        out.append(p)
    return out


#: online voters' age bands, from their profiles; under-18s are a handful (see ``_voters``)
VOTER_AGES = dict(zip(AGE_BANDS[1:], (0.12, 0.22, 0.21, 0.18, 0.15, 0.12)))


def _voters(n: int, hoods, seed: int) -> list[tuple[int | None, str | None]]:
    """Each demo ballot's (neighbourhood id, age band) for the turnout tables: online voters'
    from their profile; letters were posted to an address, so most code voters have a
    neighbourhood but no age; paper ballots record neither. A few online voters are under 18,
    so the turnout tables show a small, protected group."""
    who = random.Random(seed * 104729 + 3)
    weights = [h.population * who.uniform(0.7, 1.3) for h in hoods]
    online = [i for i in range(n) if _channel(i) == "online"]
    young = set(who.sample(online, min(len(online), max(1, min(9, len(online) // 250)))))
    out = []
    for i in range(n):
        hood = who.choices(hoods, weights=weights)[0].id
        band = who.choices(list(VOTER_AGES), weights=list(VOTER_AGES.values()))[0]
        if _channel(i) == "online":
            out.append((hood, AGE_BANDS[0] if i in young else band))
        elif _channel(i) == "code" and who.random() < 0.7:
            out.append((hood, None))
        else:
            out.append((None, None))
    return out


def _channel(i: int) -> str:
    return "paper" if i % 9 == 0 else "code" if i % 3 == 0 else "online"


#: where the finished cycle's paper ballots were cast (issue 19): every third paper ballot at
#: the second place, so both have well over 10 and the results show them
POLLING_PLACES = [("Riverside Library", "12 Canal Walk"),
                  ("Eastfield Community Centre", "3 Market Street")]


def _polling_places(cycle, staff) -> list[int]:
    """The two places, and one committed paper batch each as staff would have left it."""
    from .paper.models import PollingPlace

    places = [PollingPlace(cycle_id=cycle.id, name=name, address=address)
              for name, address in POLLING_PLACES]
    db.session.add_all(places)
    db.session.flush()
    for n, place in enumerate(places, 1):
        db.session.add(PaperBatch(cycle_id=cycle.id, label=f"{place.name} box {n}",
                                  status="committed", created_by=staff.id, ballots=0,
                                  polling_place_id=place.id,
                                  created_at=cycle.voting_closes + timedelta(hours=9),
                                  committed_at=cycle.voting_closes + timedelta(days=1)))
    db.session.flush()
    return [p.id for p in places]


def _place_of(i: int, places: list[int] | None) -> int | None:
    if not places or _channel(i) != "paper":
        return None
    return places[1] if (i // 9) % 3 == 2 else places[0]


def _ballots(cycle, proposals, n, rng, voters, places=None) -> None:
    weights = [rng.uniform(0.3, 3.0) ** 2 for _ in proposals]
    ids = [p.id for p in proposals]
    parts, ballots = [], []
    for i in range(n):
        k = rng.randint(1, cycle.max_ranks)
        pool, w, ranking = ids[:], weights[:], []
        for _ in range(k):
            j = rng.choices(range(len(pool)), weights=w)[0]
            ranking.append(pool.pop(j))
            w.pop(j)
        channel = _channel(i)
        when = cycle.voting_opens + timedelta(minutes=rng.randrange(0, 14 * 24 * 60))
        parts.append({"cycle_id": cycle.id, "voter_key": voter_key("demo", f"{cycle.id}:{i}"),
                      "channel": channel, "voted_at": when, "neighbourhood_id": voters[i][0],
                      "age_band": voters[i][1], "roll_checked": cycle.use_roll})
        ballots.append({"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        "cycle_id": cycle.id, "channel": channel, "ranking": ranking,
                        "receipt_hash": receipt_hash(new_receipt()), "cast_on": when.date(),
                        "polling_place_id": _place_of(i, places)})
    rng.shuffle(ballots)
    db.session.execute(insert(Participation), parts)
    db.session.execute(insert(Ballot), ballots)


#: what ``flask demo`` is doing, for its progress bar
DEMO_STEPS = ("neighbourhoods, boards and accounts", "cycles, roll and proposals", "ballots",
              "counting and publishing", "projects and spending", "metrics, protected")


def _override(result, staff) -> None:
    """Issue 19: staff take the last fully funded winner off the list, with a public reason
    (the result page shows the computed and final lists side by side)."""
    from .cycles.overrides import override_winner

    part = {p["id"] for p in result.data.get("projects") or [] if "part_funded" in p}
    whole = [w for w in result.data["winners"] if w not in part]
    if whole:
        override_winner(result, whole[-1], "unfund", "The site was sold by the council after "
                        "the vote, so the work cannot go ahead there.", staff)


def _step(bar, step) -> None:
    bar.update()
    bar.set_postfix_str(next(step, ""))


def seed_demo(ballots: int = 3000, seed: int = 2026):
    """Yield lines to print. Does nothing (but list the accounts) if the city exists already."""
    if db.session.scalar(select(Cycle.id).limit(1)) is not None:
        yield "Demo data is already there; nothing changed."
        yield from _accounts()
        return
    rng = random.Random(seed)
    bar = progress.steps(len(DEMO_STEPS), "Seeding the demo city")
    step = iter(DEMO_STEPS)
    bar.set_postfix_str(next(step))
    hoods = [Neighbourhood(slug=s, name=n, population=p) for s, n, p in NEIGHBOURHOODS]
    db.session.add_all(hoods)
    _user("admin@example.org", "Alex Admin", "admin")
    staff = _user("staff@example.org", "Sam Staff", "staff")
    resident = _user("resident@example.org", "Rosa Resident", birth_year=1990)
    db.session.flush()
    by_slug = {h.slug: h for h in hoods}
    resident.neighbourhood_id = by_slug["riverside"].id  # so the demo resident may vote
    from .maps.demo_outlines import add_demo_outlines

    add_demo_outlines(by_slug)  # invented outlines, for the maps
    boards = []
    for slug, name, areas, purpose in BOARDS:
        board = Board(slug=slug, name=name, purpose=purpose,
                      translations=demo_spanish.named(slug, demo_spanish.BOARDS, "purpose"),
                      charter=f"# Charter\n\n{purpose}\n\nMembers serve two-year terms.")
        board.neighbourhoods = [by_slug[a] for a in areas]
        for seat in SEATS:
            person, org = PEOPLE[seat]
            email = f"{seat.replace('_', '-')}.{slug}@example.org"
            member = _user(email, person if slug == "east-safety" else f"{person.split()[0]} "
                           f"{rng.choice(['Ng', 'Adeyemi', 'Kowalski', 'Haddad', 'Moreno'])}")
            board.memberships.append(Membership(user=member, seat=seat, organisation=org,
                                                is_chair=seat == "public_health",
                                                term_start=date(2026, 1, 1),
                                                term_end=_term_end()))
        board.meetings.append(Meeting(title="Quarterly meeting", starts_at=_utc(2026, 9, 15, 18),
                                      location="Community Hall", agenda="1. Budget\n2. Updates",
                                      minutes="Agreed the shortlist for the ballot."))
        db.session.add(board)
        boards.append(board)
    db.session.flush()
    chair = boards[0].memberships[1].user
    done = Cycle(slug="2026-spring", name="Spring 2026 community safety budget",
                 budget_cents=600_000_00, method="equal-shares", completion="add1", max_ranks=5,
                 phase="counting", use_roll=True, part_fund_share=10,
                 voting_opens=_utc(2026, 4, 1), voting_closes=_utc(2026, 4, 15),
                 created_at=_utc(2026, 1, 12, 9), proposals_open=_utc(2026, 2, 1),
                 description="Six neighbourhoods decide how to spend 600,000 on safety.")
    done.neighbourhoods = hoods
    opens, closes = _live_window()
    live = Cycle(slug="2026-autumn", name="Autumn 2026 youth and wellbeing budget",
                 budget_cents=400_000_00, method="equal-shares", completion="add1", max_ranks=5,
                 phase="voting", use_roll=True, voting_opens=opens, voting_closes=closes,
                 description="Rank the ideas you want funded. One ballot per resident: with "
                             "your account, the personal code in your letter, or on paper.")
    live.neighbourhoods = hoods
    letters = Cycle(slug="2026-youth-fund", name="Youth fund 2026: vote with your letter code",
                    budget_cents=50_000_00, method="greedy", max_ranks=3, phase="voting",
                    vote_by_account=False, vote_by_code=True, voting_opens=opens,
                    voting_closes=closes,
                    description="Young people rank small grants with the anonymous code in the "
                                "letter their school handed out. No account is needed.")
    letters.neighbourhoods = hoods
    for cycle in (done, live, letters):
        cycle.translations = demo_spanish.named(cycle.slug, demo_spanish.CYCLES, "description")
    for cycle in (live, letters):
        cycle.created_at = opens - timedelta(days=70)
        cycle.proposals_open = opens - timedelta(days=60)
    db.session.add_all([done, letters, live])  # autumn last: the home page's current cycle
    db.session.flush()
    _step(bar, step)
    extra = random.Random(seed + 1)  # the city above stays as it was seeded before
    _roll(live, resident, hoods, extra)
    _proposals(letters, boards, hoods, extra, chair, "accepted", YOUTH_IDEAS)
    done_props = _proposals(done, boards, hoods, rng, chair, "accepted")
    _proposals(live, boards, hoods, rng, chair, "accepted")
    db.session.flush()
    _step(bar, step)
    voters = _voters(ballots, hoods, seed)
    places = _polling_places(done, staff)
    _ballots(done, done_props, ballots, rng, voters, places)
    for batch in db.session.scalars(select(PaperBatch).where(PaperBatch.cycle_id == done.id)):
        batch.ballots = sum(_place_of(i, places) == batch.polling_place_id
                            for i in range(ballots))
    db.session.flush()
    _step(bar, step)
    result = count_cycle(done, staff)
    _override(result, staff)
    publish_result(result, staff)
    _date_the_count(result, done)
    _step(bar, step)
    projects = list(db.session.scalars(select(Project).where(Project.cycle_id == done.id)
                                       .order_by(Project.id)))
    _project_records(projects, staff)
    demo_spanish.translate_records()
    payments = _spending(projects, staff, seed)
    _step(bar, step)
    metrics_line = seed_metrics(projects, hoods, staff, seed)
    from .directory.demo import add_demo_services

    add_demo_services(projects)  # Help near you: a dozen invented services
    from .plans.demo import add_demo_plan

    add_demo_plan(projects)  # an action plan with actions in every state
    from .agreements.demo import add_demo_agreements

    add_demo_agreements()  # two data-sharing agreements, one expiring within 30 days
    from .stories.demo import add_demo_stories

    add_demo_stories(projects)  # approved and pending stories beside the numbers
    db.session.commit()
    bar.update()
    bar.close()
    yield (f"Seeded 6 neighbourhoods, 2 boards, 3 cycles, {ballots} ballots and "
           f"{len(projects)} funded projects with {payments} spending entries.")
    yield metrics_line
    placed = sum(hood is not None for hood, _ in voters)
    aged = sum(band is not None for _, band in voters)
    yield (f"Turnout tables: {placed} of {ballots} voters with a neighbourhood, {aged} with an "
           "age band (the rest not recorded).")
    yield from _accounts()


#: the spring story's order: voting closes 15 April, paper batches are in on the 16th, the
#: count runs on the 17th, it is published on the 18th and projects are funded on the 20th
COUNTED_AT, PUBLISHED_AT = _utc(2026, 4, 17, 10), _utc(2026, 4, 18, 10)
FUNDED_ON = (2026, 4, 20)


def _date_the_count(result, cycle) -> None:
    """The count and its publication happen during seeding; date them as the story tells it
    (not on the demo day), with the proposals' funded / not funded changes and staff's
    override between the count and the publication."""
    from .cycles.overrides import ResultOverride

    result.counted_at, result.published_at = COUNTED_AT, PUBLISHED_AT
    for override in db.session.scalars(select(ResultOverride)
                                       .where(ResultOverride.result_id == result.id)):
        override.created_at = COUNTED_AT + timedelta(hours=6)
    for proposal in db.session.scalars(select(Proposal).where(Proposal.cycle_id == cycle.id)):
        for change in proposal.history:
            if change.to_status in ("funded", "not_funded"):
                change.at = PUBLISHED_AT
    db.session.flush()
#: one delivery story per funded project, in turn: (status, [(status, on, reason)],
#: [(milestone, due, done or None, note)], [(on, title, body)]); "{title}" is the project's
PROJECT_PLANS = [
    ("in_progress",
     [("in_progress", (2026, 5, 26), "Contract signed with the delivery partner.")],
     [("Delivery partner contracted", (2026, 5, 29), (2026, 5, 26), ""),
      ("Staff recruited and trained", (2026, 7, 31), (2026, 8, 12), "Two weeks late: one "
       "post was re-advertised."),
      ("Service open to residents", (2026, 9, 15), (2026, 9, 14), ""),
      ("Six-month review with the board", (2027, 3, 15), None, "Public meeting.")],
     [((2026, 5, 27), "Delivery partner chosen",
       "Three organisations bid to run **{title}**. The board chose the one with the most "
       "local staff; the scoring sheet is in the minutes of the May meeting."),
      ((2026, 8, 14), "Team in place",
       "All posts are filled and the team finished its training:\n\n- de-escalation\n"
       "- safeguarding\n- first aid"),
      ((2026, 10, 20), "First month in numbers",
       "In its first month the service reached **212 residents**. Most contacts came through "
       "word of mouth; referrals from the health centre are starting to grow.")]),
    ("completed",
     [("in_progress", (2026, 5, 11), "Works ordered."),
      ("completed", (2026, 10, 30), "All works finished and signed off by the board.")],
     [("Survey and design agreed", (2026, 5, 31), (2026, 5, 28), ""),
      ("Works finished", (2026, 9, 30), (2026, 10, 21), "Delayed three weeks by supply."),
      ("Residents' walk-through", (2026, 10, 31), (2026, 10, 29), "Forty residents came.")],
     [((2026, 6, 2), "Design agreed with residents",
       "Residents chose the final design of **{title}** at two drop-in sessions."),
      ((2026, 9, 1), "Delay on materials",
       "Deliveries are running three weeks late. The new finish date is the end of October."),
      ((2026, 11, 2), "Finished",
       "**{title}** is complete and came in on budget. Thank you to everyone who walked the "
       "route with us and told us what still needs fixing.")]),
    ("paused",
     [("in_progress", (2026, 6, 1), "Partner started work."),
      ("paused", (2026, 9, 20), "The delivery partner lost its programme lead. The work is "
       "paused until a replacement starts in January; no money has been spent since.")],
     [("Delivery partner contracted", (2026, 5, 31), (2026, 5, 30), ""),
      ("New programme lead in post", (2026, 8, 31), None, ""),
      ("First residents supported", (2026, 11, 30), None, "")],
     [((2026, 6, 3), "Work begins", "The partner has started planning **{title}** with the "
       "hospital and the two schools involved."),
      ((2026, 9, 21), "Why we have paused",
       "The programme lead left in September. Rather than run the service without one, the "
       "board paused it. Recruitment closes on 15 December.")]),
    ("planned", [],
     [("Tender published", (2026, 12, 15), None, ""),
      ("Contract awarded", (2027, 2, 28), None, ""),
      ("Work starts", (2027, 4, 1), None, "")],
     [((2026, 6, 15), "What happens next",
       "**{title}** starts in spring 2027, after the current contract in the area ends. "
       "The tender will be published in December."),
      ((2026, 11, 10), "Tender drafted",
       "The board reviewed the draft tender at its November meeting and asked for a stronger "
       "requirement to hire locally.")]),
    ("in_progress",
     [("in_progress", (2026, 7, 1), "Venue and staff confirmed.")],
     [("Venue agreed", (2026, 6, 30), (2026, 6, 24), ""),
      ("First sessions run", (2026, 8, 31), (2026, 8, 29), ""),
      ("Evaluation plan agreed with public health", (2026, 10, 31), None,
       "Waiting on the county's data-sharing agreement.")],
     [((2026, 7, 2), "Open from July", "**{title}** starts on the first Friday of July."),
      ((2026, 9, 30), "Summer in review",
       "| Month | Sessions | Young people |\n|---|---:|---:|\n| July | 8 | 140 |\n"
       "| August | 9 | 185 |\n| September | 8 | 160 |")]),
    ("cancelled",
     [("cancelled", (2026, 7, 1), "The school district now pays for this from its own budget. "
       "The allocation returns to the next cycle's pot.")],
     [("Partner contracted", (2026, 6, 30), None, "")],
     [((2026, 6, 20), "District offer", "The school district has offered to fund **{title}** "
       "itself. The board will decide at its next meeting."),
      ((2026, 7, 2), "Cancelled, money returned",
       "The district's funding is confirmed, so the board cancelled this project. Its "
       "allocation goes back into the next cycle for residents to decide on.")]),
]


def _term_end() -> date:
    """Board powers need a current term: a demo seeded after 2027 still has sitting members."""
    return max(date(2027, 12, 31), date(site_today().year + 1, 12, 31))


def _project_records(projects: list[Project], staff: User) -> None:
    """Give each funded project a believable delivery story: status, milestones, updates."""
    funded, today = _utc(*FUNDED_ON, 12), site_today()
    for i, project in enumerate(projects):
        status, moves, milestones, updates = PROJECT_PLANS[i % len(PROJECT_PLANS)]
        chair = next(m.user for m in project.board.memberships if m.is_chair)
        project.created_at = funded
        for change in project.history:
            change.at = funded
        previous = project.status
        # the story as it stands on the demo day: nothing dated after it is told yet
        moves = [m for m in moves if date(*m[1]) <= today]
        updates = [u for u in updates if date(*u[0]) <= today]
        status = moves[-1][0] if moves else previous
        for to_status, on, reason in moves:
            project.history.append(ProjectStatusChange(
                actor_id=(staff if to_status == "cancelled" else chair).id,
                from_status=previous, to_status=to_status, reason=reason,
                at=_utc(*on, 16)))
            previous = to_status
        project.status = status
        for title, due, done, note in milestones:
            project.milestones.append(Milestone(title=title, due_on=date(*due),
                                                done_on=date(*done) if done and date(*done)
                                                <= today else None,
                                                note=note))
        for on, title, body in updates:
            project.updates.append(ProjectUpdate(author_id=chair.id, title=title,
                                                 body=body.format(title=project.title),
                                                 published_at=_utc(*on, 9, 30)))
    db.session.flush()


#: what spending looks like for each delivery status: share of budget spent, categories in turn
SPEND_PLANS = {
    "in_progress": ((0.30, 0.55), ("services", "staff", "equipment", "staff", "events", "staff")),
    "completed": ((0.965, 0.995), ("services", "materials", "materials", "services",
                                   "equipment", "events")),
    "paused": ((0.15, 0.25), ("services", "staff", "equipment")),
    "planned": ((0.015, 0.03), ("services", "other")),
    "cancelled": ((0.005, 0.015), ("events", "other")),
}
#: category -> (organisations paid, note, typical size of one payment relative to the others)
PAYEES = {
    "staff": (["Street Outreach Collective", "Riverside Youth Trust"], "Delivery staff costs",
              1.5),
    "services": (["Harbour Consulting Ltd", "Civic Evaluation Partners"], "Planning and advice",
                 1.0),
    "equipment": (["Metro Safety Supplies Ltd", "Civic Radio & IT Ltd"], "Equipment", 0.7),
    "materials": (["Greenway Landscapes CIC", "Northside Builders' Merchants"], "Materials", 1.6),
    "events": (["Community Hall Trust", "Parkside Catering Co-op"], "Venue hire and catering",
               0.2),
    "other": (["Riverside Print Co-op", "City Council Insurance Fund"], "Printing and insurance",
              0.15),
}


def _spending(projects: list[Project], staff: User, seed: int) -> int:
    """Several payments per project, to organisations, while it ran and never in the future:
    the completed project lands just under budget, the others in line with how far they got."""
    rng, today, made = random.Random(seed * 31 + 5), date.today(), 0
    for project in projects:
        (low, high), categories = SPEND_PLANS.get(project.status, SPEND_PLANS["in_progress"])
        start, stop = project_life(project, today)
        if start >= today:
            continue
        total = round(project.budget_cents * rng.uniform(low, high) / 100)
        amounts = split(total, [PAYEES[c][2] for c in categories], rng, jitter=0.4)
        days = sorted(rng.randint(0, (stop - start).days) for _ in categories)
        for category, whole, day in zip(categories, amounts, days):
            payees, note, _ = PAYEES[category]
            project.spending.append(Spending(
                spent_on=start + timedelta(days=day), amount_cents=max(whole, 1) * 100,
                category=category, payee=rng.choice(payees), note=note,
                entered_by_id=staff.id))
            made += 1
    db.session.flush()
    return made


YOUTH_IDEAS = [
    ("Skate park lights", "Lights so the skate park stays open until 9 pm in winter.", 18_000),
    ("Free bus passes for youth club nights", "Safe rides home after Friday club nights.", 12_000),
    ("Peer mentoring", "Older students mentor first-years who feel unsafe on the way to school.",
     15_000),
    ("Music studio evenings", "A supervised studio at the library, two evenings a week.", 20_000),
]
ROLL_SIZE = 60


def _live_window() -> tuple[datetime, datetime]:
    """Voting in the demo's open cycles runs from 15 November to 15 December 2026, stretched to
    include today (ballots count only between the dates), so a demo seeded on any day has
    cycles open for voting."""
    now = datetime.now(timezone.utc)
    return (min(_utc(2026, 11, 15), now - timedelta(days=1)),
            max(_utc(2026, 12, 15), now + timedelta(days=30)))


def _roll(cycle: Cycle, resident: User, hoods, rng) -> None:
    """The autumn cycle's voter roll: the demo resident (matched by their verified email) and
    invented residents with postal addresses, for ``flask codes generate --from-roll``."""
    streets = ["Canal Walk", "Mill Lane", "Station Road", "Church Street", "Park Avenue"]
    db.session.add(VoterRollEntry(cycle_id=cycle.id, reference="R-0001", name=resident.name,
                                  email=resident.email, birth_year=resident.birth_year,
                                  neighbourhood_id=resident.neighbourhood_id,
                                  address="12 Canal Walk"))
    for n in range(2, ROLL_SIZE + 1):
        db.session.add(VoterRollEntry(
            cycle_id=cycle.id, reference=f"R-{n:04d}", name=f"Resident {n}",
            birth_year=rng.randint(1940, 2008), neighbourhood_id=rng.choice(hoods).id,
            address=f"{rng.randint(1, 120)} {rng.choice(streets)}"))


def _accounts():
    yield f"Demo accounts (password: {PASSWORD}):"
    yield "  admin@example.org (admin), staff@example.org (staff), resident@example.org (resident)"
    yield "  public-health.east-safety@example.org (board chair)"
