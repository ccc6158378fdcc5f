"""The drafted letter explains each value against the person's own target (pure, no database)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from koers.screening import letter, targets
from koers.screening.letter import GoalRef, LetterValue
from koers.screening.targets import Target

D = Decimal
DAY = dt.date(2026, 11, 12)


def value(code, number, *, sex="female", personal=None, day=DAY):
    m = targets.measure(code)
    return LetterValue(
        measure=code,
        value=D(number),
        unit=m.unit,
        taken_at=day,
        target=targets.target_for(m, sex=sex, personal=personal),
    )


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def paragraph(body, name):
    return next(p for p in body.split("\n\n") if p.startswith(name))


def test_value_in_range_is_called_good_with_its_target():
    draft = letter.draft(given_name="Anna", values=[value("systolic_bp", "128")], goals=[], signed_by="Noor")
    assert draft.body.startswith("Beste Anna,")
    text = paragraph(draft.body, "Bloeddruk (bovendruk)")
    assert "128 mmHg" in text
    assert "Dit is goed. De streefwaarde is onder 140 mmHg." in text
    assert "hoger dan" not in text
    assert "Alle uitslagen met een streefwaarde zijn goed" in draft.body
    assert draft.body.rstrip().endswith("Noor")
    assert "12 november 2026" in draft.title


def test_value_above_target_explains_and_links_the_persons_goal():
    goals = [GoalRef("Ik wil elke dag een half uur wandelen", "health"), GoalRef("Weer gaan werken", "work")]
    draft = letter.draft(
        given_name="Anna", values=[value("ldl", "3,4".replace(",", "."))], goals=goals, signed_by="Noor"
    )
    text = paragraph(draft.body, "LDL-cholesterol")
    assert "3,4 mmol/l" in text
    assert "Dit is hoger dan de streefwaarde: onder 2,6 mmol/l." in text
    assert "hart en bloedvaten" in text
    assert "“Ik wil elke dag een half uur wandelen”" in text
    assert "Weer gaan werken" not in draft.body
    assert "praten we samen" in draft.body


def test_value_below_target_without_a_matching_goal_offers_one():
    draft = letter.draft(
        given_name="Bas", values=[value("egfr", "48")], goals=[GoalRef("Weer gaan werken", "work")], signed_by="Noor"
    )
    text = paragraph(draft.body, "Nierfunctie")
    assert "Dit is lager dan de streefwaarde: 60 ml/min/1,73 m² of hoger." in text
    assert "nieren werken minder goed" in text
    assert "samen met uw zorgverlener een doel of actie maken" in text


def test_the_persons_own_target_is_named_as_theirs():
    own = Target(high=D(53), personal=True)
    draft = letter.draft(given_name="Anna", values=[value("hba1c", "51", personal=own)], goals=[], signed_by="Noor")
    text = paragraph(draft.body, "HbA1c")
    assert "Dit past bij uw eigen streefwaarde: 53 mmol/mol of lager." in text
    above = letter.draft(given_name="Anna", values=[value("hba1c", "51")], goals=[], signed_by="Noor")
    assert "Dit is hoger dan de streefwaarde: onder 48 mmol/mol." in paragraph(above.body, "HbA1c")


def test_values_without_target_and_several_dates():
    values = [
        value("weight", "82.5", day=DAY),
        value("height", "178", day=DAY),
        value("bmi", "26.1", day=DAY + dt.timedelta(days=3)),
    ]
    draft = letter.draft(given_name="Anna", values=values, goals=[], signed_by="Noor")
    assert "Hiervoor is geen vaste streefwaarde" in paragraph(draft.body, "Gewicht")
    assert "Van 12 november 2026 tot 15 november 2026" in draft.body
    assert "tussen 18,5 en 25 kg/m²" in paragraph(draft.body, "BMI")
    assert draft.body.index("Gewicht") < draft.body.index("BMI")
    assert "Lengte" not in draft.body  # only used for the BMI


def test_letter_in_english():
    with translation.override("en"):
        draft = letter.draft(given_name="Anna", values=[value("systolic_bp", "150")], goals=[], signed_by="Noor")
    assert draft.body.startswith("Dear Anna,")
    assert "higher than the target" in draft.body
