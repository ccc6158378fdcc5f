"""Issue #17, "Browser journeys": Koers end to end in real Chromium, with Anna (the person, on a
390 px phone), Noor (her practice nurse) and Rob (her partner) each in a browser context of their
own, through the real forms and buttons. The chain is split in connected parts so that a failure
says where it broke:

1. ``test_consult_plan_route_and_progress``: Anna prepares a consult on her phone; Noor sets the
   agenda with her, records a shared decision, turns it into a goal and adds an action; Anna sees
   her plan and her route (the metro map) and records progress.
2. ``test_documents_consent_and_a_relative``: Noor uploads a document, finds it with the record
   search and shares it; Anna finds it in "Mijn documenten"; Rob sees what Anna shares and gets
   "Niet gevonden" for a topic she does not share; Anna withdraws a consent on her consent page
   and Rob's next page for that topic is refused.

On every page visited axe-core finds no WCAG 2.1 A/AA violations, and the browser reports no CSP
violations or script errors. With KOERS_SCREENSHOTS=1 the metro map (phone) and the documents
page are written to docs/screenshots/.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from koers import access
from koers.network.services import consent_set

from .conftest import MOBILE
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


def _pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def _refused(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 404, (url, response.status)
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")


def test_documents_consent_and_a_relative(cast, new_page, log_in, problems, screenshot):
    from koers.documents.models import Document

    anna_id = cast.anna.pk
    # Precondition (ORM): Anna already shares her documents and her care plan with Rob, not her goals.
    for topic in (access.Topic.DOCUMENTS, access.Topic.CAREPLAN):
        consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=topic, granted=True)
    violations: list[str] = []

    # Noor uploads a discharge letter through the page; it is not shared yet.
    noor = log_in(new_page(), "noor")
    noor.goto(reverse("documents:list", args=[anna_id]))
    noor.get_by_label("Titel").fill("Ontslagbrief ziekenhuis")
    noor.get_by_label("Soort document").select_option("discharge")
    noor.get_by_label("Afzender of maker").fill("Ziekenhuis Oost")
    noor.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "ontslag.pdf",
                "mimeType": "application/pdf",
                "buffer": _pdf("Advies: slaapmedicatie langzaam afbouwen."),
            }
        ]
    )
    with noor.expect_navigation():
        noor.get_by_role("button", name="Document bewaren").click()
    document = Document.objects.get(person=cast.anna)
    assert not document.shared_with_person
    expect(noor).to_have_url(re.compile(rf"/personen/{anna_id}/documenten/{document.pk}/$"))
    violations += axe_violations(noor)

    # Anna does not see it yet.
    anna = log_in(new_page(MOBILE), "anna")
    anna.goto(reverse("documents:portal_list"))
    expect(anna.get_by_role("heading", level=1)).to_have_text("Mijn documenten")
    expect(anna.get_by_text("Ontslagbrief ziekenhuis")).to_have_count(0)

    # Noor finds it with the record search (the words are inside the PDF), opens and shares it.
    noor.goto(reverse("documents:person_search", args=[anna_id]))
    noor.get_by_label("Zoeken naar").fill("afbouwen")
    with noor.expect_navigation():
        noor.get_by_role("button", name="Zoeken").click()
    expect(noor.locator("main p[role=status]")).to_have_text("1 resultaat.")
    violations += axe_violations(noor)
    with noor.expect_navigation():
        noor.locator("ol.search-results").get_by_role("link", name=re.compile("Ontslagbrief ziekenhuis")).click()
    with noor.expect_navigation():
        noor.get_by_role("button", name="Delen met de cliënt").click()
    expect(noor.get_by_role("button", name="Niet meer delen met de cliënt")).to_be_visible()
    violations += axe_violations(noor)
    noor.goto(reverse("documents:list", args=[anna_id]))
    expect(noor.locator("table")).to_contain_text("Ontslagbrief ziekenhuis")
    violations += axe_violations(noor)
    screenshot(noor, "documents-list")

    # Anna now sees it in "Mijn documenten".
    anna.reload()
    expect(anna.get_by_role("heading", name="Ontslagbrief ziekenhuis")).to_be_visible()
    assert anna.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    violations += axe_violations(anna)
    screenshot(anna, "documents-portal-phone")

    # Rob sees what Anna shares with him, and "Niet gevonden" for her goals.
    rob = log_in(new_page(MOBILE), "rob")
    expect(rob.get_by_role("heading", level=1)).to_have_text("Wat anderen met u delen")
    violations += axe_violations(rob)
    rob.goto(reverse("documents:relative_list", args=[anna_id]))
    expect(rob.get_by_role("heading", name="Ontslagbrief ziekenhuis")).to_be_visible()
    violations += axe_violations(rob)
    rob.goto(reverse("workspace:relative_plan", args=[anna_id]))
    expect(rob.get_by_role("heading", level=1)).to_have_text("Zorgplan van Anna")
    violations += axe_violations(rob)
    _refused(rob, reverse("workspace:relative_goals", args=[anna_id]))
    violations += axe_violations(rob)

    # Anna withdraws the documents consent on her consent page, with the switch.
    anna.goto("/mijn/wie-mag-wat-zien/")
    switch = anna.get_by_role("switch", name="Rob de Boer mag zien: Documenten")
    expect(switch).to_have_attribute("aria-checked", "true")
    switch.click()
    expect(anna.locator("#consent-status")).to_have_text("Rob de Boer mag dit niet meer zien: Documenten.")
    violations += axe_violations(anna)
    assert not access.can(cast.rob, cast.anna, access.Category.DOCUMENTS)

    # Rob's next page for documents is refused; the care plan is still his to see.
    _refused(rob, reverse("documents:relative_list", args=[anna_id]))
    rob.goto(reverse("workspace:relative_plan", args=[anna_id]))
    expect(rob.get_by_role("heading", level=1)).to_have_text("Zorgplan van Anna")

    assert violations == [], "axe-core found WCAG 2.1 A/AA problems:\n" + "\n".join(violations)
    assert problems.csp_violations() == [], problems.csp_violations()
    assert problems.page_errors == []
