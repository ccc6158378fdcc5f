"""The list of common conditions: well formed, cited, no guessed codes."""

from __future__ import annotations

import json

from koers.people import catalogue


def test_the_list_cites_its_sources_and_every_code_has_the_right_shape():
    data = json.loads(catalogue.DATA.read_text(encoding="utf-8"))
    assert any("NHG" in s for s in data["sources"]) and any("SNOMED" in s for s in data["sources"])
    entries = catalogue.entries()
    assert len(entries) >= 10
    assert len({e.key for e in entries}) == len(entries)
    for e in entries:
        assert e.display and e.category in ("somatic", "mental")
        if e.icpc:
            assert catalogue.code_is_valid(catalogue.ICPC, e.icpc), e
        if e.snomed:
            assert catalogue.code_is_valid(catalogue.SNOMED, e.snomed), e


def test_well_known_codes_are_there():
    expected = {"dm2": "T90", "copd": "R95", "hartfalen": "K77", "hypertensie": "K86", "depressie": "P76",
                "angststoornis": "P74", "schizofrenie": "P72", "alcoholmisbruik": "P15", "astma": "R96"}  # fmt: skip
    for key, code in expected.items():
        assert catalogue.by_key(key).icpc == code
    assert catalogue.by_key("dm2").snomed == "44054006"


def test_picking_prefers_icpc_and_falls_back_to_snomed_or_free_text():
    assert (catalogue.by_key("dm2").code_system, catalogue.by_key("dm2").code) == (catalogue.ICPC, "T90")
    assert (catalogue.by_key("dm1").code_system, catalogue.by_key("dm1").code) == (catalogue.SNOMED, "46635009")
    assert catalogue.by_key("nonexistent") is None


def test_code_shapes():
    assert catalogue.code_is_valid(catalogue.ICPC, "T90.02")
    assert not catalogue.code_is_valid(catalogue.ICPC, "t90")
    assert not catalogue.code_is_valid(catalogue.ICPC, "T9")
    assert not catalogue.code_is_valid(catalogue.SNOMED, "0123456")
    assert not catalogue.code_is_valid(catalogue.SNOMED, "12ab56")
    assert not catalogue.code_is_valid("", "T90")
