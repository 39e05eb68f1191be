"""A cycle open for voting, voting codes, two staff members and helpers to drive the pages."""
import pytest
from pbapp.extensions import db
from pbapp.voting.codes import generate_codes
from paper_helpers import PaperDriver


@pytest.fixture()
def open_cycle(make_cycle, make_proposal):
    # anonymous codes: a cycle where residents do not also vote with an account
    cycle = make_cycle(slug="autumn", name="Autumn budget", phase="voting", max_ranks=3,
                       vote_by_account=False)
    props = [make_proposal(cycle, title, cost=cost) for title, cost in
             (("Street lights", 600), ("Youth centre", 300), ("Community garden", 500))]
    return cycle, [p.id for p in props]


@pytest.fixture()
def codes(open_cycle):
    made = generate_codes(open_cycle[0], 4, batch="paper")
    db.session.commit()
    return made


@pytest.fixture()
def alice(make_user):
    return make_user("staff", name="Alice Staff")


@pytest.fixture()
def bob(make_user):
    return make_user("staff", name="Bob Staff")


@pytest.fixture()
def paper(client, csrf, login):
    return PaperDriver(client, csrf, login)

