"""The access matrix on the other access paths (issue #12): notification texts and the unread
count, htmx partials, print and PDF downloads, the calendar feed and the person's export.

The pages themselves are walked by ``tests/test_access_matrix.py`` (GET) and
``tests/test_access_matrix_writes.py`` (POST); this module checks that the paths that show the
same data another way answer the same: a withdrawn topic is gone on the next request, and
everyone but the person gets the missing-record answer.
"""

from __future__ import annotations

import datetime as dt
import inspect
import sys

import pytest
from django.urls import reverse
from django.utils import timezone

from koers import access
from koers.access.policy import Category
from koers.audit.models import AccessLogEntry
from koers.network.models import CareTeamMember, RelativeLink
from koers.network.services import consent_set
from koers.notifications import delivery, selectors
from koers.notifications.models import Delivery, Notification, Reason
from tests.test_access_matrix import OBJECT_RULES, Consent, _expected, network  # noqa: F401  (a fixture)
from tests.test_post_access import _kwargs, accepted_methods, missing_page, signed_in, write_targets
from tests.test_url_access import all_views

pytestmark = pytest.mark.django_db


# --- notification texts and the unread count ---------------------------------------------------


def _notify(recipient, person, reason: str, *, read: bool = False) -> Notification:
    """A notification delivered before anything changed (as the outbox leaves it)."""
    now = timezone.now()
    row = Delivery.objects.create(
        recipient=recipient,
        person=person,
        channel="in_app",
        reason=reason,
        subject_type="test.Subject",
        subject_id=Delivery.objects.count() + 1,
        due_at=now,
        send_after=now,
        created_at=now,
        state=Delivery.State.SENT,
        sent_at=now,
    )
    return Notification.objects.create(
        recipient=recipient,
        person=person,
        delivery=row,
        reason=reason,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        due_at=now,
        created_at=now,
        read_at=now if read else None,
    )


@pytest.fixture
def pieter_in_network(cast):
    """Pieter (GGZ, another organisation) in Anna's network, with a questionnaire alarm and a
    monitoring signal about her in his inbox, both unread."""
    CareTeamMember.objects.create(
        person=cast.anna,
        professional=cast.pieter,
        organisation=cast.ggz,
        assigned_by=cast.noor,
        started_at=timezone.now(),
    )
    _notify(cast.pieter, cast.anna, Reason.ALARMING_RESULT)
    _notify(cast.pieter, cast.anna, Reason.MONITORING_SIGNAL)
    return cast.pieter


def test_a_withdrawn_topic_leaves_the_inbox_and_the_unread_count(cast, pieter_in_network, client):
    """The count (badge, digest email) says what the inbox shows: a message about a topic the
    person withdrew is neither listed nor counted, on the very next request."""
    pieter = pieter_in_network
    assert selectors.unread_count(pieter) == 2
    consent_set(actor=cast.anna_user, person=cast.anna, member=pieter, topic=access.Topic.QUESTIONNAIRES, granted=False)
    assert {n.reason for n in selectors.inbox_for_professional(pieter)} == {Reason.MONITORING_SIGNAL}
    assert selectors.unread_count(pieter) == 1
    client.force_login(pieter)
    page = client.get("/berichten/").content.decode()
    assert page.count('class="notification unread"') == 1


def test_leaving_the_network_empties_the_count(cast, pieter_in_network):
    CareTeamMember.objects.filter(person=cast.anna, professional=pieter_in_network).update(ended_at=timezone.now())
    assert list(selectors.inbox_for_professional(pieter_in_network)) == []
    assert selectors.unread_count(pieter_in_network) == 0


def test_read_messages_are_not_counted_and_the_persons_count_is_their_own(cast, pieter_in_network):
    _notify(pieter_in_network, cast.anna, Reason.MONITORING_SIGNAL, read=True)
    assert selectors.unread_count(pieter_in_network) == 2
    _notify(cast.anna_user, cast.anna, Reason.ACTION_DUE)
    # Whatever Anna decides about her network, her own messages are hers.
    consent_set(
        actor=cast.anna_user, person=cast.anna, member=pieter_in_network, topic=access.Topic.GOALS, granted=False
    )
    assert selectors.unread_count(cast.anna_user) == 1 == len(selectors.inbox_for_person(cast.anna_user, cast.anna))


