"""Who a rate limit counts: one address, where an IPv6 address means its /64.

A home or phone on IPv6 is handed a whole /64 and can pick any address in it, so counting per
/128 would give one person 2^64 fresh allowances. IPv4 addresses count one by one.
"""
from __future__ import annotations

import ipaddress

from flask import request


def address_key() -> str:
    raw = request.remote_addr or ""
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
