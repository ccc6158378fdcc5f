"""The client's address behind trusted reverse proxies (issue #11).

Used for the access log's client address (``koers.audit.middleware``) and for login throttling
(django-axes' ``AXES_CLIENT_IP_CALLABLE`` via ``koers.accounts.client_ip``), so both name the same
address.

``KOERS_TRUSTED_PROXIES`` lists the proxies (addresses or networks, e.g. ``127.0.0.1,
10.0.8.0/24``). Only when ``REMOTE_ADDR`` is one of them is ``X-Forwarded-For`` read at all, and
then from the right: each trusted proxy appended the address it saw, so the first address from
the right that is *not* a trusted proxy is the client. Everything to its left was sent by the
client and can be made up. Without trusted proxies the header is ignored and ``REMOTE_ADDR`` is
the client.

``KOERS_BEHIND_PROXY=true`` without a list (deprecated) keeps its old meaning: whatever sent the
request is the one proxy, and the right-most entry of ``X-Forwarded-For`` is the client.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(values) -> tuple[Network, ...]:
    """``KOERS_TRUSTED_PROXIES`` as networks; raises ``ValueError`` naming a bad entry."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError:
            raise ValueError(f"not an IP address or network: {value!r}") from None
    return tuple(networks)


@lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(values)


def parse_address(value: str) -> Address | None:
    """An address as a proxy writes it (``1.2.3.4``, ``1.2.3.4:5678``, ``[::1]:80``, ``::1``), else None."""
    text = value.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address | None, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def _forwarded(request) -> list[str]:
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return [part.strip() for part in header.split(",") if part.strip()]


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind trusted proxies the first untrusted hop."""
    remote = request.META.get("REMOTE_ADDR")
    networks = _networks(tuple(getattr(settings, "KOERS_TRUSTED_PROXIES", ())))
    if not networks:
        if getattr(settings, "KOERS_BEHIND_PROXY", False):
            forwarded = _forwarded(request)
            return forwarded[-1] if forwarded else remote
        return remote
    if not _trusted(parse_address(remote or ""), networks):
        return remote
    nearest = remote
    for hop in reversed(_forwarded(request)):
        address = parse_address(hop)
        if address is None:
            return nearest  # garbage from further out: the last hop we could check
        if not _trusted(address, networks):
            return str(address)
        nearest = str(address)
    return nearest