def test_a_relative_counts_nothing_but_what_their_inbox_may_show_even_with_consent(cast):
    """A relative never reads a person's notifications (the table gives them none), so a reminder
    about the person that got there anyway is not counted; only messages whose source's category
    they may read alone (an invitation, ``category_alone``) are in their inbox (issue #13)."""
    for topic in access.MEMBER_TOPICS:
        consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=topic, granted=True)
    _notify(cast.rob, cast.anna, Reason.ACTION_DUE)
    assert selectors.unread_count(cast.rob) == 0
    assert list(selectors.inbox_for_relative(cast.rob)) == []


def test_a_relatives_inbox_and_count_follow_the_link_and_each_read_is_logged(cast, client):
    """The relative's inbox (issue #13): a meeting message is listed and counted while the person
    names them; each look leaves one READ row per person shown; once the link ends the message is
    gone from the page and the count on the very next request, with nothing logged about Anna."""
    _notify(cast.rob, cast.anna, Reason.MEETING_INVITED)  # nothing shared: the invitation opens it
    assert selectors.unread_count(cast.rob) == 1
    client.force_login(cast.rob)
    rows = AccessLogEntry.objects.filter(
        user=cast.rob, person=cast.anna, outcome="success", object_type="notifications"
    )
    page = client.get(reverse("notifications:relative_inbox")).content.decode()
    assert page.count('class="notification unread"') == 1 and rows.count() == 1
    RelativeLink.objects.filter(person=cast.anna, user=cast.rob).update(ended_at=timezone.now())
    assert selectors.unread_count(cast.rob) == 0
    page = client.get(reverse("notifications:relative_inbox")).content.decode()
    assert 'class="notification' not in page and rows.count() == 1


def test_the_digest_email_counts_only_what_the_inbox_shows(cast, pieter_in_network, mailoutbox, settings):
    from koers.notifications.models import NotificationPreference

    pieter = pieter_in_network
    pieter.email = "pieter@example.org"
    pieter.save()
    NotificationPreference.objects.create(user=pieter, email=True, frequency=NotificationPreference.Frequency.DAILY)
    consent_set(actor=cast.anna_user, person=cast.anna, member=pieter, topic=access.Topic.QUESTIONNAIRES, granted=False)
    now = timezone.now()
    Delivery.objects.create(
        recipient=pieter,
        person=None,
        channel="email",
        reason=Reason.DIGEST,
        subject_type="",
        subject_id=0,
        due_at=now,
        send_after=now - dt.timedelta(minutes=1),
        created_at=now,
    )
    delivery.deliver_all(now=now)
    assert len(mailoutbox) == 1
    assert "Er staat 1 ongelezen bericht voor u klaar" in mailoutbox[0].body


# --- htmx partials -------------------------------------------------------------------------------


def _htmx_functions(module) -> set[str]:
    """The functions of a view module that answer an htmx request differently, and the functions
    that call them (to a fixed point): a view hands its partial to a helper more often than not."""
    functions = {n: f for n, f in vars(module).items() if inspect.isfunction(f) and f.__module__ == module.__name__}
    sources = {n: inspect.getsource(inspect.unwrap(f)) for n, f in functions.items()}
    found = {n for n, src in sources.items() if "request.htmx" in src or "HX-Request" in src}
    grown = True
    while grown:
        more = {n for n, src in sources.items() if n not in found and any(f"{h}(" in src for h in found)}
        found |= more
        grown = bool(more)
    return found


def htmx_views() -> list[tuple[str, object, object]]:
    """(name, pattern, view) of every view of a person, the portal or the lists that renders a
    partial for htmx: found in the code, so a new one is walked the day it is added."""
    found = []
    for name, pattern, view in all_views():
        if view.koers_access["scope"] not in ("person", "portal", "caseload"):
            continue
        inner = inspect.unwrap(view)
        if inner.__name__ in _htmx_functions(sys.modules[inner.__module__]):
            found.append((name, pattern, view))
    return found


def test_the_htmx_walk_finds_the_partials():
    names = {name for name, _pattern, _view in htmx_views()}
    # Not vacuous: the agenda, the preparation, a decision's answer, the caseload's search, the
    # progress card, the export's status.
    assert {"consults:item_add", "consults:portal_agenda", "workspace:caseload", "exports:portal_export"} <= names
    assert len(names) >= 15, names


