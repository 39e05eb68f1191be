"""The home and cycle pages offer only the ways to vote the cycle allows."""
import pytest


@pytest.mark.parametrize("by_account, by_code", [(True, True), (True, False), (False, True)])
def test_links_follow_the_ways_to_vote(client, make_cycle, make_proposal, by_account, by_code):
    cycle = make_cycle(slug="autumn", phase="voting", vote_by_account=by_account,
                       vote_by_code=by_code)
    make_proposal(cycle, "Lights")
    for url in ("/", "/cycles/autumn"):
        page = client.get(url).data
        assert (b'href="/vote/autumn"' in page) is by_account, url
        assert (b'href="/vote/autumn/code"' in page) is by_code, url
