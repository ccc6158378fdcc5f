"""No action that ends, removes or stops care data happens in one click (issue #14, "Safety").

The rule (docs/conventions.md, "No irreversible one-click actions"): such an action asks first
(``koers.lib.confirm``) or offers "ongedaan maken". This guard cannot be bypassed by adding code:

1. Every URL whose name or path says it ends, removes or stops something (remove, delete, end,
   stop, cancel, withdraw, … and the Dutch words in the paths) is in the confirm registry (the
   view is marked ``@confirm.asks_first``) or in ``ALLOWED`` below, with the reason. A new
   ``…_remove`` view that forgets to ask fails here.
2. Every POST form in a template with a button styled as dangerous (class "danger") is the
   confirmation page itself or posts to such a marked or allowed view — this catches endings
   under an ordinary name (a status form, a ``remove`` field posted to the page itself).
3. The mark is not taken on trust: every marked view is posted to, as the person's own
   professional (or the person, on the portal), *without* the confirmation page's answer — the
   old one-click form — and must show the question and write nothing.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from koers.audit.models import AccessLogEntry
from koers.monitoring.models import Phase
from koers.network.invitations import invitation_create
from koers.network.models import CareTeamMember
from koers.population.models import Cohort
from tests.support.testing import make_full_record
from tests.test_url_access import all_views

# Words in a URL's name (split at "_" and "-") or path (split at "/" and "-") that end, remove or stop.
ENDING_NAME_WORDS = frozenset(
    {"remove", "delete", "end", "stop", "cancel", "withdraw", "resolve", "revoke", "retire", "discard", "clear"}
)
ENDING_PATH = re.compile(
    r"^(verwijder\w*|weghal\w*|stop\w*|gestopt|beeindig\w*|intrek\w*|vervallen|afzeg\w*|over|wis\w*)$"
)

# Ending actions that do not ask first, each with the reason. Keep it short and honest.
ALLOWED = {
    # Undo offered: the item is kept for 15 minutes with "Ongedaan maken" on the page
    # (koers.consults.services.agenda_item_restore); a question each time would be in the way.
    "consults:item_remove": "undo: agenda item kept 15 minutes, 'Ongedaan maken' on the consult page",
    "consults:portal_item_remove": "undo: the person's 'Van de agenda halen' offers 'Ongedaan maken'",
    # Its own page with a required reason: the form is the question, and nothing happens
    # without the reason typed in (a one-click form cannot do it).
    "decisions:withdraw": "own page; a reason must be typed first (WithdrawForm), so never one click",
    # Emergency access (issue #12): ending it early takes the professional's own read access away,
    # changes no care data and loses nothing, and a question first would keep a record open longer.
    "workspace:emergency_end": "ends one's own emergency read access early; no care data changes",
    # OAuth2 token revocation (RFC 7009, issue #15): an endpoint an app calls with its own token,
    # not a page or a form; it ends that app's access, changes no care data, and the user can
    # connect the app again on the authorize page. A question first has no one to ask.
    "oauth2_provider:revoke-token": "RFC 7009 endpoint an app calls for its own token; no page, no care data",
    # Social-map opening times and contacts (issue #16): not care data; the GET is a question page
    # and only a POST with the answer removes (socialmap.views_maintain._confirm; checked in
    # koers/socialmap/tests/test_maintenance.py). The marked-view walk builds a person's record only.
    "socialmap:schedule_delete": "asks first on its own page (views_maintain._confirm); social-map data, no care data",
    "socialmap:contact_delete": "asks first on its own page (views_maintain._confirm); social-map data, no care data",
}


def _ending(name: str, route: str) -> bool:
    short = name.split(":")[-1]
    if ENDING_NAME_WORDS & set(re.split(r"[_-]", short)):
        return True
    return any(ENDING_PATH.match(part) for part in re.split(r"[/-]", route) if part and "<" not in part)


def test_every_ending_action_asks_first_or_is_allowed_with_a_reason():
    found, unguarded = set(), []
    for name, pattern, callback in all_views():
        if not _ending(name, str(pattern.pattern)):
            continue
        found.add(name)
        if not getattr(callback, "koers_asks_first", False) and name not in ALLOWED:
            unguarded.append(name)
    assert unguarded == [], (
        f"These URLs end, remove or stop something in one click: {unguarded}. Ask first "
        "(koers.lib.confirm, mark the view @confirm.asks_first) or offer undo and add it to ALLOWED with the reason."
    )
    assert set(ALLOWED) <= found, (
        f"ALLOWED names URLs that no longer exist or no longer end anything: {set(ALLOWED) - found}"
    )
    # The words catch what they must (a regression here would silently let everything through).
    for expected in ("people:condition_remove", "people:medication_stop", "followup:portal_calendar_stop"):
        assert expected in found


def test_the_ending_words_are_not_fooled_by_ordinary_names():
    assert _ending("people:condition_resolve", "personen/<int:person_id>/profiel/aandoeningen/<int:condition_id>/over/")
    assert _ending("x:whatever", "mijn/agenda/stoppen/")
    assert _ending("x:thing_delete", "a/")
    assert _ending("oauth2_provider:revoke-token", "revoke_token/")  # DOT names with hyphens
    assert not _ending("goals:detail", "personen/<int:person_id>/doelen/<int:goal_id>/")
    assert not _ending("people:support_level", "personen/<int:person_id>/profiel/ondersteuning/")


def _invitation_of(actor, person) -> int:
    invitation, _secret = invitation_create(
        actor=actor, person=person, kind="relative", delivery="code", relationship="zus", consent_given=True
    )
    return invitation.pk


def _extra_post(name, cast):
    """The fields a marked view needs to know *what* to end (what its buttons post), minus the answer."""
    person = cast.anna
    extra = {
        "monitoring:target": lambda: {"remove": "1"},
        "monitoring:phases": lambda: {"remove": Phase.objects.filter(person=person).first().pk},
        "goals:status": lambda: {"lifecycle_status": "cancelled"},
        "consults:status": lambda: {"status": "cancelled"},
        "network:care_team": lambda: {
            "do": "end",
            "membership": CareTeamMember.objects.get(person=person, professional=cast.gert, ended_at__isnull=True).pk,
        },
        # The network page asks before handing over the coordinator role and before revoking.
        "network:network": lambda: {
            "do": "hand_over",
            "ho-to": CareTeamMember.objects.get(person=person, professional=cast.gert, ended_at__isnull=True).pk,
            "ho-note": "Loopt: slaap en werk.",  # the hand-over note is required (issue #13)
        },
        "network:portal_network": lambda: {"do": "revoke", "invitation": _invitation_of(cast.anna_user, person)},
    }
    return extra[name]() if name in extra else {}


def _url(name, pattern, record):
    kwargs = {}
    for key in pattern.pattern.regex.groupindex:
        assert key in record, f"URL {name} takes <{key}>: add it to make_full_record()"
        kwargs[key] = record[key].number if key == "number" else record[key].pk
    return reverse(name, kwargs=kwargs)


def _writes():
    return AccessLogEntry.objects.filter(outcome="success").exclude(action="R").count()


@pytest.mark.django_db
def test_every_marked_view_asks_and_writes_nothing_without_the_answer(cast, client):
    record = make_full_record(cast.anna, professional=cast.noor)
    # A saved cohort of the population view (a filter, no care data) is its manager's own.
    record["cohort_id"] = Cohort.objects.create(name="Allen", owner=cast.mia, organisation=cast.gp_practice)
    marked = [(n, p, c) for n, p, c in all_views() if getattr(c, "koers_asks_first", False)]
    assert len(marked) >= 10, "the registry lost its entries"
    for name, pattern, callback in marked:
        scope = callback.koers_access["scope"]
        client.force_login({"portal": cast.anna_user, "aggregate": cast.mia}.get(scope, cast.noor))
        extra = _extra_post(name, cast)  # first: it may set up what the button ends (an invitation)
        before = _writes()
        response = client.post(_url(name, pattern, record), extra)
        body = response.content.decode()
        assert response.status_code == 200, f"{name}: a POST without the answer gave {response.status_code}"
        assert 'name="bevestigd" value="ja"' in body, f"{name}: a POST without the answer did not ask"
        assert _writes() == before, f"{name}: a POST without the answer wrote something"


# POST forms with a "danger" button whose action is not written as {% url '…' %} in the form
# tag: the URL they post to, by template (relative to the app's templates/ folder).
TEMPLATE_ACTIONS = {
    "consults/detail.html": "consults:item_remove",  # formaction="{{ remove_url }}"
    "decisions/form.html": "decisions:withdraw",  # the shared decision form, danger=True on withdraw
    "monitoring/phases.html": "monitoring:phases",  # posts remove=<phase> to its own page
    "monitoring/target.html": "monitoring:target",  # posts remove=1 to its own page
}
POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", re.S | re.I)
DANGER_BUTTON = re.compile(r"<button[^>]*class=\"[^\"]*\bdanger\b", re.I)
URL_ACTION = re.compile(r"action=\"\{% url '([^']+)'")


def test_every_danger_button_posts_to_an_action_that_asks_first():
    """The other way round: a button styled as dangerous (class "danger") in a POST form is the
    confirmation page itself (it posts the answer) or posts to a marked or allowed view."""
    from pathlib import Path

    views = {name: callback for name, _pattern, callback in all_views()}
    root = Path(__file__).resolve().parents[1] / "koers"
    problems, seen = [], set()
    for path in sorted(root.rglob("templates/**/*.html")):
        relative = path.as_posix().split("/templates/", 1)[1]
        for form in POST_FORM.findall(path.read_text(encoding="utf-8")):
            if not DANGER_BUTTON.search(form) or "bevestigd" in form or "confirm_field" in form:
                continue
            action = URL_ACTION.search(form)
            name = action.group(1) if action else TEMPLATE_ACTIONS.get(relative)
            seen.add(relative)
            if name is None:
                problems.append(f"{relative}: a danger button posts somewhere unknown; add it to TEMPLATE_ACTIONS")
            elif name not in ALLOWED and not getattr(views.get(name), "koers_asks_first", False):
                problems.append(f"{relative}: a danger button posts to {name}, which does not ask first")
    assert problems == [], "\n".join(problems)
    assert set(TEMPLATE_ACTIONS) <= seen, f"stale TEMPLATE_ACTIONS entries: {set(TEMPLATE_ACTIONS) - seen}"
