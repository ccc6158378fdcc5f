"""The diary is tailored: nobody gets diary questions until the person and their care team
choose them; a suggested set per condition is one click away (ticked, not saved, until the
professional saves it with the person); every catalogue question has 10 as "more of this" with
both anchors beside the scale."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers.monitoring import catalogue, suggestions
from koers.monitoring.models import DiarySchedule, MeasurementType
from koers.monitoring.services import diary_schedule_set
from koers.people.models import Condition

ENTRY = reverse("monitoring:portal_entry")


def diary_codes() -> list[str]:
    return list(
        MeasurementType.objects.filter(kind=MeasurementType.Kind.DIARY, person__isnull=True).values_list(
            "code", flat=True
        )
    )


# --- pure: the suggested sets ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("display", "code", "expected"),
    [
        ("Depressie", "P76", "depression"),
        ("Sombere stemming", "", "depression"),
        ("Schizofrenie", "P72", "psychosis"),
        ("Eerste psychose", "", "psychosis"),
        ("Bipolaire stoornis", "", "bipolar"),
        ("Paniekstoornis", "", "anxiety"),
        ("Alcoholprobleem", "P15", "addiction"),
        ("Diabetes mellitus type 2", "T90", None),
        ("", "", None),
    ],
)
def test_a_condition_gets_its_suggested_set(display, code, expected):
    assert suggestions.set_for(display, code) == expected


def test_the_sets_named_in_the_issue():
    assert {"mood", "sleep_quality", "energy"} <= set(suggestions.SETS["depression"])
    assert {"voices", "stress", "sleep_quality"} <= set(suggestions.SETS["psychosis"])


def test_each_set_once_in_the_order_of_the_conditions():
    found = suggestions.suggest([("Schizofrenie", "P72"), ("Depressie", "P76"), ("Psychose", "")])
    assert [s.key for s in found] == ["psychosis", "depression"]
    assert found[0].because == "Schizofrenie"


@pytest.mark.django_db
def test_every_suggested_question_is_a_catalogue_diary_question():
    known = set(diary_codes())
    for codes in suggestions.SETS.values():
        assert set(codes) <= known


@pytest.mark.django_db
def test_every_diary_question_has_ten_as_more_of_this_with_both_anchors():
    for code in diary_codes():
        low, high = catalogue.anchors(code)
        assert low and high, code
        # 10 is "more of this": the high anchor says much/very/good, the low one none/not/bad.
        assert any(word in high for word in ("heel", "veel", "ergste")), (code, high)
        assert any(word in low for word in ("niet", "geen", "heel somber", "heel slecht")), (code, low)


# --- quick entry: no diary until chosen ---------------------------------------------------------------------


@pytest.mark.django_db
def test_without_chosen_questions_quick_entry_asks_no_diary_questions(cast, login):
    html = login(cast.anna_user).get(ENTRY).content.decode()
    for code in diary_codes():
        assert f'name="v_{code}"' not in html, code
    assert 'name="v_weight"' in html  # measurements stay available
    assert "U heeft nog geen dagboekvragen." in html
    assert f'href="{reverse("monitoring:portal_diary")}"' in html


@pytest.mark.django_db
def test_the_chosen_questions_are_asked_with_both_anchors_beside_the_scale(cast, login):
    diary_schedule_set(actor=cast.noor, person=cast.anna, times=["09:00"], types=["voices", "stress"])
    html = login(cast.anna_user).get(ENTRY).content.decode()
    assert 'name="v_voices"' in html and 'name="v_stress"' in html and 'name="v_mood"' not in html
    low = html.index('<span class="anchor anchor-low" aria-hidden="true">0 = helemaal geen last</span>')
    high = html.index('<span class="anchor anchor-high" aria-hidden="true">10 = heel veel last</span>')
    radios = [html.index(f'name="v_voices" value="{n}"') for n in (0, 10)]
    assert low < radios[0] < radios[1] < high  # the anchors at the two ends of the scale
    assert "U heeft nog geen dagboekvragen." not in html


# --- the diary page: a suggested set, one click, confirmed by saving -----------------------------------------


def diary_page(person) -> str:
    return reverse("monitoring:diary", kwargs={"person_id": person.pk})


@pytest.mark.django_db
def test_the_professional_gets_the_suggestion_for_the_persons_condition_ticked_not_saved(cast, login):
    Condition.objects.create(
        person=cast.anna,
        display="Schizofrenie",
        code="P72",
        code_system=Condition.CodeSystem.ICPC,
        category=Condition.Category.MENTAL,
    )
    client = login(cast.noor)
    html = client.get(diary_page(cast.anna)).content.decode()
    assert 'name="voorstel" value="psychosis"' in html and "Schizofrenie" in html
    html = client.get(diary_page(cast.anna) + "?voorstel=psychosis").content.decode()
    assert "is hieronder aangevinkt" in html
    ticked = {code for code in diary_codes() if _is_ticked(html, code)}
    assert ticked == set(suggestions.SETS["psychosis"])
    assert not DiarySchedule.objects.exists()  # nothing saved by choosing the suggestion


@pytest.mark.django_db
def test_a_resolved_condition_or_an_unknown_suggestion_offers_nothing(cast, login):
    Condition.objects.create(
        person=cast.anna,
        display="Depressie",
        code="P76",
        code_system=Condition.CodeSystem.ICPC,
        clinical_status=Condition.ClinicalStatus.RESOLVED,
    )
    client = login(cast.noor)
    html = client.get(diary_page(cast.anna) + "?voorstel=depression").content.decode()
    assert 'name="voorstel"' not in html and "aangevinkt" not in html
    assert not any(_is_ticked(html, code) for code in diary_codes())


@pytest.mark.django_db
def test_the_person_does_not_get_someone_elses_conditions_or_suggestions(cast, login):
    Condition.objects.create(person=cast.bas, display="Depressie", code="P76", code_system=Condition.CodeSystem.ICPC)
    html = login(cast.noor).get(diary_page(cast.anna) + "?voorstel=depression").content.decode()
    assert "Depressie" not in html and 'name="voorstel"' not in html


def _is_ticked(html: str, code: str) -> bool:
    mtype = MeasurementType.objects.get(code=code, person__isnull=True)
    import re

    tag = re.search(rf'<input type="checkbox" name="types" value="{mtype.pk}"[^>]*>', html)
    return bool(tag) and "checked" in tag.group(0)
