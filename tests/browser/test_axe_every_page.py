"""axe-core on every page of Koers that renders HTML, in real Chromium: desktop and a 390 px
phone, Dutch and English, 0 violations of WCAG 2.1 A/AA of any impact (issue #17); and on the
phone in Dutch what axe cannot check: reflow at 320 px and reduced motion.

The pages are not listed by hand: ``tests.support.pages.walk_pages`` walks the URL configuration
and finds every view that answers a full HTML document to the user it is for (care team, person,
relative with consent, manager, administrator, anonymous visitor). A view that is no page for
anyone and is not in ``EXEMPT`` with a reason fails the walk, so a new page cannot go unchecked.
Each combination of size and language is its own test, so xdist spreads them over its workers.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.support.pages import walk_pages, walk_users
from tests.support.testing import make_full_record
from tests.test_url_access import share_everything

from .conftest import DESKTOP, MOBILE
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser

# View → why it has no page of its own for the walk to check. Keep it short and true.
EXEMPT = {
    "accounts:two_factor": "shown only between the password and the second factor of a login; the walk's users are "
    "signed in already (the step itself is driven in test_browser_passkeys and test_browser_journeys)",
    "otp_webauthn:credential-registration-begin": "JSON for the passkey script, not a page",
    "otp_webauthn:credential-registration-complete": "JSON for the passkey script, not a page",
    "accounts:session_status": "JSON for the idle-timeout script (session.js), not a page; its dialog is checked "
    "open, in both states, in test_session_ending",
    "oauth2_provider:introspect": "OAuth token introspection for resource servers: JSON, not a page",
    "oidc:authenticate": "OpenID Connect is off unless configured; a redirect to the identity provider",
    "oidc:callback": "OpenID Connect is off unless configured; the identity provider's return, no page",
    "oidc:link": "OpenID Connect is off unless configured; a redirect to the identity provider",
    "favicon": "a redirect to the site's icon (an SVG image), not a page",
}
# What axe cannot check, once per page (on the phone in Dutch): reflow at 320 CSS px (WCAG 1.4.10:
# 1280 px at 400 % zoom) without a page that scrolls sideways, and no animation left running for a
# visitor who asked for reduced motion (WCAG 2.3.3).
REFLOW_AND_MOTION = ("phone", "nl")
REFLOW_WIDTH = 320
COMBINATIONS = [("desktop", "nl"), ("desktop", "en"), ("phone", "nl"), ("phone", "en")]


def _record(cast) -> dict:
    from koers.accounts.models import Team
    from koers.decisions.models import DecisionAid
    from koers.network.invitations import invitation_create
    from koers.network.models import Invitation
    from koers.population.models import Cohort
    from koers.socialmap.models import Contact, Location, Provider, Schedule, Service

    record = make_full_record(cast.anna, professional=cast.noor)
    share_everything(cast.anna, cast.rob)
    aid = DecisionAid.objects.create(
        organisation=cast.noor.organisation, name="Keuzehulp slapen", url="https://example.org/slapen",
        topic="Slapen", created_by=cast.mia,
    )  # fmt: skip
    # Links with a one-time secret: a real invitation's (its page asks who you are); the activation
    # and password-reset links show their page for any secret (and say when it is wrong).
    _invitation, secret = invitation_create(
        actor=cast.anna_user, person=cast.anna, kind=Invitation.Kind.RELATIVE, delivery=Invitation.Delivery.CODE,
        relationship="zus",
    )  # fmt: skip
    team = Team.objects.create(organisation=cast.noor.organisation, name="Team Zuid")
    cast.noor.team = team
    cast.noor.save(update_fields=["team"])
    cohort = Cohort.objects.create(name="Diabetes", owner=cast.mia, organisation=cast.mia.organisation, filters={})
    provider = Provider.objects.create(maintainer=cast.noor.organisation, name="Buurtcentrum De Linde")
    service = Service.objects.create(provider=provider, name="Wandelgroep", life_domains=["health"], is_group=True)
    location = Location.objects.create(
        provider=provider, name="Buurtcentrum", postal_code="3581 AB", postcode_area="3581"
    )
    service.locations.add(location)
    schedule = Schedule.objects.create(service=service, freq="WEEKLY", byday="TU", description="Elke dinsdag")
    contact = Contact.objects.create(service=service, name="Karin", phone="030 000 0101")
    return record | {
        "aid_id": aid, "account_id": cast.cor, "token": secret, "uidb64": "MQ",
        "team_id": team, "cohort_id": cohort, "fmt": "csv", "service_id": service,
        "provider_id": provider, "location_id": location, "schedule_id": schedule, "contact_id": contact,
    }  # fmt: skip


def _reflow_and_motion(tab) -> list[str]:
    problems = []
    if tab.evaluate("document.getAnimations().filter(a => a.playState === 'running').length"):
        problems.append("an animation runs although the visitor asked for reduced motion")
    tab.set_viewport_size({"width": REFLOW_WIDTH, "height": MOBILE["height"]})
    wide = tab.evaluate("document.documentElement.scrollWidth")
    if wide > REFLOW_WIDTH:
        culprits = tab.evaluate(
            """w => {
                 const clipped = e => { for (let p = e.parentElement; p; p = p.parentElement) {
                     if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true; }
                   return false; };
                 return [...document.querySelectorAll('body *')]
                   .filter(e => e.getBoundingClientRect().right > w + 1 && !clipped(e))
                   .slice(0, 4).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                                       + (e.className ? '.' + e.className : ''));
               }""",
            REFLOW_WIDTH,
        )
        problems.append(f"at {REFLOW_WIDTH} px the page is {wide} px wide (scrolls sideways): {culprits}")
    tab.set_viewport_size(MOBILE)
    return problems


@pytest.fixture
def every_page(cast):
    users = walk_users(cast)
    walk = walk_pages(users, _record(cast), EXEMPT)
    assert walk.uncovered == {}, (
        "views that are no page for anyone: give make_full_record what they need, or add them to EXEMPT "
        f"with the reason: {walk.uncovered}"
    )
    assert len(walk.pages) >= 190, f"only {len(walk.pages)} pages found: the walk lost its way"
    return walk.pages, users


@pytest.mark.parametrize(("size", "language"), COMBINATIONS)
def test_every_page_has_no_accessibility_violations(
    every_page, live_server, new_page, log_in, problems, size, language
):
    pages, users = every_page
    viewport = {"desktop": DESKTOP, "phone": MOBILE}[size]
    sessions = {}
    violations: list[str] = []
    for page_info in pages:
        if page_info.user not in sessions:
            tab = new_page(viewport)
            if (size, language) == REFLOW_AND_MOTION:
                tab.emulate_media(reduced_motion="reduce")
            user = users[page_info.user]
            if user is not None:
                log_in(tab, user.username)
            tab.context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
            )
            sessions[page_info.user] = tab
        tab = sessions[page_info.user]
        tab.goto(page_info.url)
        assert tab.evaluate("document.documentElement.lang") == language, f"{page_info.name} is not in {language}"
        violations += [f"[{page_info.name} as {page_info.user}] {v}" for v in axe_violations(tab)]
        if (size, language) == REFLOW_AND_MOTION:
            violations += [f"[{page_info.name} as {page_info.user}] {v}" for v in _reflow_and_motion(tab)]
    assert violations == [], f"axe-core ({size}, {language}) found WCAG 2.1 A/AA problems:\n" + "\n".join(violations)
    assert problems.csp_violations() == [], problems.csp_violations()
    assert problems.page_errors == [], problems.page_errors
