"""Emergency access, break the glass (issue #12): start, scope, no writes, ends by itself,
notifications, review by a second professional, the person's "who looked" page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from koers import access
from koers.access.policy import Relationship, allowed, allowed_categories
from koers.audit.models import AccessLogEntry
from koers.network.models import EmergencyAccess, RelativeLink
from koers.notifications import delivery
from koers.notifications.models import Notification, Reason
from koers.people.models import Medication
from koers.workspace import emergency

Topic = access.Topic
Category = access.Category
Purpose = AccessLogEntry.Purpose


def start(cast, actor=None, **changes):
    args = {
        "identifier": str(cast.anna.pk),
        "birth_date": cast.anna.birth_date,
        "reason": "Opgenomen op de SEH, verward, geen medicatielijst",
        "topics": ["clinical", "careplan"],
        "hours": 4,
    }
    args.update(changes)
    return emergency.emergency_access_start(actor=actor or cast.sam, **args)


def test_the_policy_gives_emergency_reads_of_its_scope_only():
    scope = {Topic.CLINICAL, Topic.CAREPLAN}
    assert allowed(Relationship.EMERGENCY, Category.CLINICAL, access.Action.READ, topics=scope)
    assert allowed(Relationship.EMERGENCY, Category.CAREPLAN, access.Action.READ, topics=scope)
    assert allowed(Relationship.EMERGENCY, Category.DEMOGRAPHICS, access.Action.READ, topics=scope)
    assert not allowed(Relationship.EMERGENCY, Category.PROFILE, access.Action.READ, topics=scope)
    assert not allowed(Relationship.EMERGENCY, Category.CLINICAL, access.Action.UPDATE, topics=scope)
    assert not allowed_categories(Relationship.EMERGENCY, access.Action.CREATE, topics=set(access.MEMBER_TOPICS))
    assert not allowed(Relationship.EMERGENCY, Category.ACCESS_LOG, access.Action.READ, topics=set(Topic))


@pytest.mark.django_db
def test_starting_needs_the_exact_identifier_and_answers_alike_for_anyone_missing(cast):
    cast.anna.bsn = "111222333"
    cast.anna.save()
    messages = set()
    for identifier, birth in [
        ("999999990", cast.anna.birth_date),  # nobody has it
        ("111222333", cast.anna.birth_date + dt.timedelta(days=1)),  # wrong birth date
        (str(cast.anna.pk + 999), cast.anna.birth_date),
        ("Anna", cast.anna.birth_date),  # no search by name
        ("12345678901234567890", cast.anna.birth_date),  # longer than any id
    ]:
        with pytest.raises(ValidationError) as caught:
            start(cast, identifier=identifier, birth_date=birth)
        messages.add(tuple(caught.value.message_dict["identifier"]))
    assert len(messages) == 1
    assert not EmergencyAccess.objects.exists()
    misses = AccessLogEntry.objects.filter(user=cast.sam, outcome="refused", object_type="network.EmergencyAccess")
    assert misses.count() == 5 and not misses.filter(person__isnull=False).exists()
    started = start(cast, identifier="111 222 333")
    assert started.person == cast.anna and started.topics == ["careplan", "clinical"]
    row = AccessLogEntry.objects.get(object_type="network.EmergencyAccess", action="C")
    assert row.purpose == Purpose.EMERGENCY and row.user == cast.sam and "SEH" in row.detail


@pytest.mark.django_db
def test_bad_input_writes_nothing(cast):
    with pytest.raises(ValidationError) as caught:
        start(cast, reason=" ", topics=[], hours=48)
    assert set(caught.value.message_dict) == {"reason", "topics", "hours"}
    assert not EmergencyAccess.objects.exists()


@pytest.mark.django_db
def test_the_guard_admits_the_scope_for_reading_and_ends_by_itself(cast):
    assert access.relationship_of(cast.sam, cast.anna) == Relationship.NONE
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        start(cast)
        person = access.person_for(cast.sam, cast.anna.pk, category=Category.CLINICAL, include_self=False)
        assert person == cast.anna
        assert AccessLogEntry.objects.filter(user=cast.sam, object_type="clinical").get().purpose == Purpose.EMERGENCY
        assert access.categories_for(cast.sam, person) == {
            Category.CLINICAL,
            Category.CAREPLAN,
            Category.SUPPORT_LEVEL,
            Category.CAREPLAN_SIGNOFF,  # the person's own sign-off belongs to the care-plan topic (issue #13)
            Category.DEMOGRAPHICS,
        }
        with pytest.raises(access.NotFound):
            access.person_for(cast.sam, cast.anna.pk, category=Category.PROFILE, include_self=False)
        with pytest.raises(access.NotFound):
            access.require(cast.sam, cast.anna, Category.CLINICAL, access.Action.UPDATE)
        # Pieter (not the one who started it) gets nothing.
        with pytest.raises(access.NotFound):
            access.person_for(cast.pieter, cast.anna.pk, category=Category.CLINICAL, include_self=False)
        traveller.shift(dt.timedelta(hours=4, seconds=1))
        refused_before = AccessLogEntry.objects.filter(outcome="refused").count()
        with pytest.raises(access.NotFound):
            access.person_for(cast.sam, cast.anna.pk, category=Category.CLINICAL, include_self=False)
        assert AccessLogEntry.objects.filter(outcome="refused").count() == refused_before + 1


@pytest.mark.django_db
def test_ended_early_it_admits_nothing(cast):
    started = start(cast)
    emergency.emergency_access_end(actor=cast.sam, emergency=started)
    with pytest.raises(access.NotFound):
        access.person_for(cast.sam, cast.anna.pk, category=Category.CLINICAL, include_self=False)
    with pytest.raises(access.NotFound):  # only the professional who started it ends it
        emergency.emergency_access_end(actor=cast.pieter, emergency=start(cast, actor=cast.pieter))
        emergency.emergency_access_end(actor=cast.sam, emergency=EmergencyAccess.objects.get(professional=cast.pieter))


@pytest.mark.django_db
def test_pages_in_scope_open_with_a_banner_and_others_are_missing(cast, client):
    started = start(cast)
    client.force_login(cast.sam)
    plan = client.get(reverse("careplans:plan", kwargs={"person_id": cast.anna.pk}))
    assert plan.status_code == 200
    body = plan.content.decode()
    assert "Spoedtoegang tot Anna de Boer tot" in body and "emergency-banner" in body
    assert reverse("workspace:emergency_end", kwargs={"emergency_id": started.pk}) in body
    rows = AccessLogEntry.objects.filter(user=cast.sam, person=cast.anna, object_type="careplans.CarePlan")
    assert rows.exists() and {r.purpose for r in rows} == {Purpose.EMERGENCY}
    assert client.get(reverse("workspace:person", kwargs={"person_id": cast.anna.pk})).status_code == 200
    assert client.get(reverse("people:profile", kwargs={"person_id": cast.anna.pk})).status_code == 404
    count = Medication.objects.count()
    write = client.post(
        reverse("people:medication_add", kwargs={"person_id": cast.anna.pk}), {"name": "Haldol", "dosage": "5 mg"}
    )
    assert write.status_code == 404 and Medication.objects.count() == count
    # Ending it now: the banner is gone and the record is missing again.
    client.post(reverse("workspace:emergency_end", kwargs={"emergency_id": started.pk}))
    assert client.get(reverse("careplans:plan", kwargs={"person_id": cast.anna.pk})).status_code == 404
    assert "emergency-banner" not in client.get(reverse("workspace:emergency_start")).content.decode()


@pytest.mark.django_db
def test_the_start_page_starts_it(cast, client):
    client.force_login(cast.sam)
    assert client.get(reverse("workspace:emergency_start")).status_code == 200
    data = {
        "identifier": str(cast.anna.pk),
        "birth_date": cast.anna.birth_date.isoformat(),
        "reason": "Crisis",
        "topics": ["crisis_plan", "clinical"],
        "hours": "1",
    }
    response = client.post(reverse("workspace:emergency_start"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:person", kwargs={"person_id": cast.anna.pk})
    missing = client.post(reverse("workspace:emergency_start"), {**data, "identifier": "123456"})
    assert missing.status_code == 200 and "Wij vinden niemand" in missing.content.decode()
    client.force_login(cast.anna_user)  # not a professional: missing page
    assert client.get(reverse("workspace:emergency_start")).status_code == 404


@pytest.mark.django_db
def test_the_person_first_contact_and_coordinator_are_told(cast, django_capture_on_commit_callbacks):
    cast.rob.email = "rob@example.org"
    cast.rob.save()
    RelativeLink.objects.filter(user=cast.rob).update(first_contact=True)
    with django_capture_on_commit_callbacks(execute=True):
        started = start(cast)
    delivery.deliver_all()
    notes = Notification.objects.filter(reason=Reason.EMERGENCY_ACCESS, subject_id=started.pk)
    recipients = set(notes.values_list("recipient_id", flat=True))
    assert cast.anna_user.pk in recipients
    coordinator = access.relationship_of(cast.noor, cast.anna)  # noor registered Anna: her coordinator
    assert coordinator == Relationship.CARE_TEAM and cast.noor.pk in recipients
    about = notes.get(recipient=cast.anna_user).about
    assert "Sam" in about and "Praktijk Elders" in about and "4 uur" in about and "SEH" in about
    assert "aandoeningen en medicijnen" in about
    # The first contact (issue #13): in-app, without the reason, and an e-mail that a message waits.
    contact = Notification.objects.get(reason=Reason.EMERGENCY_CONTACT, subject_id=started.pk)
    assert contact.recipient == cast.rob and "Praktijk Elders" in contact.about and "4 uur" in contact.about
    assert "SEH" not in contact.about
    (message,) = [m for m in mail.outbox if "rob@example.org" in m.to]
    assert "SEH" not in message.body and "Praktijk Elders" not in message.body  # no health data by e-mail


@pytest.mark.django_db
def test_a_second_professional_reviews_it_never_the_one_who_started_it(cast, client):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        started = start(cast, actor=cast.cor)  # Cor of the GP practice (Noor's colleague)
        access.person_for(cast.cor, cast.anna.pk, category=Category.CLINICAL, include_self=False)
        with pytest.raises(access.NotFound):  # still running: nothing to review yet
            emergency.for_review(cast.noor, started.pk)
        traveller.shift(dt.timedelta(hours=5))
        with pytest.raises(access.NotFound):
            emergency.emergency_access_review(actor=cast.cor, emergency_id=started.pk, outcome="justified", note="")
        with pytest.raises(access.NotFound):  # another organisation, not the coordinator
            emergency.for_review(cast.pieter, started.pk)
        client.force_login(cast.gert)  # a colleague of Cor's practice
        page = client.get(reverse("workspace:emergency_review", kwargs={"emergency_id": started.pk}))
        assert page.status_code == 200 and "SEH" in page.content.decode()
        assert "clinical" in page.content.decode()  # the log row made under it
        url = reverse("workspace:emergency_review", kwargs={"emergency_id": started.pk})
        unconfirmed = client.post(url, {"outcome": "not_justified", "note": "Geen spoed"})
        assert unconfirmed.status_code == 200
        assert EmergencyAccess.objects.get().reviewed_at is None
        done = client.post(url, {"outcome": "not_justified", "note": "Geen spoed", "confirmed": "on"})
        assert done.status_code == 302
        reviewed = EmergencyAccess.objects.get()
        assert reviewed.reviewed_by == cast.gert and reviewed.review_outcome == "not_justified"
        with pytest.raises(ValidationError):  # once
            emergency.emergency_access_review(actor=cast.noor, emergency_id=started.pk, outcome="justified", note="")


@pytest.mark.django_db
def test_the_person_sees_it_in_plain_words(cast, client):
    start(cast)
    client.force_login(cast.anna_user)
    body = client.get(reverse("workspace:portal_log")).content.decode()
    assert "Spoedtoegang tot uw dossier" in body and "Praktijk Elders" in body and "Nog niet beoordeeld" in body


@pytest.mark.django_db
def test_the_banner_reads_in_english(cast, client):
    start(cast)
    client.force_login(cast.sam)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("workspace:emergency_start"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Emergency access to Anna de Boer until" in body and "End now" in body
