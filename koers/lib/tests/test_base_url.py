"""The host Koers is named by, for e-mail links and passkeys (koers/lib/base_url.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from koers.lib.base_url import base_url, named_host


@pytest.mark.parametrize(
    ("hosts", "host"),
    [
        (["koers.example.nl", "www.koers.example.nl"], "koers.example.nl"),
        ([".koers.example.nl"], "koers.example.nl"),
        (["*", "koers.example.nl"], "koers.example.nl"),
        (["*"], ""),
        ([".", ""], ""),
        ([], ""),
    ],
)
def test_the_named_host_is_the_first_that_names_one(hosts, host):
    assert named_host(hosts) == host
    assert base_url("", hosts=hosts, debug=False) == (f"https://{host}" if host else "")


def test_a_given_address_is_kept_without_its_slash_and_a_wrong_one_refused():
    assert base_url(" https://zorg.example.nl/koers/ ", hosts=[], debug=False) == "https://zorg.example.nl/koers"
    assert base_url("", hosts=["koers.example.nl"], debug=True) == "http://127.0.0.1:8000"
    for wrong in ("zorg.example.nl", "ftp://zorg.example.nl", "https://zorg.example.nl/?a=1"):
        with pytest.raises(ImproperlyConfigured, match="KOERS_BASE_URL"):
            base_url(wrong, hosts=[], debug=False)
