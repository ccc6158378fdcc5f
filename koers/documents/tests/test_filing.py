"""Koers's own PDFs filed in the record (issue #17): an agreed care-plan version and a sent lab
letter become documents (kind, date, author, version), shared with the person, found by search,
once only (agreeing again or a retry files nothing new), and seen only by readers of the
categories they were made from."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from koers import access
from koers.audit.models import AccessLogEntry
from koers.careplans import services as plan_services
from koers.careplans.models import CarePlanVersion
from koers.documents import filing, search, selectors
from koers.documents.models import Document
from koers.documents.text import extract
from koers.people import hooks
from koers.screening import services as screening_services

pytestmark = pytest.mark.django_db


def _change_plan(cast, what="Hoe het gaat met slapen"):
    plan_services.follow_up_create(
        actor=cast.noor,
        person=cast.anna,
        what=what,
        who="Noor en Anna samen",
        method="phone",
        frequency="elke maand",
        next_date=timezone.localdate() + dt.timedelta(days=30),
    )


def _plan_document(cast):
    return Document.objects.get(person=cast.anna, kind="care_plan")


def test_agreeing_a_plan_version_files_it_as_a_shared_pdf(cast):
    _change_plan(cast)
    version = plan_services.care_plan_agree(actor=cast.noor, person=cast.anna)
    document = _plan_document(cast)
    filed = document.versions.get()
    assert document.shared_with_person and document.source == "Noor Bakker"
    assert document.document_date == timezone.localdate() and document.current_version == 1
    assert document.title == f"Zorgplan, versie {version.number}"
    assert filed.content_type == "application/pdf" and filed.origin == f"careplans.CarePlanVersion:{version.pk}"
    assert "careplan" in document.required_categories
    text = " ".join(filed.text.split())
    assert "Zorgplan van Anna de Boer" in text and "Hoe het gaat met slapen" in text
    assert f"Versie {version.number}, afgesproken op" in text and "door Noor Bakker" in text
    assert AccessLogEntry.objects.filter(
        user=cast.noor, person=cast.anna, action="C", object_type="documents.Document", object_id=str(document.pk)
    ).exists()


def test_each_agreed_version_is_the_next_version_and_nothing_is_filed_twice(cast):
    _change_plan(cast)
    first = plan_services.care_plan_agree(actor=cast.noor, person=cast.anna)
    assert plan_services.care_plan_agree(actor=cast.noor, person=cast.anna) is None  # nothing changed
    _change_plan(cast, what="Wandelen op dinsdag")
    second = plan_services.care_plan_agree(actor=cast.noor, person=cast.anna)
    document = _plan_document(cast)
    assert Document.objects.filter(person=cast.anna, kind="care_plan").count() == 1
    assert [v.number for v in document.versions.order_by("number")] == [1, 2]
    assert document.current_version == 2 and document.title == f"Zorgplan, versie {second.number}"
    assert "Wandelen op dinsdag" in document.versions.get(number=2).text
    # A retry of the same announcement (e.g. a re-run after a failure) files nothing new.
    from koers.careplans.pdf import agreed_document
    from koers.careplans.selectors import practice

    again = agreed_document(CarePlanVersion.objects.get(pk=first.pk), practice(cast.anna))
    assert filing.document_file(actor=cast.noor, person=cast.anna, document=again) is None
    hooks.document_made(actor=cast.noor, person=cast.anna, document=again)
    assert document.versions.count() == 2


def test_a_document_needs_the_categories_it_was_made_from(cast):
    _change_plan(cast)
    plan_services.care_plan_agree(actor=cast.noor, person=cast.anna)
    document = _plan_document(cast)
    needed = document.required_categories
    assert "careplan" in needed
    everything = set(access.Category)
    assert selectors.documents_of(cast.anna, shared_only=True, categories=everything).filter(pk=document.pk).exists()
    for category in needed:
        fewer = everything - {category}
        assert not selectors.documents_of(cast.anna, shared_only=False, categories=fewer).exists()


def test_the_person_sees_the_filed_plan_in_the_portal_and_downloads_it(cast, login):
    _change_plan(cast)
    plan_services.care_plan_agree(actor=cast.noor, person=cast.anna)
    document = _plan_document(cast)
    client = login(cast.anna_user)
    page = client.get(reverse("documents:portal_list")).content.decode()
    assert document.title in page
    version = document.versions.get()
    response = client.get(
        reverse("documents:portal_download", kwargs={"document_id": document.pk, "document_version_id": version.pk})
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Hoe het gaat met slapen" in " ".join(extract(response.content, "application/pdf").split())


def test_the_filed_plan_is_found_by_search_only_with_the_care_plan_category(cast, monkeypatch):
    _change_plan(cast, what="Tuinieren met de buurman")
    plan_services.care_plan_agree(actor=cast.noor, person=cast.anna)
    hits = search.search_person(cast.noor, cast.anna, "Tuinieren")
    assert any(h.source == "documents" for h in hits)
    assert any(h.source == "documents" for h in search.search_caseload(cast.noor, "Tuinieren"))
    # Without the care plan's category, the same document is neither found nor counted.
    real = access.categories_for
    monkeypatch.setattr(access, "categories_for", lambda u, p, a="R": real(u, p) - {access.Category.CAREPLAN})
    assert not any(h.source == "documents" for h in search.search_person(cast.noor, cast.anna, "Tuinieren"))
    real_ids = access.visible_person_ids

    def no_careplan(user, *, category=access.Category.DEMOGRAPHICS, **kw):
        return [] if category == access.Category.CAREPLAN else real_ids(user, category=category, **kw)

    monkeypatch.setattr(access, "visible_person_ids", no_careplan)
    assert not any(h.source == "documents" for h in search.search_caseload(cast.noor, "Tuinieren"))


def test_sending_a_lab_letter_files_it_once(cast):
    from koers.screening.tests.test_services import record

    record(cast, "ldl", "2.1", "mmol/L")
    letter = screening_services.letter_draft(actor=cast.noor, person=cast.anna)
    letter = screening_services.letter_update(actor=cast.noor, letter=letter, title="Uw uitslagen", body="Goed nieuws")
    assert not Document.objects.filter(person=cast.anna, kind="lab_letter").exists()  # not before it is sent
    letter = screening_services.letter_send(actor=cast.noor, letter=letter)
    document = Document.objects.get(person=cast.anna, kind="lab_letter")
    assert document.title == "Uw uitslagen" and document.shared_with_person and document.source == "Noor Bakker"
    assert document.required_categories == {"measurement_plan"}
    assert "Goed nieuws" in document.versions.get().text
    from koers.screening.letter_pdf import sent_document

    hooks.document_made(actor=cast.noor, person=cast.anna, document=sent_document(letter, language="nl"))
    assert document.versions.count() == 1
