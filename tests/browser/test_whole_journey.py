"""Issue #17, "Browser journeys": Koers end to end in real Chromium, with Anna (the person, on a
390 px phone), Noor (her practice nurse) and Rob (her partner) each in a browser context of their
own, through the real forms and buttons. The chain is split in connected parts so that a failure
says where it broke:

1. ``test_consult_plan_route_and_progress``: Anna prepares a consult on her phone; Noor sets the
   agenda with her (adds her own topic and moves Anna's with the keyboard through the agenda's
   "Omlaag" button: the order persists, the focus lands on the moved topic after the htmx swap),
   records a shared decision, turns it into a goal and adds an action; Anna sees
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


LEVELS = (
    "Ik slaap bijna nooit door",
    "Eén nacht per week goed",
    "Drie nachten per week goed",
    "Vijf nachten per week goed",
    "Elke nacht goed",
)


def test_consult_plan_route_and_progress(cast, new_page, log_in, problems, screenshot):
    import datetime as dt

    from django.utils import timezone

    from koers.consults import services as consult_services
    from koers.consults.models import AgendaItem, Preparation
    from koers.decisions import services as decision_services
    from koers.decisions.models import SharedDecision
    from koers.goals.models import Action, ActionProgress, Goal

    anna_id = cast.anna.pk
    # Precondition (ORM): Noor planned a consult with Anna in two days.
    consult = consult_services.consult_plan(
        actor=cast.noor,
        person=cast.anna,
        professional=cast.noor,
        scheduled_at=timezone.now() + dt.timedelta(days=2),
        planned_minutes=20,
    )
    violations: list[str] = []

    # Anna prepares the consult on her phone and brings up "Slecht slapen".
    anna = log_in(new_page(MOBILE), "anna")
    anna.goto(reverse("consults:portal_prepare"))
    violations += axe_violations(anna)
    anna.get_by_role("button", name="Begin met voorbereiden").click()
    anna.wait_for_url("**stap=hoe-gaat-het")
    anna.get_by_label("5", exact=True).check()
    anna.get_by_label(re.compile("Wat wilt u vooral bespreken")).fill("Slapen")
    anna.get_by_role("button", name="Opslaan en verder").click()
    for slug in ("gezondheid", "eigen-manier", "activiteiten", "omgeving"):
        anna.wait_for_url(f"**stap={slug}")
        anna.get_by_role("button", name="Opslaan en verder").click()
    anna.wait_for_url("**stap=onderwerpen")
    anna.locator("#id_title").fill("Slecht slapen")
    anna.get_by_role("button", name="Onderwerp toevoegen").click()  # htmx
    anna.get_by_role("button", name=re.compile("Verwijderen.*Slecht slapen")).wait_for()
    violations += axe_violations(anna)
    anna.get_by_role("button", name="Opslaan en verder").click()
    anna.wait_for_url("**stap=overzicht")
    anna.get_by_role("button", name="Versturen naar mijn zorgverlener").click()
    anna.wait_for_url("**/mijn/gesprekken/agenda/")
    violations += axe_violations(anna)
    assert Preparation.objects.get(person=cast.anna).status == "submitted"
    assert list(AgendaItem.objects.filter(consult=consult).values_list("title", flat=True)) == ["Slecht slapen"]

    # Noor opens the agenda and starts a shared decision from Anna's topic.
    noor = log_in(new_page(), "noor")
    noor.goto(reverse("consults:detail", args=[anna_id, consult.pk]))
    expect(noor.locator("li.agenda-item")).to_contain_text("Slecht slapen")
    violations += axe_violations(noor)

    # Noor puts her own topic on the agenda and, with the keyboard, moves Anna's topic below it
    # (the agenda's "Omlaag" button, an htmx swap of the agenda).
    noor.evaluate("htmx.config.defaultSettleDelay = 700")
    noor.locator("#id_new-title").fill("Bloeddruk meten")
    noor.get_by_role("button", name="Op de agenda zetten").click()
    titles = noor.locator("li.agenda-item h3")
    expect(titles).to_have_text(["Slecht slapen", "Bloeddruk meten"])
    # The swap puts the focus on the new topic's heading (autofocus, applied when htmx settles).
    # Wait for it: a key pressed before the settle lands on that heading, not on "Omlaag" (the
    # race CI lost once: the focus moved under the test and Enter did nothing).
    measured = AgendaItem.objects.get(consult=consult, title="Bloeddruk meten")
    expect(noor.locator(f"#h-item-{measured.pk}")).to_be_focused()
    sleep = AgendaItem.objects.get(consult=consult, title="Slecht slapen")
    down = noor.locator(f"#item-{sleep.pk} button[name=direction][value=down]")
    expect(down).to_contain_text("Omlaag")
    down.focus()
    noor.keyboard.press("Enter")
    expect(titles).to_have_text(["Bloeddruk meten", "Slecht slapen"])
    # After the swap the focus is on the moved topic (its heading), not lost to the page, and
    # the move is announced; the next Tab goes on from there, into that topic's own buttons.
    expect(noor.locator(f"#h-item-{sleep.pk}")).to_be_focused()
    expect(noor.locator("#messages")).to_contain_text("‘Slecht slapen’ is verplaatst.")
    noor.keyboard.press("Tab")
    focused_in = noor.evaluate("document.activeElement.closest('li.agenda-item')?.id")
    assert focused_in == f"item-{sleep.pk}", focused_in
    violations += axe_violations(noor)
    # Persisted: the stored order, and the page as it loads afresh.
    stored = AgendaItem.objects.filter(consult=consult).order_by("priority", "id")
    assert list(stored.values_list("title", flat=True)) == ["Bloeddruk meten", "Slecht slapen"]
    noor.reload()
    expect(titles).to_have_text(["Bloeddruk meten", "Slecht slapen"])

    noor.get_by_role("link", name=re.compile(r"Hierover samen beslissen\W+Slecht slapen")).click()
    expect(noor.get_by_label("Waarover gaat u samen beslissen?")).to_have_value("Slecht slapen")
    violations += axe_violations(noor)
    noor.get_by_role("button", name="Vraag opslaan").click()
    expect(noor.locator("main")).to_contain_text("Slecht slapen")
    decision = SharedDecision.objects.get(person=cast.anna)
    assert decision.agenda_item.consult_id == consult.pk
    # The talk itself (options weighed, the choice) through the services: covered in the browser
    # by test_browser_decision_loop.py.
    decision_services.decision_update_choice_talk(
        actor=cast.noor, decision=decision, wants_to_participate=True, participation="together"
    )
    option = decision_services.option_add(actor=cast.noor, decision=decision, title="Slaaptraining")
    decision_services.option_add(actor=cast.noor, decision=decision, title="Slaapmiddel")
    decision_services.decision_decide(
        actor=cast.noor, decision=decision, chosen_option=option, rationale="Geen pillen", person_agreed=True
    )

    # The decision becomes a goal with attainment steps, through the form.
    noor.goto(reverse("decisions:to_goal", args=[anna_id, decision.pk]))
    violations += axe_violations(noor)
    noor.get_by_label("Doelbereik in stappen (GAS) gebruiken").check()
    for field, text in zip(("m2", "m1", "0", "p1", "p2"), LEVELS, strict=True):
        noor.locator(f"#id_gas_level_{field}").fill(text)
    noor.get_by_role("group", name="Waar staat de cliënt nu?").get_by_label("−1: minder dan verwacht").check()
    noor.get_by_role("button", name="Doel toevoegen aan het zorgplan").click()
    expect(noor.locator("#doelen")).to_contain_text("bij de start -1")
    goal = Goal.objects.get(person=cast.anna)

    # Noor adds an action to the goal, through the form.
    noor.goto(reverse("goals:action_create", args=[anna_id, goal.pk]))
    violations += axe_violations(noor)
    noor.get_by_label("Wat gaat u doen?").fill("Elke avond om 23 uur naar bed")
    with noor.expect_navigation():
        noor.get_by_role("button", name="Bewaren").click()
    action = Action.objects.get(goal=goal)
    assert action.what == "Elke avond om 23 uur naar bed"

    # Anna sees her plan and her route on the phone.
    anna.goto(reverse("careplans:portal_plan"))
    expect(anna.get_by_role("heading", level=1)).to_have_text("Mijn zorgplan")
    expect(anna.locator("main")).to_contain_text("Elke avond om 23 uur naar bed")
    violations += axe_violations(anna)
    anna.goto("/mijn/route/")
    expect(anna.get_by_role("heading", level=1)).to_have_text("Mijn route")
    drawing = anna.locator("svg.metro-map")
    expect(drawing).to_be_visible()
    assert drawing.bounding_box()["width"] <= MOBILE["width"]
    assert anna.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    assert anna.locator("svg.metro-map a.metro-station").count() >= 1
    violations += axe_violations(anna)
    screenshot(anna, "journey-metro-map-phone")

    # Anna records progress on the action, on her goal's page (htmx, in place).
    anna.goto(reverse("goals:portal_goal", args=[goal.pk]))
    violations += axe_violations(anna)
    card = anna.locator(f"#action-{action.pk}")
    card.get_by_label("Gelukt", exact=True).check()
    card.get_by_label(re.compile("^Hoe ging het")).fill("Vier avonden gelukt")
    card.get_by_role("button", name=re.compile("^Bewaren")).click()
    expect(anna.locator(f"#action-{action.pk}")).to_contain_text("Bewaard. Goed dat u het bijhoudt!")
    violations += axe_violations(anna)
    progress = ActionProgress.objects.get(action=action)
    assert (progress.done, progress.note) == (True, "Vier avonden gelukt")

    assert violations == [], "axe-core found WCAG 2.1 A/AA problems:\n" + "\n".join(violations)
    assert problems.csp_violations() == [], problems.csp_violations()
    assert problems.page_errors == []


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


def test_questionnaire_trajectory_and_n1(cast, new_page, log_in, problems):
    import datetime as dt

    import numpy as np
    from django.utils import timezone

    from koers.monitoring import services as monitoring
    from koers.monitoring.entries import Entry
    from koers.monitoring.models import MeasurementType, Observation
    from koers.questionnaires import services as questionnaires
    from koers.questionnaires.models import Response

    # Preconditions (services): an earlier PHQ-9, one set ready for Anna, and 90 days of diary.
    earlier = questionnaires.response_start(actor=cast.noor, person=cast.anna, instrument_id="phq-9")
    questionnaires.response_complete(
        actor=cast.noor,
        response=earlier,
        answers={str(n): "2" for n in range(1, 9)} | {"9": "0"},
        authored_at=timezone.now() - dt.timedelta(days=90),
    )
    questionnaires.assignment_create(actor=cast.noor, person=cast.anna, instrument_id="phq-9")
    rng = np.random.default_rng(17)
    mood = MeasurementType.objects.get(code="mood")
    today = timezone.localdate()
    entries = []
    for day in range(90):
        when = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=90 - day), dt.time(9)))
        level = 4 + (2 if day >= 45 else 0)
        entries.append(Entry(type=mood, value=float(np.clip(round(level + rng.normal()), 0, 10)), effective_at=when))
    monitoring.observations_record(
        actor=cast.anna_user, person=cast.anna, entries=entries, source=Observation.Source.PORTAL
    )
    monitoring.phase_create(
        actor=cast.noor, person=cast.anna, starts_on=today - dt.timedelta(days=45), label="Slaaptraining"
    )
    violations: list[str] = []

    # Anna fills in the questionnaire on her phone, one question per screen.
    anna = log_in(new_page(MOBILE), "anna")
    anna.goto(reverse("questionnaires:portal_list"))
    expect(anna.get_by_role("heading", level=1)).to_have_text("Mijn vragenlijsten")
    violations += axe_violations(anna)
    anna.get_by_role("link", name=re.compile("^Invullen")).click()
    anna.get_by_role("button", name="Beginnen").click()
    for number in range(1, 11):
        expect(anna.get_by_text(f"Vraag {number} van 10", exact=True)).to_be_visible()
        if number == 1:
            violations += axe_violations(anna)
        label = "Helemaal niet" if number < 10 else "Helemaal niet moeilijk"
        anna.get_by_role("radio", name=label, exact=True).check()
        anna.get_by_role("button", name=re.compile("^(Volgende vraag|Naar het overzicht)$")).click()
    expect(anna.get_by_role("heading", level=1)).to_have_text("Controleren en versturen")
    anna.get_by_role("button", name="Versturen").click()
    expect(anna.get_by_role("heading", level=1)).to_contain_text("Uw uitslag")
    violations += axe_violations(anna)
    assert Response.objects.get(mode="portal").score.total == 0

    # Noor sees the trajectory (two points) and the N=1 analysis of Anna's diary.
    noor = log_in(new_page(), "noor")
    noor.goto(reverse("questionnaires:trajectory", args=[cast.anna.pk, "phq-9"]))
    expect(noor.locator("svg[role=img] circle.traj-dot")).to_have_count(2)
    violations += axe_violations(noor)
    noor.goto(f"/personen/{cast.anna.pk}/bijhouden/analyse/?periode=alles")
    expect(noor.get_by_role("region", name="Stemming: omslagpunten")).to_be_visible()
    violations += axe_violations(noor)

    assert violations == [], "axe-core found WCAG 2.1 A/AA problems:\n" + "\n".join(violations)
    assert problems.csp_violations() == [], problems.csp_violations()
    assert problems.page_errors == []
