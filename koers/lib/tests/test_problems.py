"""``problems_of``: a service's check as problems per field, without writing."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from koers.lib.problems import problems_of


def _check(*, minutes, moment):
    errors = {}
    if not 5 <= minutes <= 240:
        errors["minutes"] = ["Een consult duurt 5 tot 240 minuten."]
    if moment is None:
        errors["moment"] = ["Vul een datum en tijd in."]
    if errors:
        raise ValidationError(errors)


def test_every_problem_by_field_and_none_when_the_check_accepts():
    assert problems_of(_check, minutes=999, moment=None) == {
        "minutes": ["Een consult duurt 5 tot 240 minuten."],
        "moment": ["Vul een datum en tijd in."],
    }
    assert problems_of(_check, minutes=20, moment="morgen") == {}


def test_a_problem_for_the_whole_is_kept_under_the_form_wide_key():
    def whole():
        raise ValidationError("Te veel waarden in één keer.")

    assert problems_of(whole) == {"__all__": ["Te veel waarden in één keer."]}
