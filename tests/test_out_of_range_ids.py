"""An id beyond what the database can hold answers like a missing record, never a server error.

Found by submitting forms with bad values as the demo's accounts (7 December 2026):
``/personen/99999999999999999999/`` answered 500 (the emergency-access check passed the number to
a foreign-key lookup; Django guards primary-key lookups against out-of-range integers, not
foreign-key ones, and SQLite raised OverflowError), and so did the consent page's form with such
a ``member``. Here every URL with an ``<int:…>`` keyword is asked, by GET and by POST, with that
keyword far beyond a bigint — as the care team, as the person and as a relative — and must answer
404 (or 405 for a method it does not take, or a redirect to the login page), like a missing record.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.urls.converters import IntConverter

from tests.support.testing import make_full_record
from tests.test_url_access import all_views

HUGE = 10**20


def _cases(record):
    """(name, kwargs) per URL with an int keyword: each int keyword huge in turn, the rest real."""
    for name, pattern, _callback in all_views():
        converters = pattern.pattern.converters
        ints = [key for key, converter in converters.items() if isinstance(converter, IntConverter)]
        if not ints:
            continue
        real = {}
        for key in converters:
            obj = record.get(key)
            real[key] = None if obj is None else (obj.number if key == "number" else getattr(obj, "pk", obj))
        for key in ints:
            kwargs = {**real, key: HUGE}
            if any(value is None for value in kwargs.values()):
                kwargs = {k: (HUGE if k in ints else v) for k, v in kwargs.items()}
            if any(value is None for value in kwargs.values()):
                continue  # a str keyword the record does not have: the int ones are asked elsewhere
            yield name, kwargs


@pytest.mark.django_db
def test_ids_beyond_a_bigint_answer_like_missing_records(cast):
    record = make_full_record(cast.anna, professional=cast.noor)
    cases = sorted(set((name, tuple(sorted(kwargs.items()))) for name, kwargs in _cases(record)))
    assert len(cases) > 100, f"only {len(cases)} URLs with an id: the walk lost its way"
    failures = []
    for user in (cast.noor, cast.anna_user, cast.rob):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for name, kwargs in cases:
            url = reverse(name, kwargs=dict(kwargs))
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                if status not in (404, 405, 302):
                    failures.append(f"{user.username} {method.upper()} {name} {url}: {status}")
    assert failures == [], "\n".join(failures[:40])


def _form_classes():
    import importlib
    import pkgutil

    from django import forms

    import koers

    for info in pkgutil.walk_packages(koers.__path__, "koers."):
        if ".tests" in info.name or not (
            info.name.endswith(".forms") or ".forms." in info.name or "_forms" in info.name
        ):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                yield value


def test_every_hidden_id_field_stops_numbers_no_row_can_have():
    """A hidden whole-number field carries a row's id (or a version number): bounded above, so a
    number beyond a bigint is an invalid form instead of a lookup the database cannot take."""
    from django import forms

    from koers.lib.ids import MAX_ID

    found, unbounded = [], []
    for form in _form_classes():
        for name, field in form.base_fields.items():
            if isinstance(field, forms.IntegerField) and isinstance(field.widget, forms.HiddenInput):
                found.append(f"{form.__name__}.{name}")
                if field.max_value is None or field.max_value > MAX_ID:
                    unbounded.append(f"{form.__module__}.{form.__name__}.{name}")
    assert len(found) >= 10, f"only {found}: the walk lost its way"
    assert unbounded == [], f"use koers.lib.forms.IdField: {unbounded}"


@pytest.mark.django_db
def test_the_consent_form_with_such_a_member_answers_like_a_missing_one(cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.anna_user)
    url = reverse("network:portal_consent")
    response = client.post(url, {"member": HUGE, "topic": "goals", "granted": "0"})
    assert response.status_code == 404
    missing = client.post(url, {"member": 987654, "topic": "goals", "granted": "0"})
    assert missing.status_code == 404
    token = re.compile(rb'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"')
    assert token.sub(b"", missing.content) == token.sub(b"", response.content)


def test_every_field_of_row_checkboxes_refuses_numbers_no_row_can_have():
    from django import forms

    from koers.lib.forms import ModelIdsField

    found, plain = [], []
    for form in _form_classes():
        for name, field in form.base_fields.items():
            if isinstance(field, forms.ModelMultipleChoiceField):
                found.append(name)
                if not isinstance(field, ModelIdsField):
                    plain.append(f"{form.__module__}.{form.__name__}.{name}")
    assert len(found) >= 3, f"only {found}: the walk lost its way"
    assert plain == [], f"use koers.lib.forms.ModelIdsField: {plain}"


@pytest.mark.django_db
def test_a_checkbox_with_such_an_id_is_an_invalid_choice(cast):
    from django.core.exceptions import ValidationError

    from koers.lib.forms import ModelIdsField
    from koers.people.models import Person

    field = ModelIdsField(queryset=Person.objects.all())
    assert list(field.clean([str(cast.anna.pk)])) == [cast.anna]
    for bad in (str(HUGE), "-1", "0"):
        with pytest.raises(ValidationError) as refused:
            field.clean([str(cast.anna.pk), bad])
        assert refused.value.code == "invalid_choice"
