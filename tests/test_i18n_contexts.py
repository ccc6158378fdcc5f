"""One Dutch word, two meanings: texts with a translation context come out right in English.

Django merges every catalogue into one per language, so "gestopt", "vervallen" and "Toelichting"
can have only one English translation each unless a context (pgettext) tells them apart:

- "gestopt": a person who quit smoking (people), a goal or action that stopped (goals);
- "vervallen": a line removed from the care plan (care-plan comparison), a decision withdrawn;
- "Toelichting": the details of an agenda item (consults), a note elsewhere (people, goals).
"""

from __future__ import annotations

from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from koers.consults.models import AgendaItem
from koers.decisions.models import SharedDecision
from koers.goals.models import Action, Goal, GoalReview
from koers.people.models import Profile, SupportLevelDecision
from tests.support.testing import make_full_record


def test_each_meaning_has_its_own_english_and_the_dutch_is_unchanged():
    labels = {
        "smoking": lambda: Profile.Smoking.FORMER.label,
        "goal": lambda: Goal.LifecycleStatus.CANCELLED.label,
        "action": lambda: Action.Status.STOPPED.label,
        "decision": lambda: SharedDecision.Status.WITHDRAWN.label,
        "agenda item": lambda: AgendaItem._meta.get_field("detail").verbose_name,
        "support level": lambda: SupportLevelDecision._meta.get_field("note").verbose_name,
        "goal review": lambda: GoalReview._meta.get_field("note").verbose_name,
    }
    with translation.override("en"):
        english = {name: str(label()) for name, label in labels.items()}
    assert english == {
        "smoking": "quit",
        "goal": "stopped",
        "action": "stopped",
        "decision": "withdrawn",
        "agenda item": "details",
        "support level": "note",
        "goal review": "note",
    }
    dutch = {name: str(label()) for name, label in labels.items()}
    assert dutch == {
        "smoking": "gestopt",
        "goal": "gestopt",
        "action": "gestopt",
        "decision": "vervallen",
        "agenda item": "toelichting",
        "support level": "toelichting",
        "goal review": "toelichting",
    }


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _text(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.fixture
def anna(cast):
    return make_full_record(cast.anna, professional=cast.noor)


def test_profile_says_quit_smoking_and_the_support_history_has_a_note(cast, anna, login):
    Profile.objects.update_or_create(person=cast.anna, defaults={"smoking": Profile.Smoking.FORMER})
    html = _text(_english(login(cast.noor)).get(reverse("people:profile", args=[cast.anna.pk])))
    assert "<dt>Smoking</dt><dd>quit</dd>" in html
    assert '<th scope="col">Note</th>' in html  # support history


def test_agenda_item_forms_ask_for_details(cast, anna, login):
    url = reverse("consults:detail", args=[cast.anna.pk, anna["consult_id"].pk])
    assert 'for="id_new-detail">Details' in _text(_english(login(cast.noor)).get(url))
    url = reverse("consults:portal_agenda")
    assert 'for="id_detail">Details' in _text(_english(login(cast.anna_user)).get(url))


def test_care_plan_comparison_calls_a_line_that_is_gone_removed(cast, anna, login):
    from koers.careplans.models import CarePlanVersion, FollowUpAgreement
    from koers.careplans.services import care_plan_for
    from koers.careplans.snapshot import build_snapshot

    FollowUpAgreement.objects.filter(person=cast.anna).delete()
    plan = care_plan_for(cast.anna)
    plan.current_version += 1
    plan.save()
    CarePlanVersion.objects.create(
        care_plan=plan,
        number=plan.current_version,
        created_at=timezone.now(),
        created_by=cast.noor,
        summary="Vervolgafspraak weg",
        snapshot=build_snapshot(cast.anna),
    )
    client = _english(login(cast.noor))
    html = _text(client.get(reverse("careplans:compare", args=[cast.anna.pk])))
    assert '<span class="kind">removed</span> <del>Slaap bespreken</del>' in html
    assert "withdrawn" not in html
