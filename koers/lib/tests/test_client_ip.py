"""The client's address: X-Forwarded-For counts only from configured trusted proxies (issue #11)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from koers.lib.client_ip import client_ip, parse_address, parse_networks

PROXIES = ["10.0.8.0/24", "127.0.0.1", "2001:db8::/32"]


def _request(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@override_settings(KOERS_TRUSTED_PROXIES=[], KOERS_BEHIND_PROXY=False)
def test_without_proxies_the_header_is_ignored():
    assert client_ip(_request("198.51.100.9", "203.0.113.5")) == "198.51.100.9"


@override_settings(KOERS_TRUSTED_PROXIES=PROXIES)
@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # Through our proxy: the address it appended.
        ("10.0.8.2", "203.0.113.5", "203.0.113.5"),
        # A client that sends its own header through our proxy: only the proxy's entry counts.
        ("10.0.8.2", "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        # Two trusted proxies in a row are skipped, from the right.
        ("127.0.0.1", "1.1.1.1, 203.0.113.5, 10.0.8.7", "203.0.113.5"),
        # Straight to the application, past the proxy, with a made-up header: ignored.
        ("198.51.100.9", "10.0.8.2, 127.0.0.1", "198.51.100.9"),
        ("198.51.100.9", "203.0.113.5", "198.51.100.9"),
        # From our proxy without a header: the proxy itself.
        ("10.0.8.2", None, "10.0.8.2"),
        # Everything in the header is a trusted proxy: the left-most one.
        ("10.0.8.2", "127.0.0.1, 10.0.8.9", "127.0.0.1"),
        # Garbage further out stops the walk at the last hop that could be checked.
        ("10.0.8.2", "203.0.113.5, <script>, 10.0.8.4", "10.0.8.4"),
        # Ports, brackets and IPv4-mapped IPv6, as proxies write them.
        ("10.0.8.2", "203.0.113.5:4431", "203.0.113.5"),
        ("::ffff:10.0.8.2", "[2001:db9::1]:443", "2001:db9::1"),
        ("2001:db8::7", "198.51.100.4", "198.51.100.4"),
    ],
)
def test_walks_the_header_from_the_right_past_trusted_proxies(remote, forwarded, expected):
    assert client_ip(_request(remote, forwarded)) == expected


@override_settings(KOERS_TRUSTED_PROXIES=[], KOERS_BEHIND_PROXY=True)
def test_the_deprecated_setting_keeps_trusting_one_hop():
    assert client_ip(_request("10.0.0.1", "6.6.6.6, 192.0.2.44")) == "192.0.2.44"


def test_addresses_and_networks_are_checked():
    assert parse_address("not-an-address") is None
    assert str(parse_address(" 192.0.2.1 ")) == "192.0.2.1"
    assert [str(n) for n in parse_networks(["10.0.0.1", "10.1.0.0/16"])] == ["10.0.0.1/32", "10.1.0.0/16"]
    with pytest.raises(ValueError, match="proxy.example"):
        parse_networks(["proxy.example"])
