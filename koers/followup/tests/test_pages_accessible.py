"""Follow-up pages: every aria reference points somewhere, tables scroll in named regions, form
errors are tied to their fields (the same checks as tests/test_aria_references.py)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from koers.careplans.services import follow_up_create
from koers.followup import services
from koers.goals.models import Goal
from tests.support.testing import make_full_record
from tests.test_aria_references import region_problems, unlinked_messages
from tests.test_shared_templates import reference_problems

pytestmark = pytest.mark.django_db


def problems(html: str) -> list[str]:
    return reference_problems(html) + unlinked_messages(html) + region_problems(html)


@pytest.fixture
def anna(cast):
    record = make_full_record(cast.anna, professional=cast.noor)
    Goal.objects.filter(person=cast.anna).update(target_date=timezone.localdate())
    services.evaluation_input_save(actor=cast.anna_user, person=cast.anna, went_well="Beter geslapen")
    return record


def test_pages_and_forms_with_errors(cast, anna, client):
    pid = cast.anna.pk
    follow_up = follow_up_create(actor=cast.noor, person=cast.anna, what="Slapen", who="Noor")
    gets = [
        (cast.noor, "/werklijst/"),
        (cast.noor, "/werklijst/team/"),
        (cast.noor, f"/personen/{pid}/zorgplan/jaarevaluatie/"),
        (cast.noor, f"/personen/{pid}/zorgplan/vervolg/{follow_up.pk}/ritme/"),
        (cast.anna_user, "/mijn/zorgplan/jaarevaluatie/"),
        (cast.anna_user, "/mijn/agenda/"),
    ]
    posts = [
        (cast.noor, f"/personen/{pid}/zorgplan/jaarevaluatie/", {"date": "x"}),
        (cast.noor, f"/personen/{pid}/zorgplan/vervolg/{follow_up.pk}/ritme/", {"next_date": "x"}),
        (cast.anna_user, "/mijn/zorgplan/jaarevaluatie/", {"went_well": "x" * 4001}),
    ]
    found = {}
    for user, url in gets:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = problems(response.content.decode())
    for user, url, data in posts:
        client.force_login(user)
        response = client.post(url, data)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'class="error"' in html, url
        found["POST " + url] = problems(html)
    assert not any(found.values()), found
    client.force_login(cast.noor)
    assert 'role="region"' in client.get("/werklijst/").content.decode()
