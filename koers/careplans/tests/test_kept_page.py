"""The care plan page's plan part, kept as HTML per content (``koers.careplans.kept_page``, issue #18).

What must hold: the page is the same HTML as when ``_plan.html`` was included on every request;
a kept page is shown only for exactly the plan, language, reader's sections and release it was
rendered from (never an older plan, never a section the reader may not read); its forms carry the
reader's own CSRF token and work; and when keeping fails the page is still shown.
"""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.template import RequestContext
from django.template.loader import get_template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from koers.access import Topic
from koers.accounts.models import User
from koers.audit.models import AccessLogEntry
from koers.careplans import kept, kept_page, services, views
from koers.careplans.models import FollowUpAgreement, KeptPlanPage
from koers.crisisplans import services as crisis_services
from koers.lib import kept_html, release
from koers.network.services import care_team_assign, consent_set
from tests.support.testing import make_user

from .conftest import add_action, add_decision, add_goal, record

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+')
PLAN_PART = re.compile(r'<section aria-labelledby="h-matters">.*</section>', re.DOTALL)
NOOR = "06 12345678"
EMPTY = {"signs": [], "triggers": [], "self_care": [], "others_do": [], "others_avoid": [], "contacts": []}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


def _address(person):
    return reverse("careplans:plan", args=[person.pk])


def _part(html: str) -> str:
    """The plan part of a page (from "what matters" to the last section), tokens masked."""
    return CSRF.sub(r"\1TOKEN", PLAN_PART.search(html).group(0))


