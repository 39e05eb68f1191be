"""The results page's turnout by channel hides channels of 1 to 10 voters (and a second
channel when the total would give the small one away), while the total stays exact."""
from __future__ import annotations

import re

import pytest

from pbapp.cycles.services import count_cycle, publish_result
from pbapp.extensions import db
from pbapp.voting.services import cast_ballot, voter_key


@pytest.fixture()
def published_with(make_cycle, make_proposal, staff):
    def publish(**channels):
        cycle = make_cycle(slug="turnout", phase="voting", method="irv", max_ranks=2)
        first, second = make_proposal(cycle, "Lights"), make_proposal(cycle, "Benches")
        n = 0
        for channel, count in channels.items():
            for _ in range(count):
                n += 1
                cast_ballot(cycle, voter_key("test", f"v{n}"), channel,
                            [first.id, second.id] if n % 2 else [second.id])
        cycle.phase = "counting"
        publish_result(count_cycle(cycle, staff), staff)
        db.session.commit()
        return cycle
    return publish


def _turnout_cells(html: str) -> dict[str, str]:
    table = html[html.index('class="turnout'):]
    table = table[:table.index("</table>")]
    return dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num"[^>]*>([^<]+)</td>', table))


def test_small_channel_and_its_complement_are_hidden(client, published_with):
    cycle = published_with(online=40, code=25, paper=3)
    cells = _turnout_cells(client.get(f"/cycles/{cycle.slug}/results").get_data(as_text=True))
    assert cells["On paper"] == "&lt;11"
    assert cells["With a voting code"] == "—"  # else 68 − 40 − 25 would give the 3 away
    assert cells["Online with an account"] == "40"
    assert cells["Total"] == "68"


def test_large_channels_are_shown_exactly(client, published_with):
    cycle = published_with(online=40, code=25)
    cells = _turnout_cells(client.get(f"/cycles/{cycle.slug}/results").get_data(as_text=True))
    assert cells == {"Online with an account": "40", "With a voting code": "25",
                     "On paper": "0", "Total": "65"}