def test_an_htmx_request_gets_the_decision_of_the_page(cast, network, monkeypatch):  # noqa: F811
    """Every view that renders a partial, asked by htmx (``HX-Request: true``) by every actor:
    a GET answers as the GET matrix says, a POST-only view as the write matrix says."""
    from tests.test_access_matrix import _check
    from tests.test_access_matrix_writes import Asked, _allowed_write, _data, _refused_write, expected_write, post_only

    record, actors = network
    views = htmx_views()
    writes = {name: (url, data) for name, _view, url, data in post_only(record, _data(cast, record))}
    asked = Asked(monkeypatch)
    problems, answered = [], 0
    for actor in actors:
        if actor.user is None or actor.key == "another person":  # both: tests/test_access_matrix.py
            continue
        client, token = signed_in(actor.user)
        client.defaults["HTTP_HX_REQUEST"] = "true"
        missing = missing_page(client, token, list(write_targets(record)))
        for name, pattern, view in views:
            scope = view.koers_access["scope"]
            url = reverse(name, kwargs=_kwargs(name, pattern, record))
            category = Category(view.koers_access["category"]) if view.koers_access.get("category") else None
            with Consent(cast, actor, category if scope == "person" else None):
                if name in writes:
                    url, data = writes[name]
                    if expected_write(actor, name, view):
                        problem = _allowed_write(client, token, actor, name, url, data, asked)
                    else:
                        problem, _status = _refused_write(client, token, actor, name, url, data, missing)
                else:
                    expected = _expected(actor, scope, category) and OBJECT_RULES.get(name, lambda _a: True)(actor)
                    person_id = cast.anna.pk if scope == "person" else None
                    problem, _status = _check(
                        client, actor, name, url, expected, logs_read=scope != "caseload", person_id=person_id
                    )
            answered += 1
            if problem:
                problems.append(f"(htmx) {problem}")
    assert problems == [], "\n".join(problems)
    assert answered >= 15 * len(views), answered


# --- print and PDF downloads, the person's export, the calendar feed -----------------------------

# Downloads (a PDF, a print page, the export's zip): found by their names, walked by the GET matrix
# with every actor; here a consent withdrawn between two downloads, and another person's ids.
DOWNLOAD_WORDS = ("pdf", "print", "zip")


def downloads() -> dict[str, str]:
    """{view name: scope} of every download of a person's data."""
    return {
        name: view.koers_access["scope"]
        for name, _pattern, view in all_views()
        if any(w in name.split(":")[-1] for w in DOWNLOAD_WORDS)
    }


def test_every_download_is_walked_by_the_matrix():
    from tests.test_access_matrix import WALKED_SCOPES

    found = downloads()
    assert {"careplans:portal_print", "screening:letter_pdf", "exports:portal_pdf", "exports:portal_zip"} <= set(found)
    assert all(scope in WALKED_SCOPES for scope in found.values()), found


def test_a_pdf_is_refused_on_the_request_after_the_withdrawal(cast, client):
    """The lab letter's PDF: shown to a network professional while the person shares measurements,
    the missing-record 404 (and a refused row) the very next request after she withdraws them."""
    from tests.support.testing import make_full_record

    record = make_full_record(cast.anna, professional=cast.noor)
    CareTeamMember.objects.create(
        person=cast.anna,
        professional=cast.pieter,
        organisation=cast.ggz,
        assigned_by=cast.noor,
        started_at=timezone.now(),
    )
    url = reverse("screening:letter_pdf", args=[cast.anna.pk, record["letter_id"].pk])
    client.force_login(cast.pieter)
    shown = client.get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf"
    consent_set(
        actor=cast.anna_user, person=cast.anna, member=cast.pieter, topic=access.Topic.MEASUREMENTS, granted=False
    )
    refused = AccessLogEntry.objects.filter(user=cast.pieter, outcome="refused").count()
    assert client.get(url).status_code == 404
    assert AccessLogEntry.objects.filter(user=cast.pieter, outcome="refused").count() == refused + 1


def test_the_export_is_the_persons_alone(cast, client):
    """The person's own export (its page, zip and PDF): another person asking with Anna's export id
    gets the missing-record answer and a refused row (the portal walk leaves them out, as they
    see their own record there); the others of the matrix get it from the GET walk."""
    from tests.support.testing import make_full_record

    record = make_full_record(cast.anna, professional=cast.noor)
    client.force_login(cast.bas_user)
    for name in ("exports:portal_zip", "exports:portal_pdf"):
        refused = AccessLogEntry.objects.filter(user=cast.bas_user, outcome="refused").count()
        assert client.get(reverse(name, args=[record["export_id"].pk])).status_code == 404, name
        assert AccessLogEntry.objects.filter(user=cast.bas_user, outcome="refused").count() == refused + 1
    for user in (cast.noor, cast.rob):  # the coordinator and a relative: no export of Anna at all
        client.force_login(user)
        assert client.get(reverse("exports:portal_export")).status_code == 404
        assert client.post(reverse("exports:portal_export")).status_code == 404


