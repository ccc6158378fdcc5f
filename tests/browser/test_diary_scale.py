"""The tailored diary in real Chromium: the 0–10 scale keeps its two anchors beside its two ends
and does not wrap away from them — on a 390 px phone a column with the meaning of 0 beside 0 and
of 10 beside 10, on a wide screen one row with the anchors at both ends — with tap targets of at
least 44 px; and the professional picks the suggested set for the person's condition in one
click, checks it and saves. axe-core finds no serious WCAG 2.1 A/AA problem."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import DESKTOP, MOBILE
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser
ENTRY = reverse("monitoring:portal_entry")


def boxes(group):
    options = [o.bounding_box() for o in group.locator(".option").all()]
    low = group.locator(".anchor-low").bounding_box()
    high = group.locator(".anchor-high").bounding_box()
    return options, low, high, group.bounding_box()


def middle(box) -> float:
    return box["y"] + box["height"] / 2


def inside(box, outer) -> bool:
    return (
        box["x"] >= outer["x"] - 1
        and box["y"] >= outer["y"] - 1
        and box["x"] + box["width"] <= outer["x"] + outer["width"] + 1
        and box["y"] + box["height"] <= outer["y"] + outer["height"] + 1
    )


@pytest.fixture
def diary(cast):
    from koers.monitoring.services import diary_schedule_set

    diary_schedule_set(actor=cast.noor, person=cast.anna, times=["09:00"], types=["mood", "voices"])


def test_on_a_phone_the_anchors_stay_beside_the_ends_of_the_scale(cast, diary, new_page, log_in, problems, screenshot):
    page = log_in(new_page(MOBILE), "anna")
    page.goto(ENTRY)
    for question in ("Hoe is uw stemming op dit moment?", "Hoeveel last heeft u op dit moment van stemmen?"):
        group = page.get_by_role("group", name=question)
        options, low, high, block = boxes(group)
        assert len(options) == 11
        for box in options:
            assert box["width"] >= 44 and box["height"] >= 44, box  # big enough to tap
        zero, ten = options[0], options[10]
        # beside 0 and beside 10: to their right, on the same line
        assert low["x"] >= zero["x"] + zero["width"] - 1 and abs(middle(low) - middle(zero)) <= 4, (low, zero)
        assert high["x"] >= ten["x"] + ten["width"] - 1 and abs(middle(high) - middle(ten)) <= 4, (high, ten)
        # one column, 0 to 10 from top to bottom, nothing wrapped into a second line of options
        assert len({round(box["x"]) for box in options}) == 1
        assert [box["y"] for box in options] == sorted(box["y"] for box in options)
        # one visual block: anchors and radios inside the question's own group
        assert all(inside(box, block) for box in [*options, low, high])
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "monitoring-diary-scale-mobile")
    group = page.get_by_role("group", name="Hoeveel last heeft u op dit moment van stemmen?")
    group.get_by_label("3", exact=True).check()
    expect(group.get_by_label("3", exact=True)).to_be_checked()
    assert axe_violations(page) == []
    assert problems.csp_violations() == [] and problems.page_errors == []


def test_on_a_wide_screen_the_scale_is_one_row_between_its_anchors(cast, diary, new_page, log_in, problems):
    page = log_in(new_page(DESKTOP), "anna")
    page.goto(ENTRY)
    group = page.get_by_role("group", name="Hoe is uw stemming op dit moment?")
    options, low, high, block = boxes(group)
    assert len({round(box["y"]) for box in options}) == 1  # one row
    for box in options:
        assert box["width"] >= 44 and box["height"] >= 44, box
    zero, ten = options[0], options[10]
    assert low["x"] + low["width"] <= zero["x"] + 1 and abs(middle(low) - middle(zero)) <= zero["height"] / 2
    assert high["x"] >= ten["x"] + ten["width"] - 1 and abs(middle(high) - middle(ten)) <= ten["height"] / 2
    assert all(inside(box, block) for box in [*options, low, high])
    assert axe_violations(page) == []
    assert problems.csp_violations() == [] and problems.page_errors == []


def test_the_professional_takes_the_suggested_set_in_one_click_and_saves_it(cast, new_page, log_in, problems):
    from koers.monitoring.models import DiarySchedule
    from koers.people.models import Condition

    Condition.objects.create(
        person=cast.anna,
        display="Schizofrenie",
        code="P72",
        code_system=Condition.CodeSystem.ICPC,
        category=Condition.Category.MENTAL,
    )
    page = log_in(new_page(DESKTOP), "noor")
    page.goto(reverse("monitoring:diary", kwargs={"person_id": cast.anna.pk}))
    expect(page.get_by_role("heading", name="Voorgestelde vragen")).to_be_visible()
    page.get_by_role("button", name="Voorstel bij psychose").click()
    expect(page.get_by_role("status").filter(has_text="aangevinkt")).to_be_visible()
    for name in ("Last van stemmen", "Stress", "Kwaliteit van de slaap", "Wantrouwen"):
        expect(page.get_by_role("checkbox", name=name, exact=True)).to_be_checked()
    expect(page.get_by_role("checkbox", name="Stemming", exact=True)).not_to_be_checked()
    assert not DiarySchedule.objects.exists()  # ticked, not saved
    assert axe_violations(page) == []
    page.get_by_role("checkbox", name="Wantrouwen", exact=True).uncheck()  # adjusted with Anna
    page.get_by_role("button", name="Bewaren").click()
    expect(page.locator(".messages")).to_contain_text("De momenten zijn bewaard.")
    schedule = DiarySchedule.objects.get(person=cast.anna)
    assert sorted(schedule.types.values_list("code", flat=True)) == ["sleep_quality", "stress", "voices"]
    assert problems.csp_violations() == [] and problems.page_errors == []
