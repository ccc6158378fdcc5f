"""More of Koers's own PDFs filed in the record (issue #17): a consult's report (with the decisions,
goals and actions of that consult), the yearly evaluation and the crisis plan. Each is filed once
per content (a change is the next version), in the person's language (read back with pypdf), with
every name printed, shared with the person, linked from its page, and seen only by readers of the
categories it was made from."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from koers import access
from koers.audit.models import AccessLogEntry
from koers.consults import services as consult_services
from koers.consults.models import AgendaItem, Consult
from koers.crisisplans import services as crisis_services
from koers.decisions import services as decision_services
from koers.documents.models import Document
from koers.followup import services as followup_services
from koers.goals.services import actions as action_services
from koers.goals.services import goals as goal_services
from koers.people import hooks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _midday():
    """The consult report takes the goals set on the consult's day. ``_held_consult`` holds the
    consult half an hour ago and sets its goal now: run between 00:00 and 00:30 (as PostgreSQL's
    suite once did, at 00:18), the goal fell on the next day and the report rightly left it out.
    The clock stands at noon, and runs on from there."""
    noon = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(12, 0)))
    with time_machine.travel(noon, tick=True):
        yield


def _text(document: Document, number: int | None = None) -> str:
    version = document.versions.get(number=number or document.current_version)
    with version_file(version) as data:
        reader = PdfReader(io.BytesIO(data))
        return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def version_file(version):
    from koers.documents.services import storage

    return _Opened(storage(), version.file_name)


class _Opened:
    def __init__(self, store, name):
        self.store, self.name = store, name

    def __enter__(self):
        with self.store.open(self.name, "rb") as handle:
            return handle.read()

    def __exit__(self, *exc):
        return False


def _rename(person, given, family, language=""):
    person.given_name, person.family_name = given, family
    person.save(update_fields=["given_name", "family_name"])
    person.user.preferred_language = language
    person.user.save(update_fields=["preferred_language"])


def _held_consult(cast) -> Consult:
    consult = consult_services.consult_plan(
        actor=cast.noor, person=cast.anna, scheduled_at=timezone.now() + dt.timedelta(days=1), professional=cast.noor
    )
    Consult.objects.filter(pk=consult.pk).update(scheduled_at=timezone.now() - dt.timedelta(minutes=30))
    consult.refresh_from_db()
    consult = consult_services.consult_set_status(actor=cast.noor, consult=consult, status="held")
    consult_services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title="Slapen")
    AgendaItem.objects.filter(consult=consult).update(status="discussed", discussion_notes="Slaapt slecht sinds mei")
    consult_services.consult_record_summary(actor=cast.noor, consult=consult, summary="Goed gesprek over rust.")
    decision = decision_services.decision_create(
        actor=cast.noor, person=cast.anna, question="Welke hulp bij slapen?", consult=consult
    )
    decision = decision_services.decision_update_choice_talk(
        actor=cast.noor, decision=decision, wants_to_participate=True, participation="together"
    )
    option = decision_services.option_add(actor=cast.noor, decision=decision, title="Wandelgroep op dinsdag")
    decision_services.decision_decide(
        actor=cast.noor, decision=decision, chosen_option=option, rationale="Bewegen helpt Anna", person_agreed=True
    )
    goal = goal_services.goal_create(
        actor=cast.noor, person=cast.anna, description="Beter slapen", life_domain="health", lifecycle_status="active"
    )
    action_services.action_create(actor=cast.noor, goal=goal, what="Elke dinsdag wandelen", when="dinsdag")
    return consult


def _consult_document(cast) -> Document:
    return Document.objects.get(person=cast.anna, kind="consult")


def test_filing_a_consult_prints_its_agenda_decisions_goals_and_who_agreed(cast):
    _rename(cast.anna, "Łukasz", "Żółć")
    consult = _held_consult(cast)
    followup_services.consult_file(actor=cast.noor, consult=consult)
    document = _consult_document(cast)
    assert document.shared_with_person and document.origin == f"consults.Consult:{consult.pk}"
    assert {"consults", "consult_records", "decisions", "decision_records", "goals"} <= document.required_categories
    text = _text(document)
    for words in (
        "Verslag van het consult van Łukasz Żółć",
        "Aanwezig: Łukasz Żółć en Noor Bakker",
        "Slapen",
        "Slaapt slecht sinds mei",
        "Goed gesprek over rust.",
        "Welke hulp bij slapen?",
        "Gekozen: Wandelgroep op dinsdag",
        "Łukasz Żółć stemde hiermee in.",
        "Beter slapen",
        "Elke dinsdag wandelen",
        "Versie 1, vastgelegd op",
        "door Noor Bakker",
    ):
        assert words in text, words
    assert AccessLogEntry.objects.filter(
        user=cast.noor, person=cast.anna, action="C", object_type="documents.Document", object_id=str(document.pk)
    ).exists()


def test_a_consult_filed_again_is_one_document_and_a_new_version_only_after_a_change(cast):
    consult = _held_consult(cast)
    followup_services.consult_file(actor=cast.noor, consult=consult)
    followup_services.consult_file(actor=cast.noor, consult=consult)
    document = _consult_document(cast)
    assert document.versions.count() == 1
    consult_services.consult_record_summary(actor=cast.noor, consult=consult, summary="Nieuw: ook over eten.")
    followup_services.consult_file(actor=cast.noor, consult=consult)
    document.refresh_from_db()
    assert Document.objects.filter(person=cast.anna, kind="consult").count() == 1
    assert document.current_version == 2 and "Nieuw: ook over eten." in _text(document, 2)
    assert "Versie 2" in _text(document, 2)
    assert AccessLogEntry.objects.filter(
        action="U", object_type="documents.Document", detail__startswith="filed v2"
    ).exists()


def test_only_a_held_consult_is_filed(cast):
    from django.core.exceptions import ValidationError

    consult = consult_services.consult_plan(
        actor=cast.noor, person=cast.anna, scheduled_at=timezone.now() + dt.timedelta(days=1), professional=cast.noor
    )
    with pytest.raises(ValidationError):
        followup_services.consult_file(actor=cast.noor, consult=consult)
    assert not Document.objects.filter(person=cast.anna).exists()


def test_the_consult_report_follows_the_persons_language(cast):
    _rename(cast.anna, "Nguyễn Thị", "Ánh", language="en")
    consult = _held_consult(cast)
    followup_services.consult_file(actor=cast.noor, consult=consult)
    document = _consult_document(cast)
    text = _text(document)
    assert "Consult report for Nguyễn Thị Ánh" in text and "Present: Nguyễn Thị Ánh and Noor Bakker" in text
    assert "Decisions" in text and "Goals and actions" in text and "Version 1, filed on" in text
    assert "Verslag" not in text and document.title.startswith("Consult report of")


def test_the_yearly_evaluation_is_filed_when_it_is_recorded(cast):
    _rename(cast.anna, "Nguyễn Thị", "Ánh")
    evaluation = followup_services.yearly_evaluation_record(
        actor=cast.noor,
        person=cast.anna,
        date=timezone.localdate(),
        went_well="Meer rust in huis",
        should_change="Vaker wandelen",
        persons_words="Ik slaap beter",
        participants="Nguyễn Thị Ánh, Noor Bakker",
    )
    document = Document.objects.get(person=cast.anna, kind="evaluation")
    assert document.origin == f"followup.YearlyEvaluation:{evaluation.pk}" and document.shared_with_person
    assert document.required_categories == {"careplan"}
    text = _text(document)
    for words in ("Jaarlijkse evaluatie van het zorgplan van Nguyễn Thị Ánh", "Meer rust in huis", "Vaker wandelen"):
        assert words in text, words
    assert "Wie deden mee: Nguyễn Thị Ánh, Noor Bakker." in text and "Versie 1, vastgelegd op" in text


def test_the_yearly_evaluation_in_english(cast):
    _rename(cast.anna, "Łukasz", "Żółć", language="en")
    followup_services.yearly_evaluation_record(
        actor=cast.noor, person=cast.anna, date=timezone.localdate(), went_well="Rust", participants="Łukasz, Noor"
    )
    text = _text(Document.objects.get(person=cast.anna, kind="evaluation"))
    assert "Yearly evaluation of the care plan of Łukasz Żółć" in text and "What went well?" in text
    assert "Who took part: Łukasz, Noor." in text


def _fill_crisis_plan(cast, text="Ik slaap slecht"):
    crisis_services.crisis_plan_phase_update(
        actor=cast.noor,
        person=cast.anna,
        phase="early_signs",
        signs=[text],
        triggers=[],
        self_care=["Wandelen"],
        others_do=[],
        others_avoid=[],
        contacts=[],
    )


def test_filing_the_crisis_plan_asks_first_and_files_each_change_once(cast, login):
    _rename(cast.anna, "Łukasz", "Żółć")
    _fill_crisis_plan(cast)
    client = login(cast.noor)
    url = reverse("crisisplans:file", args=[cast.anna.pk])
    asked = client.post(url)
    assert asked.status_code == 200 and 'name="bevestigd" value="ja"' in asked.content.decode()
    assert not Document.objects.filter(person=cast.anna).exists()
    client.post(url, {"bevestigd": "ja"})
    client.post(url, {"bevestigd": "ja"})  # unchanged: nothing new
    document = Document.objects.get(person=cast.anna, kind="crisis_plan")
    assert document.current_version == 1 and document.shared_with_person
    assert document.required_categories == {"crisis_plan"}
    text = _text(document)
    assert "Crisisplan van Łukasz Żółć" in text and "Ik slaap slecht" in text and "door Noor Bakker" in text
    _fill_crisis_plan(cast, "Ik eet niet meer")
    client.post(url, {"bevestigd": "ja"})
    document.refresh_from_db()
    assert document.current_version == 2 and "Ik eet niet meer" in _text(document, 2)
    page = client.get(reverse("crisisplans:plan", args=[cast.anna.pk])).content.decode()
    assert reverse("documents:detail", args=[cast.anna.pk, document.pk]) in page


def test_an_empty_crisis_plan_is_not_filed(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        crisis_services.crisis_plan_file(actor=cast.noor, person=cast.anna)


def test_the_crisis_plan_document_in_english(cast):
    _rename(cast.anna, "Nguyễn Thị", "Ánh", language="en")
    _fill_crisis_plan(cast)
    crisis_services.crisis_plan_file(actor=cast.noor, person=cast.anna)
    text = _text(Document.objects.get(person=cast.anna, kind="crisis_plan"))
    assert "Crisis plan of Nguyễn Thị Ánh" in text and "Version 1, filed on" in text


def test_the_consult_page_links_to_its_report_and_the_person_sees_it(cast, login):
    consult = _held_consult(cast)
    client = login(cast.noor)
    detail = reverse("consults:detail", args=[cast.anna.pk, consult.pk])
    file_url = reverse("followup:consult_file", args=[cast.anna.pk, consult.pk])
    assert file_url in client.get(detail).content.decode()
    assert 'name="bevestigd" value="ja"' in client.post(file_url).content.decode()
    assert not Document.objects.filter(person=cast.anna).exists()
    client.post(file_url, {"bevestigd": "ja"})
    document = _consult_document(cast)
    link = reverse("documents:detail", args=[cast.anna.pk, document.pk])
    assert link in client.get(detail).content.decode()
    version = document.versions.get()
    download = reverse("documents:download", args=[cast.anna.pk, document.pk, version.pk])
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AccessLogEntry.objects.filter(user=cast.noor, object_type="documents.DocumentVersion", action="R").exists()
    portal = login(cast.anna_user).get(reverse("documents:portal_list")).content.decode()
    assert document.title in portal


def test_the_evaluation_page_links_to_its_document(cast, login):
    evaluation = followup_services.yearly_evaluation_record(
        actor=cast.noor, person=cast.anna, date=timezone.localdate(), went_well="Rust", participants="Anna, Noor"
    )
    document = Document.objects.get(person=cast.anna, kind="evaluation")
    page = login(cast.noor).get(reverse("followup:evaluation", args=[cast.anna.pk])).content.decode()
    assert reverse("documents:detail", args=[cast.anna.pk, document.pk]) in page
    assert evaluation.pk


def test_a_reader_without_a_category_sees_neither_the_document_nor_the_link(cast, login, monkeypatch):
    consult = _held_consult(cast)
    followup_services.consult_file(actor=cast.noor, consult=consult)
    document = _consult_document(cast)
    real = access.categories_for
    monkeypatch.setattr(access, "categories_for", lambda u, p, a="R": real(u, p, a) - {access.Category.DECISIONS})
    assert hooks.filed_document(reader=cast.noor, person=cast.anna, origin=document.origin) is None
    client = login(cast.noor)
    page = client.get(reverse("consults:detail", args=[cast.anna.pk, consult.pk])).content.decode()
    assert reverse("documents:detail", args=[cast.anna.pk, document.pk]) not in page
    assert client.get(reverse("documents:detail", args=[cast.anna.pk, document.pk])).status_code == 404
    version = document.versions.get()
    assert client.get(reverse("documents:download", args=[cast.anna.pk, document.pk, version.pk])).status_code == 404