def test_the_calendar_feed_answers_for_the_person_alone(cast, client):
    """The calendar link (access path ``token``) stands for the person's account: it works while the
    link is live and the account active, with a success row for the person; a stopped link, a
    guessed one and a deactivated account answer like a missing one."""
    from koers.followup import services as followup

    _token, raw = followup.calendar_token_create(actor=cast.anna_user, person=cast.anna)
    url = reverse("followup:calendar_feed", kwargs={"token": raw})
    rows = AccessLogEntry.objects.filter(user=cast.anna_user, person=cast.anna, outcome="success")
    before = rows.count()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert rows.count() == before + 1
    assert client.get(reverse("followup:calendar_feed", kwargs={"token": raw[:-2] + "xx"})).status_code == 404
    cast.anna_user.is_active = False
    cast.anna_user.save()
    assert client.get(url).status_code == 404
    cast.anna_user.is_active = True
    cast.anna_user.save()
    followup.calendar_token_revoke(actor=cast.anna_user, person=cast.anna)
    assert client.get(url).status_code == 404


# --- coverage: every access path and every write has its walk -------------------------------------

# The access paths walked elsewhere than the GET matrix's page walk, and where.
PATHS_ELSEWHERE = {
    "token": "test_the_calendar_feed_answers_for_the_person_alone",
    "none": "pages without a person's data: tests/test_url_access.py (marked, no person_id)",
    "aggregate": "population view: tests/test_url_access.py, test_aggregate_pages_for_staff_of_their_unit_only",
    "api": "the FHIR API (/fhir/): koers/fhir/tests/test_api.py and test_api_access.py, per type and actor",
}

# The FHIR API's writes (scope "api"), each with the tests that walk its actors, scopes and refusals.
API_WRITES = {
    "fhir:base": "transaction/batch Bundles: koers/fhir/tests/test_transaction.py (refusal, scopes, CSRF, rollback)",
    "fhir:search": "create (POST Goal, Observation): koers/fhir/tests/test_api_writes.py (someone else's goal like a "
    "missing one, read tokens and sessions refused, through the services with their log rows)",
}


def test_every_access_path_has_a_walk():
    """A new access path (a scope of ``koers_access``) fails here until a walk covers it."""
    from koers.access import matrix
    from tests.test_access_matrix import WALKED_SCOPES

    scopes = {view.koers_access["scope"] for _name, _pattern, view in all_views()}
    assert scopes <= set(matrix.SCOPE_RELATIONSHIPS)
    assert set(matrix.SCOPE_RELATIONSHIPS) == set(WALKED_SCOPES) | set(PATHS_ELSEWHERE)
    assert callable(globals()[PATHS_ELSEWHERE["token"]])


# The aggregate path's writes touch no person's data: a saved cohort is a manager's filter. Each is
# walked for its owner and for another manager of the same organisation (404, nothing written).
COHORT_TESTS = "koers/population/tests/test_population.py::"
AGGREGATE_WRITES = {
    "population:cohorts": COHORT_TESTS + "test_a_cohort_is_saved_validated_changed_and_deleted_after_confirming",
    "population:cohort_edit": COHORT_TESTS + "test_someone_elses_cohort_answers_like_a_missing_one",
    "population:cohort_delete": COHORT_TESTS + "test_someone_elses_cohort_answers_like_a_missing_one",
}


def test_every_write_has_a_walk():
    """Every view that takes a POST about a person is walked: a POST-only view by the write
    matrix (per actor, from the table), a form that also answers GET by the GET matrix (the form's
    page) and by tests/test_post_access.py (every outsider's POST)."""
    from tests.test_access_matrix import WALKED_SCOPES
    from tests.test_access_matrix_writes import WRITES
    from tests.test_post_access import accepts_post

    for name, _pattern, view in all_views():
        scope = view.koers_access["scope"]
        if scope in ("none", "token") or not accepts_post(view):
            continue
        if scope == "api":
            assert name in API_WRITES, f"{name}: a FHIR API write without its walk in API_WRITES"
            continue
        if scope == "aggregate":
            assert name in AGGREGATE_WRITES, f"{name}: an aggregate-path write without its walk in AGGREGATE_WRITES"
            continue
        assert scope in WALKED_SCOPES, name
        if scope in ("person", "portal") and accepted_methods(view) == ["POST"]:
            assert name in WRITES, f"{name}: a POST-only view the write matrix does not cover"
