"""The crisis-plan journey of issue #13's done-when, in real Chromium: Daan and his coordinator
Noor make his crisis plan (she fills the early signs in the workspace, he adds his own sign and
someone to call in the portal, shown as a tel: link); his mother Ingrid, who may see the plan,
reports one of his signs from her phone; after one reminder sweep Noor finds the report first on
her worklist, urgent, with the phase; Daan sees who reported what; the plan downloads as a
one-page PDF and as a small pocket card. axe-core, CSP and script errors checked on every page."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from koers.accounts.models import User
from koers.crisisplans.models import SignReport
from koers.network.models import RelativeLink
from koers.network.services import consent_set
from koers.notifications.models import Delivery, Reason
from koers.notifications.tasks import sweep_reminders
from tests.support.testing import make_person, make_user

from .conftest import MOBILE
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def daan_and_ingrid(cast):
    daan = make_person(actor=cast.noor, given_name="Daan", family_name="Visser", with_account=True, username="daan")
    ingrid = make_user("ingrid", role=User.Role.RELATIVE, first_name="Ingrid", last_name="Visser")
    RelativeLink.objects.create(person=daan, user=ingrid, relationship="moeder")
    consent_set(actor=daan.user, person=daan, member=ingrid, topic="crisis_plan", granted=True)
    return daan, ingrid


def _clean(page):
    assert axe_violations(page) == [], page.url


def _save(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_role("status")).to_contain_text("Het crisisplan is bewaard")


def _pdf(page, link_name):
    """The PDF behind a link on the page, fetched with the page's own session."""
    response = page.request.get(page.get_by_role("link", name=link_name).get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.body()))


def test_daan_ingrid_and_noor_make_use_of_the_crisis_plan(cast, daan_and_ingrid, new_page, log_in, problems):
    daan, ingrid = daan_and_ingrid

    # 1. Noor, the coordinator, fills the early signs in the workspace.
    noor = log_in(new_page(), "noor")
    noor.goto(f"/personen/{daan.pk}/crisisplan/")
    _clean(noor)
    with noor.expect_navigation():
        noor.get_by_role("link", name="Vroege signalen veranderen").click()
    _clean(noor)
    noor.get_by_label("Hieraan merkt u dat het minder goed gaat").fill("Slecht slapen\nNiet meer eten")
    noor.get_by_label("Dit doet u zelf").fill("Wandelen")
    _save(noor)

    # Daan adds a sign of his own and whom to call, in the portal.
    portal = log_in(new_page(MOBILE), "daan")
    portal.goto("/mijn/crisisplan/")
    expect(portal.get_by_text("Slecht slapen")).to_be_visible()
    _clean(portal)
    with portal.expect_navigation():
        portal.get_by_role("link", name="Vroege signalen veranderen").click()
    signs = portal.get_by_label("Hieraan merkt u dat het minder goed gaat")
    signs.fill(signs.input_value() + "\nMuziek heel hard zetten")
    portal.get_by_label("Naam").first.fill("Ingrid")
    portal.get_by_label("Wie is dit voor u?").first.fill("moeder")
    portal.get_by_label("Telefoonnummer").first.fill("06 12345678")
    _clean(portal)
    _save(portal)
    expect(portal.get_by_role("link", name="06 12345678")).to_have_attribute("href", "tel:0612345678")
    _clean(portal)

    # 2. Ingrid reports one of Daan's own signs from her phone.
    phone = log_in(new_page(MOBILE), "ingrid")
    phone.goto(f"/naaste/{daan.pk}/crisisplan/")
    expect(phone.get_by_role("heading", level=2, name="Ik zie deze signalen")).to_be_visible()
    _clean(phone)
    phone.get_by_role("checkbox", name="Muziek heel hard zetten").check()
    phone.get_by_label("Wat ziet u nog meer? (mag leeg blijven)").fill("Hij slaapt overdag.")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Melding versturen").click()
    expect(phone.get_by_role("status")).to_contain_text("De regiebehandelaar van Daan heeft uw melding nu gekregen.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    _clean(phone)
    report = SignReport.objects.get(person=daan)
    assert (report.reporter_id, report.phase) == (ingrid.pk, "early_signs")

    # 3. One reminder sweep (alone, without the outbox row the service wrote) reaches Noor,
    # and her worklist shows the report first, urgent in words, with the phase.
    Delivery.objects.all().delete()
    sweep_reminders.call()
    assert list(Delivery.objects.filter(reason=Reason.CRISIS_REPORT).values_list("recipient_id", "subject_id")) == [
        (cast.noor.pk, report.pk)
    ]
    noor.goto("/werklijst/")
    first = noor.locator("table.worklist tbody tr").first
    expect(first).to_contain_text("Daan Visser")
    expect(first).to_contain_text("Dringend")
    expect(first).to_contain_text("Fase: Vroege signalen")
    expect(first).to_contain_text("Gemeld door Ingrid Visser")
    _clean(noor)

    # 4. Daan sees who reported what.
    portal.goto("/mijn/crisisplan/")
    reports = portal.locator("#meldingen")
    expect(reports).to_contain_text("Ingrid Visser")
    expect(reports).to_contain_text("Muziek heel hard zetten")
    expect(reports).to_contain_text("Hij slaapt overdag.")
    _clean(portal)

    # 5. The plan as a one-page PDF, and the pocket card on a small page.
    for page in (portal, noor):
        page.goto(f"/personen/{daan.pk}/crisisplan/" if page is noor else "/mijn/crisisplan/")
        plan = _pdf(page, "Crisisplan als PDF (1 pagina)")
        assert len(plan.pages) == 1
        assert "Muziek heel hard zetten" in plan.pages[0].extract_text()
        card = _pdf(page, "Crisiskaart voor in uw zak (PDF)")
        box = card.pages[0].mediabox
        assert float(box.width) < 300 and float(box.height) < 300  # A7 is 210 x 298 pt; A4 is 595 x 842
        card_text = "".join(p.extract_text() for p in card.pages).replace("\u00a0", " ")
        assert "06 12345678" in card_text  # the number whole, on one line
    assert problems.csp_violations() == [] and problems.page_errors == []
