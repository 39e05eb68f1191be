"""A believable city for the demo and for page tests: boards, a finished cycle, one in voting."""
from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import insert, select

from .auth.models import User
from .boards.models import SEATS, Board, Meeting, Membership
from .cycles.models import Cycle, Neighbourhood
from .cycles.services import count_cycle, publish_result
from .extensions import db
from .proposals.models import Proposal, StatusChange
from .voting.models import Ballot, Participation
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
    user = User(email=email, name=name, role=role, **kw)
    user.set_password(PASSWORD)
    db.session.add(user)
    return user


def _proposals(cycle, boards, hoods, rng, author, status) -> list[Proposal]:
    out = []
    for i, (title, summary, cost) in enumerate(IDEAS):
        board = boards[i % len(boards)]
        p = Proposal(cycle=cycle, board=board, author=author, title=title, summary=summary,
                     description=f"**What:** {summary}\n\n**Why:** residents asked for it.",
                     problem="Repeated violence in a small number of places.",
                     cost_cents=cost * 100 + rng.randrange(0, 10) * 1000_00, status=status)
        p.neighbourhoods = rng.sample(hoods, 2)
        p.history.append(StatusChange(actor_id=author.id, from_status=None, to_status="submitted"))
        p.history.append(StatusChange(actor_id=author.id, from_status="submitted",
                                      to_status=status, reason="Feasible and costed."))
        db.session.add(p)
        out.append(p)
    return out


def _ballots(cycle, proposals, n, rng) -> None:
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
        channel = "paper" if i % 9 == 0 else "code" if i % 3 == 0 else "online"
        when = cycle.voting_opens + timedelta(minutes=rng.randrange(0, 14 * 24 * 60))
        parts.append({"cycle_id": cycle.id, "voter_key": voter_key("demo", f"{cycle.id}:{i}"),
                      "channel": channel, "voted_at": when})
        ballots.append({"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        "cycle_id": cycle.id, "channel": channel, "ranking": ranking,
                        "receipt_hash": receipt_hash(new_receipt()), "cast_on": when.date()})
    rng.shuffle(ballots)
    db.session.execute(insert(Participation), parts)
    db.session.execute(insert(Ballot), ballots)


def seed_demo(ballots: int = 3000, seed: int = 2026):
    """Yield lines to print. Does nothing (but list the accounts) if the city exists already."""
    if db.session.scalar(select(Cycle.id).limit(1)) is not None:
        yield "Demo data is already there; nothing changed."
        yield from _accounts()
        return
    rng = random.Random(seed)
    hoods = [Neighbourhood(slug=s, name=n, population=p) for s, n, p in NEIGHBOURHOODS]
    db.session.add_all(hoods)
    _user("admin@example.org", "Alex Admin", "admin")
    staff = _user("staff@example.org", "Sam Staff", "staff")
    _user("resident@example.org", "Rosa Resident", birth_year=1990)
    db.session.flush()
    by_slug = {h.slug: h for h in hoods}
    boards = []
    for slug, name, areas, purpose in BOARDS:
        board = Board(slug=slug, name=name, purpose=purpose,
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
                                                term_end=date(2027, 12, 31)))
        board.meetings.append(Meeting(title="Quarterly meeting", starts_at=_utc(2026, 9, 15, 18),
                                      location="Community Hall", agenda="1. Budget\n2. Updates",
                                      minutes="Agreed the shortlist for the ballot."))
        db.session.add(board)
        boards.append(board)
    db.session.flush()
    chair = boards[0].memberships[1].user
    done = Cycle(slug="2026-spring", name="Spring 2026 community safety budget",
                 budget_cents=600_000_00, method="equal-shares", max_ranks=5, phase="counting",
                 voting_opens=_utc(2026, 4, 1), voting_closes=_utc(2026, 4, 15),
                 description="Six neighbourhoods decide how to spend 600,000 on safety.")
    done.neighbourhoods = hoods
    live = Cycle(slug="2026-autumn", name="Autumn 2026 youth and wellbeing budget",
                 budget_cents=400_000_00, method="equal-shares", max_ranks=5, phase="voting",
                 voting_opens=_utc(2026, 11, 15), voting_closes=_utc(2026, 12, 15),
                 description="Rank the ideas you want funded. One ballot per resident.")
    live.neighbourhoods = hoods
    db.session.add_all([done, live])
    db.session.flush()
    done_props = _proposals(done, boards, hoods, rng, chair, "accepted")
    _proposals(live, boards, hoods, rng, chair, "accepted")
    db.session.flush()
    _ballots(done, done_props, ballots, rng)
    db.session.flush()
    result = count_cycle(done, staff)
    publish_result(result, staff)
    db.session.commit()
    yield f"Seeded 6 neighbourhoods, 2 boards, 2 cycles and {ballots} ballots."
    yield from _accounts()


def _accounts():
    yield f"Demo accounts (password: {PASSWORD}):"
    yield "  admin@example.org (admin), staff@example.org (staff), resident@example.org (resident)"
    yield "  public-health.east-safety@example.org (board chair)"
