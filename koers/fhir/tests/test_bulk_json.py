"""``bulk_rows.line`` (orjson where it gives the same bytes) against ``bulk_rows.standard_line``
(the standard encoder, the definition of a line): byte for byte, or the same error (issue #15)."""

from __future__ import annotations

import json
import math
import random
import struct
from collections import OrderedDict
from decimal import Decimal

import pytest
from django.db import models
from django.utils.safestring import SafeString

from koers.fhir import bulk_rows
from koers.questionnaires.models import Response

pytest.importorskip("orjson")


class _Level(models.IntegerChoices):
    ONE = 1, "one"
    TWO = 2, "two"


def _outcome(encode, resource):
    try:
        return encode(resource)
    except Exception as exc:  # noqa: BLE001 - the kind of error is what is compared
        return type(exc)


def _same(resource):
    assert _outcome(bulk_rows.line, resource) == _outcome(bulk_rows.standard_line, resource), resource


FLOATS = [0.0, -0.0, 0.1, 2.5, 1e-4, 1e-5, 1.5e-7, 1e-10, 5e-324, 1e15, 1e16, 1.5e16, 1e22, 1.7976931348623157e308]
ODD = [math.nan, math.inf, -math.inf, 2**63, 2**64, -(2**63) - 1, Decimal("1.50"), Decimal("2"), Decimal("NaN")]
TEXTS = ["", "é ü ß", "\x00\x1f\x7f", "\u2028\u2029", '"\\/', "\t\n\r\b\f", "null", "1e-5", "0.00001", "\ud800", "😀"]


def test_the_same_bytes_on_numbers_texts_and_odd_values():
    for value in [*FLOATS, *ODD, *TEXTS, True, False, None, [], {}, (1, "a")]:
        _same({"resourceType": "Observation", "value": value, "list": [value, {"v": value}]})
    _same({1: "a"})  # a key that is not text
    _same({"status": Response.Status.COMPLETED, "mode": Response.Mode.PORTAL, "n": _Level.TWO})  # choices
    _same(OrderedDict(b=1, a=[OrderedDict(c=None)]))  # dict subclasses, in their own order
    _same({"text": SafeString("<b>é</b>"), "deep": [[[[{"x": [1.5, "y"]}]]]]})
    _same({"when": __import__("datetime").date(2026, 12, 6)})  # not JSON for either


def test_the_same_bytes_on_random_floats_and_nested_resources():
    rnd = random.Random(15)
    for _ in range(20000):
        exponent = rnd.uniform(-330, 308)
        value = rnd.choice([1, -1]) * rnd.random() * 10**exponent
        raw = struct.unpack("d", struct.pack("Q", rnd.getrandbits(64)))[0]
        _same({"a": value, "b": [raw, round(rnd.uniform(-1e3, 1e3), rnd.randint(0, 6))]})

    def draw(depth):
        if depth > 3 or rnd.random() < 0.3:
            return rnd.choice([*FLOATS, *TEXTS[:-2], 0, 17, True, None, "x"])
        if rnd.random() < 0.5:
            return {f"k{i}": draw(depth + 1) for i in range(rnd.randint(0, 4))}
        return [draw(depth + 1) for _ in range(rnd.randint(0, 4))]

    for _ in range(5000):
        _same({f"k{i}": draw(0) for i in range(rnd.randint(0, 5))})


# --- reading: ``bulk_rows.loads`` against ``json.loads`` -------------------------------------------


def _same_read(text):
    def read(decode):
        try:
            value = decode(text)
        except ValueError as exc:  # JSONDecodeError is one; the kind is what is compared
            return type(exc).__mro__[-3]
        return json.dumps(value, ensure_ascii=True, allow_nan=True), _types(value)

    assert read(bulk_rows.loads) == read(json.loads), text


def _types(value):
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


def test_loads_reads_what_the_standard_decoder_reads_or_fails_as_it_does():
    texts = [json.dumps(v, allow_nan=True) for v in FLOATS + [2**63, 2**64, -(2**63) - 1, math.nan, math.inf]]
    texts += [json.dumps(t) for t in TEXTS] + ['"\\ud800"', '{"a": 1, "a": 2}', "[1, 2", "", "nul", '{"x": 1e400}']
    texts += ["0.1e1", "-0", "1E+2", "123456789012345678901234567890", '{"é": [true, false, null]}']
    rng = random.Random(15)
    for _ in range(20_000):
        number = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
        texts.append(json.dumps({"v": number, "i": rng.getrandbits(70) - 2**69}, allow_nan=True))
        texts.append(repr(rng.uniform(-1e6, 1e6)))
    for text in texts:
        _same_read(text)
    assert bulk_rows.loads(None) is None


@pytest.mark.django_db
def test_json_read_fast_gives_the_fields_values(cast):
    from koers.questionnaires import services as q_services

    response = q_services.response_start(actor=cast.noor, person=cast.anna, instrument_id="phq-9")
    q_services.response_complete(actor=cast.noor, response=response, answers={str(n): "1" for n in range(1, 10)})
    Response.objects.filter(pk=response.pk).update(answers={"1": 0.1, "2": 2**40, "3": "é\u2028", "4": None})
    queryset = Response.objects.filter(pk=response.pk)
    [fast] = bulk_rows.with_json_read_fast(queryset, "answers", "resource")
    [plain] = queryset
    assert (fast.answers, fast.resource) == (plain.answers, plain.resource)
    assert _types(fast.resource) == _types(plain.resource)
    assert fast.get_deferred_fields() == set()  # nothing read again per row
