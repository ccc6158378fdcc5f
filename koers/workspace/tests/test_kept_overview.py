"""The person overview's cards, kept as HTML per content (``koers.workspace.kept_overview``, issue #18).

What must hold: the page is the same HTML whether the cards were rendered or kept; kept cards are
shown only for exactly the rows, language, parts shown and release they were rendered from — a
change to anything the cards show (a goal, an action, a decision and the option chosen, the
agenda, the consult, a condition, the support level, a care-team member's name or organisation,
what matters, the questionnaires) is on the next view; a reader never gets a part they may not
see; every view is logged; when keeping fails the page is still shown.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from koers import access
from koers.access import Topic
from koers.accounts.models import Organisation, User
from koers.audit.models import AccessLogEntry
from koers.consults.models import AgendaItem, Consult, Preparation
from koers.decisions.models import SharedDecision
from koers.goals.models import Action, Goal
from koers.lib import kept_html, release
from koers.network.services import consent_set
from koers.people.models import Condition, Profile, SupportLevelDecision
from koers.questionnaires.models import AttentionItem
from koers.workspace import kept_overview, selectors, tasks
from koers.workspace.models import KeptOverview
from tests.support.testing import make_full_record

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+')


def _page(client, person):
    response = client.get(reverse("workspace:person", args=[person.pk]))
    assert response.status_code == 200
    return response


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _rendered(response) -> bool:
    """Whether this view rendered the cards (the test client records every template rendered)."""
    return kept_overview.TEMPLATE in [template.name for template in response.templates]


def _masked(response) -> str:
    return CSRF.sub(r"\1TOKEN", response.content.decode())


def test_the_cards_are_rendered_once_then_kept_and_the_page_is_the_same(cast, login):
    make_full_record(cast.anna, professional=cast.noor)
    client = login(cast.noor)
    logged = AccessLogEntry.objects.filter(user=cast.noor, person=cast.anna, object_type="overview")
    first = _page(client, cast.anna)
    assert _rendered(first) and KeptOverview.objects.count() == 1
    second = _page(client, cast.anna)
    assert not _rendered(second)  # from the kept row
    assert _masked(first) == _masked(second)
    assert "Ik wil weer uitgerust wakker worden" in second.content.decode()
    assert logged.count() == 2  # every view is a read of the person's data, kept or not


def test_a_kept_view_reads_the_kept_row_once_and_writes_nothing_to_it(cast, login):
    make_full_record(cast.anna, professional=cast.noor)
    client = login(cast.noor)
    _page(client, cast.anna)
    with CaptureQueriesContext(connection) as view:
        _page(client, cast.anna)
    touching = [q["sql"] for q in view.captured_queries if "keptoverview" in q["sql"].lower()]
    assert len(touching) == 1 and "SELECT" in touching[0].upper() and "INSERT" not in touching[0].upper()


def test_rendering_the_cards_reads_nothing_beyond_the_rows_in_the_digest(cast):
    """Everything the cards show must be in the rows read (and so in the digest): a lazy read of
    a related row while rendering would show a change the digest does not see."""
    make_full_record(cast.anna, professional=cast.noor)
    record = Goal.objects.get(person=cast.anna).decision
    record.chosen_option = record.options.get()
    record.save()
    Profile.objects.update_or_create(person=cast.anna, defaults={"what_matters": "Mijn kleinkinderen"})
    person = type(cast.anna).objects.select_related("profile").get(pk=cast.anna.pk)
    parts = selectors.person_overview(person, categories=set(access.Category))
    with CaptureQueriesContext(connection) as rendering:
        html = render_to_string(kept_overview.TEMPLATE, {"person": person, **parts})
    assert rendering.captured_queries == []
    assert "Slaaptraining" in html and "Mijn kleinkinderen" in html and "Slecht slapen" in html


def _change_goal(cast):
    Goal.objects.filter(person=cast.anna).update(description="Weer elke dag fietsen")
    return "Weer elke dag fietsen"


def _change_action(cast):
    Action.objects.filter(person=cast.anna).update(what="Elke ochtend wandelen")
    return "Elke ochtend wandelen"


def _choose_option(cast):
    decision = SharedDecision.objects.get(person=cast.anna)
    decision.chosen_option = decision.options.get()
    decision.save()
    decision.options.update(title="Slaaptraining in de groep")
    return "Slaaptraining in de groep"


def _change_agenda(cast):
    AgendaItem.objects.filter(person=cast.anna).update(title="Te veel piekeren")
    return "Te veel piekeren"


def _change_consult(cast):
    Consult.objects.filter(person=cast.anna).update(planned_minutes=45)
    return "45 minuten"


def _change_preparation(cast):
    Preparation.objects.filter(person=cast.anna).update(status=Preparation.Status.SUBMITTED)
    return str(Preparation.Status.SUBMITTED.label)


def _add_condition(cast):
    Condition.objects.create(person=cast.anna, display="Depressie")
    return "Depressie"


def _change_support_level(cast):
    SupportLevelDecision.objects.filter(person=cast.anna).update(agreed_with_person=False)
    return "nog niet samen besproken"


def _rename_professional(cast):
    User.objects.filter(pk=cast.noor.pk).update(last_name="Bakker-de Vries")
    return "Bakker-de Vries"


def _rename_organisation(cast):
    Organisation.objects.filter(pk=cast.noor.organisation_id).update(name="Gezondheidscentrum De Linde")
    return "Gezondheidscentrum De Linde"


def _change_what_matters(cast):
    Profile.objects.update_or_create(person=cast.anna, defaults={"what_matters": "Mijn kleinkinderen zien"})
    return "Mijn kleinkinderen zien"


def _handle_worrying_result(cast):
    AttentionItem.objects.filter(person=cast.anna).update(handled_at=timezone.now())
    return "1 vragenlijst klaargezet"


CHANGES = [
    _change_goal,
    _change_action,
    _choose_option,
    _change_agenda,
    _change_consult,
    _change_preparation,
    _add_condition,
    _change_support_level,
    _rename_professional,
    _rename_organisation,
    _change_what_matters,
    _handle_worrying_result,
]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__.lstrip("_") for change in CHANGES])
def test_a_change_to_anything_shown_is_on_the_next_view(cast, login, change):
    make_full_record(cast.anna, professional=cast.noor)
    SupportLevelDecision.objects.filter(person=cast.anna).update(agreed_with_person=True)
    client = login(cast.noor)
    _page(client, cast.anna)
    old = KeptOverview.objects.get()
    assert not _rendered(_page(client, cast.anna))  # kept, before the change
    expected = change(cast)
    assert expected not in old.html
    after = _page(client, cast.anna)
    assert _rendered(after) and expected in after.content.decode()
    row = KeptOverview.objects.get()  # replaced, not added
    assert row.pk == old.pk and row.digest != old.digest and expected in row.html


def test_only_html_of_exactly_these_rows_and_this_release_is_used(cast, login, monkeypatch):
    make_full_record(cast.anna, professional=cast.noor)
    client = login(cast.noor)
    _page(client, cast.anna)
    row = KeptOverview.objects.get()
    # Under its own digest the kept HTML is what the page shows …
    KeptOverview.objects.filter(pk=row.pk).update(html='<section aria-labelledby="h-kept">KEPT</section>')
    assert "KEPT" in _page(client, cast.anna).content.decode()
    # … and under any other digest (other rows, another release) it is not.
    monkeypatch.setattr(release, "digest", lambda: "another release")
    body = _page(client, cast.anna).content.decode()
    assert "KEPT" not in body and "Ik wil weer uitgerust wakker worden" in body
    assert KeptOverview.objects.get().digest != row.digest


def test_a_reader_never_gets_a_part_they_may_not_see_from_a_kept_row(cast, login):
    """Noor's kept cards show the conditions; Gert, from whom Anna withdrew her clinical data,
    gets cards of his own variant, without them, however often either looks."""
    make_full_record(cast.anna, professional=cast.noor)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic=Topic.CLINICAL, granted=False)
    noor, gert = _client(cast.noor), _client(cast.gert)
    for _ in range(2):
        assert "Diabetes mellitus type 2" in _page(noor, cast.anna).content.decode()
        assert "Diabetes mellitus type 2" not in _page(gert, cast.anna).content.decode()
    variants = dict(KeptOverview.objects.values_list("variant", "html"))
    assert len(variants) == 2
    assert all(variant.startswith("nl|") for variant in variants)


def test_each_language_has_its_own_kept_cards(cast, login):
    make_full_record(cast.anna, professional=cast.noor)
    client = login(cast.noor)
    dutch = _page(client, cast.anna).content.decode()
    cast.noor.preferred_language = "en"
    cast.noor.save()
    english = _page(login(cast.noor), cast.anna).content.decode()
    assert "Doelen" in dutch and "Doelen" not in english
    assert sorted(KeptOverview.objects.values_list("variant", flat=True)) == ["en|", "nl|"]
    with translation.override("en"):
        assert kept_overview.variant(set(access.Category)) == "en|"


def test_when_keeping_fails_the_page_is_still_shown_and_logged(cast, login, monkeypatch, caplog):
    make_full_record(cast.anna, professional=cast.noor)
    monkeypatch.setattr(
        kept_html, "upsert_sql", lambda model, names, quote: "INSERT INTO no_such_table VALUES (%s, %s, %s, %s, %s)"
    )
    client = login(cast.noor)
    before = AccessLogEntry.objects.count()
    body = _page(client, cast.anna).content.decode()
    assert "Ik wil weer uitgerust wakker worden" in body
    assert not KeptOverview.objects.exists()
    assert AccessLogEntry.objects.count() == before + 1  # the page's read, after the failed keep
    assert "was not kept" in caplog.text


def test_nothing_is_kept_under_debug(cast, login, settings):
    make_full_record(cast.anna, professional=cast.noor)
    settings.DEBUG = True
    _page(login(cast.noor), cast.anna)
    assert not KeptOverview.objects.exists()


def test_the_nightly_task_removes_cards_rendered_more_than_30_days_ago(cast, login):
    make_full_record(cast.anna, professional=cast.noor)
    make_full_record(cast.bas, professional=cast.noor)
    client = login(cast.noor)
    _page(client, cast.anna)
    _page(client, cast.bas)
    old = KeptOverview.objects.get(person=cast.anna)
    KeptOverview.objects.filter(pk=old.pk).update(rendered_at=old.rendered_at - dt.timedelta(days=31))
    assert tasks.kept_overviews_prune.call() == 1
    assert list(KeptOverview.objects.values_list("person_id", flat=True)) == [cast.bas.pk]
    assert _rendered(_page(client, cast.anna))  # rendered again


def test_the_task_is_registered_nightly():
    from koers.notifications import periodic, sources

    entry = next(entry for entry in sources.periodic() if entry.name == "workspace.kept_overviews_prune")
    assert entry.task is tasks.kept_overviews_prune and entry.daily_at == periodic.NIGHTLY
