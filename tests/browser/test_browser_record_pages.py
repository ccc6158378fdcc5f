"""The pages of a person's record in real Chromium, on a desktop and on a phone: no serious or
critical axe-core WCAG 2.1 A/AA problems, no Content-Security-Policy violations, no script errors.

Noor opens Anna's goal, the GAS scores, the care-plan versions, a consult, a decision with its
options side by side, the profile, the care team and the support history (``make_full_record``,
with a second option, a second GAS evaluation and a second care-plan version so that every table
and chart has something to show).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import DESKTOP, MOBILE
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def full_record(cast):
    from koers.careplans.models import CarePlanVersion
    from koers.careplans.services import care_plan_for
    from koers.careplans.snapshot import build_snapshot
    from koers.decisions.models import DecisionOption
    from koers.goals.models import GoalReview
    from tests.support.testing import make_full_record

    record = make_full_record(cast.anna, professional=cast.noor)
    DecisionOption.objects.create(
        decision=record["decision_id"], title="Slaapmiddel", pros="Werkt snel", cons="Went snel", order=2
    )
    GoalReview.objects.create(
        goal=record["goal_id"], reviewed_at=timezone.now() - dt.timedelta(days=60), gas_level=-1, reviewed_by=cast.noor
    )
    plan = care_plan_for(cast.anna)
    plan.current_version += 1
    plan.save()
    CarePlanVersion.objects.create(
        care_plan=plan,
        number=plan.current_version,
        created_at=timezone.now(),
        created_by=cast.noor,
        summary="Tweede optie besproken",
        snapshot=build_snapshot(cast.anna),
    )
    return record


@pytest.mark.parametrize("size", ["desktop", "mobile"])
def test_record_pages_have_no_serious_accessibility_violations(cast, full_record, new_page, log_in, problems, size):
    anna = cast.anna.pk
    r = full_record
    pages = [
        (reverse("goals:detail", args=[anna, r["goal_id"].pk]), "Ik wil weer uitgerust wakker worden"),
        (reverse("goals:list", args=[anna]), "Doelen bereiken (GAS)"),
        (reverse("careplans:versions", args=[anna]), "Versie 2"),
        (reverse("consults:detail", args=[anna, r["consult_id"].pk]), "Slecht slapen"),
        (reverse("decisions:detail", args=[anna, r["decision_id"].pk]), "Slaapmiddel"),
        (reverse("people:profile", args=[anna]), "Metformine"),
        (reverse("network:care_team", args=[anna]), "Leden van het zorgteam"),
        (reverse("people:support_level", args=[anna]), "Eerdere besluiten, nieuwste eerst"),
    ]
    page = log_in(new_page({"desktop": DESKTOP, "mobile": MOBILE}[size]), "noor")
    violations: list[str] = []
    for url, shows in pages:
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Anna de Boer")
        expect(page.locator("main")).to_contain_text(shows)
        violations += axe_violations(page)
    assert violations == [], "axe-core found serious WCAG 2.1 A/AA problems:\n" + "\n".join(violations)
    assert problems.csp_violations() == [], problems.csp_violations()
    assert problems.page_errors == []
