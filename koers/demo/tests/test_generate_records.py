"""``koers generate`` writes questionnaire results and self-monitoring (issue #18): scored by the
questionnaires app's own scoring, about 100 values per person, deterministic for a seed, and the
trajectory and N=1 pages of a generated person answer their professional (and nobody else)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.audit.verify import verify_chain
from koers.monitoring.models import DiarySchedule, Observation
from koers.network.models import CareTeamMember
from koers.people.models import Person
from koers.questionnaires import scoring
from koers.questionnaires import selectors as q
from koers.questionnaires.models import AttentionItem, Response, Score

pytestmark = pytest.mark.django_db


def generate(people: int, seed: int = 1, batch_size: int = 25) -> str:
    out = io.StringIO()
    call_command(
        "generate", people=people, seed=seed, batch_size=batch_size, no_progress=True, stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


def test_questionnaire_results_are_scored_by_the_instruments_own_rules():
    output = generate(80)
    assert "questionnaires.Response" in output and "rijen/s" in output
    responses = list(Response.objects.select_related("score"))
    assert len(responses) >= 20
    instruments = {r.instrument_id for r in responses}
    assert {"phq-9", "mansa"} <= instruments or {"phq-9", "gad-7"} <= instruments
    for response in responses:
        inst = q.instrument_for(response)
        result = scoring.score(inst, response.answers, answers_as="code")
        assert response.status == Response.Status.COMPLETED
        assert response.score.total == result.total
        assert response.score.band == (result.band.code if result.band else "")
        assert response.score.flags == list(result.flags or ())
        assert response.resource == q.response_resource(inst, response.answers, response=response)
        assert response.authored_at <= timezone.now()
    # Trajectories: several results per person and instrument, a few months apart; the PREM
    # (how care felt, koers.demo.generator_outer) once or twice.
    per = {}
    for r in responses:
        per.setdefault((r.person_id, r.instrument_id), []).append(r.authored_at)
    assert all(2 <= len(times) <= 6 for (_p, i), times in per.items() if i != "koers-prem")
    assert all(1 <= len(times) <= 2 for (_p, i), times in per.items() if i == "koers-prem")
    # Worrying results raise attention items as the service does; only the newest stay open.
    for item in AttentionItem.objects.filter(handled_at__isnull=True).select_related("response"):
        newer = Response.objects.filter(
            person=item.person_id, instrument_id=item.response.instrument_id, authored_at__gt=item.response.authored_at
        )
        assert not newer.exists()
    assert Score.objects.count() == len(responses)


def test_about_a_hundred_values_per_person_and_diaries_for_a_share():
    generate(150, batch_size=50)
    count = Observation.objects.count()
    assert 70 <= count / 150 <= 130, count / 150
    assert not Observation.objects.filter(effective_at__gt=timezone.now()).exists()
    codes = set(Observation.objects.values_list("type__code", flat=True).distinct())
    assert {"systolic_bp", "steps"} <= codes
    schedules = DiarySchedule.objects.all()
    assert 1 <= schedules.count() < 150
    for schedule in schedules:
        assert {t.code for t in schedule.types.all()} == {"mood", "anxiety", "sleep_quality"}
        assert Observation.objects.filter(person=schedule.person_id, type__code="mood").exists()
    assert verify_chain().ok


def test_trajectory_and_n1_pages_answer_the_professional_and_nobody_else(client):
    generate(60)
    response = Response.objects.filter(instrument_id="phq-9").first() or Response.objects.first()
    person = Person.objects.get(pk=response.person_id)
    member = CareTeamMember.objects.filter(person=person, role="responsible").select_related("professional").get()
    pro = member.professional
    client.force_login(pro)
    trajectory = reverse("questionnaires:trajectory", args=[person.pk, response.instrument_id])
    assert client.get(trajectory).status_code == 200
    watched = Observation.objects.filter(person__care_team__professional=pro).select_related("type").first()
    assert watched is not None
    for url in (
        reverse("monitoring:overview", args=[watched.person_id]),
        reverse("monitoring:detail", args=[watched.person_id, watched.type.code]),
        reverse("monitoring:analysis", args=[watched.person_id]),
    ):
        assert client.get(url).status_code == 200, url
    assert AccessLogEntry.objects.filter(user=pro, person=person, action="R", outcome="success").exists()
    # A professional outside the person's team gets the same answer as for a missing record.
    outsider = (
        type(pro)
        .objects.filter(role="professional")
        .exclude(pk__in=CareTeamMember.objects.filter(person=person).values("professional"))
        .exclude(organisation=pro.organisation)
        .first()
    )
    client.force_login(outsider)
    refused = client.get(trajectory)
    missing = client.get(reverse("questionnaires:trajectory", args=[999999, response.instrument_id]))
    assert refused.status_code == missing.status_code == 404
    # (the page names its own address, e.g. in the language switch: compare without the id)
    assert without_csrf(refused.content).replace(f"/{person.pk}/".encode(), b"/0/") == without_csrf(
        missing.content
    ).replace(b"/999999/", b"/0/")
    assert AccessLogEntry.objects.filter(user=outsider, person=person, outcome="refused").exists()


def without_csrf(body: bytes) -> bytes:
    """The page without its CSRF token (masked anew on every response)."""
    return re.sub(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', rb"\1", body)


class _Rollback(Exception):
    pass


def records(seed: int, batch_size: int) -> list:
    try:
        with transaction.atomic():
            generate(30, seed=seed, batch_size=batch_size)
            persons = list(Person.objects.order_by("pk").values_list("pk", flat=True))
            order = {pk: n for n, pk in enumerate(persons)}
            result = sorted(
                (order[r.person_id], r.instrument_id, r.authored_at, tuple(sorted(r.answers.items())), r.score.total)
                for r in Response.objects.select_related("score")
            )
            result += sorted(
                (order[o[0]], o[1], o[2], o[3])
                for o in Observation.objects.values_list("person_id", "type__code", "effective_at", "value")
            )
            raise _Rollback
    except _Rollback:
        pass
    return result


def test_records_are_deterministic_for_a_seed_whatever_the_batch_size():
    first = records(seed=3, batch_size=25)
    assert len(first) > 1000
    assert records(seed=3, batch_size=7) == first
    assert records(seed=4, batch_size=25) != first