def _client(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def _full_plan(cast):
    goal = add_goal(cast.anna, cast.noor, why_it_matters="Voor mijn kleinkinderen", target_date=dt.date(2027, 3, 1))
    add_action(goal, cast.noor, what="Elke dag fietsen", responsible="person", when="na het eten")
    add_action(goal, cast.noor, what="Fietsschema maken", responsible="professional", responsible_name="Noor")
    add_decision(cast.anna, cast.noor)
    services.follow_up_create(actor=cast.noor, person=cast.anna, what="Bloeddruk <meten>", who="Noor", method="consult")
    crisis_services.crisis_plan_phase_update(
        actor=cast.anna_user,
        person=cast.anna,
        phase="early_signs",
        **{
            **EMPTY,
            "signs": ["Slecht slapen"],
            "contacts": [{"name": "Noor", "relation": "poh", "phone": "06 12345678"}],
        },
    )
    return record(cast.anna, cast.noor)


def _included(cast, user, language: str) -> str:
    """The plan part as the page rendered it before: ``_plan.html`` included in the page's context."""
    request = RequestFactory().get(_address(cast.anna))
    request.user = user
    with translation.override(language):
        context = views._current_context(cast.anna, user)
        template = get_template("careplans/_plan.html").template
        return template.render(RequestContext(request, {**context, "live": True}))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_page_is_the_html_the_include_gave_first_rendered_and_then_kept(cast, language):
    _full_plan(cast)
    cast.noor.preferred_language = language
    cast.noor.save()
    client = _client(cast.noor)
    rendered = client.get(_address(cast.anna)).content.decode()  # nothing kept yet: rendered and kept
    assert KeptPlanPage.objects.count() == 1
    kept = client.get(_address(cast.anna)).content.decode()
    assert _part(rendered) == _part(kept) == _part(_included(cast, cast.noor, language))
    assert "Bloeddruk &lt;meten&gt;" in kept and "Slecht slapen" in kept  # escaped; every section there
    assert kept_page._MARK not in kept


def test_a_kept_page_is_only_read_on_the_next_view(cast):
    """One SELECT of the kept page (in the page's round trip on PostgreSQL), no write."""
    _full_plan(cast)
    client = _client(cast.noor)
    client.get(_address(cast.anna))
    with CaptureQueriesContext(connection) as first_view_after:
        client.get(_address(cast.anna))
    touching = [q["sql"] for q in first_view_after.captured_queries if "keptplanpage" in q["sql"].lower()]
    assert len(touching) == 1 and touching[0].lstrip().upper().startswith("SELECT")


def test_a_changed_plan_is_never_shown_from_an_older_kept_page(cast):
    _full_plan(cast)
    client = _client(cast.noor)
    client.get(_address(cast.anna))
    old_digest = KeptPlanPage.objects.get().digest
    add_goal(cast.anna, cast.noor, description="Weer zelf boodschappen doen")
    record(cast.anna, cast.noor)
    assert "Weer zelf boodschappen doen" in client.get(_address(cast.anna)).content.decode()
    row = KeptPlanPage.objects.get()  # replaced, not added
    assert row.digest != old_digest and "Weer zelf boodschappen doen" in row.html
    # A write that sends no model signals (the kept snapshot is then forgotten only by
    # ``kept.rows_written``): the page shows the plan it builds, never the older kept HTML.
    FollowUpAgreement.objects.filter(person=cast.anna).update(what="Gewicht wegen")
    kept.rows_written([cast.anna.pk])
    html = client.get(_address(cast.anna)).content.decode()
    assert "Gewicht wegen" in html and "Bloeddruk" not in html


def test_only_html_of_exactly_this_plan_and_release_is_used(cast, monkeypatch):
    _full_plan(cast)
    client = _client(cast.noor)
    client.get(_address(cast.anna))
    row = KeptPlanPage.objects.get()
    # The row is what the page shows: HTML under the right digest is used as it is …
    KeptPlanPage.objects.filter(pk=row.pk).update(html='<section aria-labelledby="h-matters">KEPT</section>')
    assert "KEPT" in client.get(_address(cast.anna)).content.decode()
    # … and under any other digest (another plan, language, reader or release) it is not.
    monkeypatch.setattr(release, "digest", lambda: "another release")
    html = client.get(_address(cast.anna)).content.decode()
    assert "KEPT" not in html and "Elke dag fietsen" in html
    assert KeptPlanPage.objects.get().digest != row.digest


def test_a_reader_who_may_not_read_the_crisis_plan_never_gets_a_page_kept_for_one_who_may(cast):
    _full_plan(cast)
    peer = make_user("jeroen", organisation=cast.gp_practice, discipline=User.Discipline.PEER_EXPERT)
    care_team_assign(actor=cast.noor, person=cast.anna, professional=peer)
    consent_set(actor=cast.anna_user, person=cast.anna, member=peer, topic=Topic.CRISIS_PLAN, granted=False)
    assert "Slecht slapen" in _client(cast.noor).get(_address(cast.anna)).content.decode()
    peer_client = _client(peer)
    for _view in range(2):  # rendered, then kept
        html = peer_client.get(_address(cast.anna)).content.decode()
        assert "Slecht slapen" not in html and "tel:0612345678" not in html and "Elke dag fietsen" in html
    variants = sorted(KeptPlanPage.objects.values_list("variant", flat=True))
    assert variants[0] == "nl|" and "crisis_plan" in variants[1].split("|")[1].split(",")


def test_the_kept_forms_carry_the_readers_own_token_and_work(cast):
    _full_plan(cast)
    agreement = FollowUpAgreement.objects.get(person=cast.anna)
    _client(cast.noor).get(_address(cast.anna))
    client = _client(cast.noor, enforce_csrf_checks=True)
    html = client.get(_address(cast.anna)).content.decode()
    end = reverse("careplans:follow_up_end", args=[cast.anna.pk, agreement.pk])
    form = re.search(rf'action="{re.escape(end)}".*?name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', html, re.DOTALL)
    assert form is not None
    token = form.group(1)
    # Without a token the end form is refused; with the page's it reaches the confirmation step.
    assert client.post(end).status_code == 403
    assert client.post(end, {"csrfmiddlewaretoken": token}).status_code in (200, 302)


def test_when_keeping_fails_the_page_is_still_shown_and_logged(cast, monkeypatch, caplog):
    _full_plan(cast)
    monkeypatch.setattr(
        kept_html, "upsert_sql", lambda model, names, quote: "INSERT INTO no_such_table VALUES (%s, %s, %s, %s, %s)"
    )

    client = _client(cast.noor)
    before = AccessLogEntry.objects.count()
    response = client.get(_address(cast.anna))
    assert response.status_code == 200 and "Elke dag fietsen" in response.content.decode()
    assert not KeptPlanPage.objects.exists()
    assert AccessLogEntry.objects.count() == before + 1  # the page's read, after the failed keep
    assert "was not kept" in caplog.text


def test_a_person_without_a_plan_row_gets_the_page_without_keeping(cast):
    response = _client(cast.noor).get(_address(cast.anna))
    assert response.status_code == 200
    assert not KeptPlanPage.objects.exists()


def test_nothing_is_kept_under_debug(cast, settings):
    _full_plan(cast)
    settings.DEBUG = True
    assert _client(cast.noor).get(_address(cast.anna)).status_code == 200
    assert not KeptPlanPage.objects.exists()


def test_the_nightly_repair_removes_pages_rendered_more_than_30_days_ago(cast):
    _full_plan(cast)
    _client(cast.noor).get(_address(cast.anna))
    peer = make_user("jeroen", organisation=cast.gp_practice, discipline=User.Discipline.PEER_EXPERT)
    care_team_assign(actor=cast.noor, person=cast.anna, professional=peer)
    _client(peer).get(_address(cast.anna))
    old, fresh = KeptPlanPage.objects.order_by("pk")
    KeptPlanPage.objects.filter(pk=old.pk).update(rendered_at=old.rendered_at - dt.timedelta(days=31))
    out = StringIO()
    call_command("careplan_current", "repair", stdout=out)
    assert list(KeptPlanPage.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert "removed: 1 kept care plan pages" in out.getvalue()
    assert "Elke dag fietsen" in _client(cast.noor).get(_address(cast.anna)).content.decode()  # rendered again
