"""Limits on the voting-code form stop guessers, not voters.

Weaknesses guarded against (issue 14, item 5): a site-wide cap on wrong codes that strangers fill
for everyone (31 addresses × 10 wrong codes locked out a resident holding a valid code, from an
address never seen before), and addresses counted per IPv6 /128, where one home's /64 holds 2^64
of them. Per-address and per-code limits remain; a code's 79 bits defeat guessing.
"""
import ipaddress
import re

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from pbapp.limits import address_key
from tests.voting.test_codes import generate, read_codes

URL = "/vote/autumn/code"


@pytest.fixture()
def voting(make_cycle, make_proposal, fresh_limits):
    cycle = make_cycle(slug="autumn", phase="voting", vote_by_account=False)  # codes only
    make_proposal(cycle, "Street lights")
    return cycle


def enter(client, code, address, token):
    return client.post(URL, data={"csrf_token": token, "code": code},
                       environ_base={"REMOTE_ADDR": address}).status_code


def token_of(client) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                     client.get(URL).get_data(as_text=True))[1]


def test_strangers_wrong_codes_do_not_lock_out_a_valid_code(app, client, runner, tmp_path,
                                                            voting):
    app.config["CODE_FAILURES_PER_ADDRESS"] = "10 per minute"
    _, out = generate(runner, tmp_path, n=1)
    [valid] = read_codes(out)
    token = token_of(client)
    refused = {enter(client, f"ABCD-EFGH-{a:04d}-{n:04d}", f"10.9.{a}.1", token)
               for a in range(31) for n in range(10)}
    assert refused == {200}  # 310 wrong codes, each address within its own limit
    resident = app.test_client()
    assert enter(resident, valid, "10.10.0.1", token_of(resident)) == 303


def test_good_codes_never_count_against_an_address(app, client, runner, tmp_path, voting):
    """A community centre where many residents type their codes on one machine."""
    app.config["CODE_FAILURES_PER_ADDRESS"] = "2 per minute"
    _, out = generate(runner, tmp_path, n=4)
    for code in read_codes(out):
        assert enter(client, code, "10.1.0.1", token_of(client)) == 303


def test_wrong_codes_from_one_ipv6_64_count_as_one_address(app, client, voting):
    app.config["CODE_FAILURES_PER_ADDRESS"] = "3 per minute"
    token = token_of(client)
    home = [enter(client, f"ABCD-EFGH-JKMN-{n:04d}", f"2001:db8:aa:bb:{n:x}::{n + 1:x}", token)
            for n in range(4)]
    assert home == [200, 200, 200, 429]
    assert enter(client, "ABCD-EFGH-JKMN-PQRS", "2001:db8:aa:bc::1", token) == 200


networks = st.integers(0, 2**64 - 1).map(lambda n: n << 64)
hosts = st.integers(0, 2**64 - 1)


def key_for(address: str) -> str:
    with Flask(__name__).test_request_context(environ_base={"REMOTE_ADDR": address}):
        return address_key()


@given(networks, hosts, hosts)
def test_every_address_in_one_ipv6_64_has_one_key(network, host, other_host):
    first = str(ipaddress.IPv6Address(network | host))
    second = str(ipaddress.IPv6Address(network | other_host))
    assert key_for(first) == key_for(second) == str(
        ipaddress.IPv6Network((network, 64)))


@given(networks, networks, hosts)
def test_addresses_in_different_ipv6_64s_have_different_keys(network, other_network, host):
    first = str(ipaddress.IPv6Address(network | host))
    second = str(ipaddress.IPv6Address(other_network | host))
    assert (key_for(first) == key_for(second)) == (network == other_network)


@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))
def test_ipv4_addresses_count_one_by_one_also_when_mapped_into_ipv6(n, m):
    first, second = ipaddress.IPv4Address(n), ipaddress.IPv4Address(m)
    assert key_for(str(first)) == key_for(f"::ffff:{first}") == str(first)
    assert (key_for(str(first)) == key_for(str(second))) == (n == m)
